"""Joining, approving, refusing, removing, promoting, demoting and leaving.

Every change is written to the audit trail; a membership becoming or ending active also raises a
``membership.joined`` / ``membership.left`` event. A group never loses its last moderator.
"""

from sqlalchemy import func, select

from api.extensions import db
from api.models import Group, GroupStatus, MemberRole, Membership, MembershipStatus, Role, User, utcnow
from api.pagination import beyond_last_page
from api.services import audit, events, invites
from api.services.access import GROUP_NOT_FOUND, GroupAccess
from api.services.errors import Conflict, Forbidden, NotFound

MEMBER_NOT_FOUND = "Member not found."
LAST_MODERATOR = "A group needs at least one moderator: make someone else moderator first."
LIVE = (MembershipStatus.active, MembershipStatus.pending)


def member_counts(group_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Membership.group_id, func.count())
        .where(Membership.group_id.in_(group_ids), Membership.status == MembershipStatus.active)
        .group_by(Membership.group_id)
    )
    return {group_id: count for group_id, count in rows}


def moderator_count(group_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.group_id == group_id, Membership.status == MembershipStatus.active,
        Membership.role == MemberRole.moderator,
    ))


def _active_count(group_id: int) -> int:
    return member_counts([group_id]).get(group_id, 0)


def _require_room(group: Group) -> None:
    if group.member_limit is not None and _active_count(group.id) >= group.member_limit:
        raise Conflict(f"This group is full: it has reached its limit of {group.member_limit} members.")


def _keep_a_moderator(membership: Membership) -> None:
    if not membership.is_moderator:
        return
    # Lock the group row so two moderators demoting each other cannot both succeed (PostgreSQL).
    db.session.execute(select(Group.id).where(Group.id == membership.group_id).with_for_update())
    if moderator_count(membership.group_id) <= 1:
        raise Conflict(LAST_MODERATOR)


def _audit(action: str, actor: User, membership: Membership, **details) -> None:
    audit.record(f"membership.{action}", actor_id=actor.id, group_id=membership.group_id,
                 subject_type="membership", subject_id=membership.id, details=details)


def _event(kind: str, actor: User, membership: Membership, data: dict | None = None) -> None:
    events.record(kind, group_id=membership.group_id, actor_id=actor.id, subject_type="membership",
                  subject_id=membership.id, data=data)


# Joining ----------------------------------------------------------------------------------------------

def join(group_id: int, user: User, data: dict) -> Membership:
    """Ask to join with an invite code; approved at once when the group auto-approves."""
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(GROUP_NOT_FOUND)
    if user.role == Role.professional:
        raise Forbidden("Only residents join groups; professionals are linked by the municipality.")
    if user.role != Role.resident:
        raise Forbidden("Only residents join groups; admins already see and moderate every group.")
    existing = db.session.scalar(select(Membership).where(Membership.group_id == group.id,
                                                          Membership.user_id == user.id))
    if existing is not None and existing.status == MembershipStatus.active:
        raise Conflict("You are already a member of this group.")
    if existing is not None and existing.status == MembershipStatus.pending:
        raise Conflict("You have already asked to join; a moderator will look at your request.")
    if group.status in (GroupStatus.paused, GroupStatus.archived):
        raise Conflict(f"This group is {group.status.value} and does not take new members now.")
    invite = invites.find_usable(group, data["code"])
    # Someone a moderator refused or removed is looked at again, even in an auto-approving group.
    auto = group.auto_approve and (existing is None or existing.status == MembershipStatus.left)
    if auto:
        _require_room(group)
    invites.use(invite)

    membership = existing or Membership(group_id=group.id, user_id=user.id)
    membership.role = MemberRole.member
    membership.status = MembershipStatus.active if auto else MembershipStatus.pending
    membership.confirmed_adult = data["confirm_adult"]
    membership.confirmed_in_area = data["confirm_lives_or_works_in_area"]
    membership.postcode = data.get("postcode")
    membership.house_number = data.get("house_number")
    membership.joined_at = utcnow()
    membership.approved_at = utcnow() if auto else None
    membership.ended_at = None
    membership.invite_id = invite.id
    db.session.add(membership)
    db.session.flush()
    _audit("auto_approved" if auto else "requested", user, membership, invite_id=invite.id)
    if auto:
        _event("membership.joined", user, membership)
    return membership


# Moderating ---------------------------------------------------------------------------------------------

def _membership_in(access: GroupAccess, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id != access.group.id:
        raise NotFound(MEMBER_NOT_FOUND)
    return membership


def _moderating(access: GroupAccess, membership_id: int) -> Membership:
    access.require_moderator().require_writable()
    return _membership_in(access, membership_id)


def approve(access: GroupAccess, membership_id: int) -> dict:
    membership = _moderating(access, membership_id)
    if membership.status != MembershipStatus.pending:
        raise Conflict(f"Only a pending request can be approved; this membership is {membership.status.value}.")
    _require_room(access.group)
    membership.status = MembershipStatus.active
    membership.approved_at = utcnow()
    db.session.flush()
    _audit("approved", access.user, membership)
    _event("membership.joined", access.user, membership)
    return moderator_row(membership)


def refuse(access: GroupAccess, membership_id: int) -> dict:
    membership = _moderating(access, membership_id)
    if membership.status != MembershipStatus.pending:
        raise Conflict(f"Only a pending request can be refused; this membership is {membership.status.value}.")
    membership.status = MembershipStatus.refused
    membership.ended_at = utcnow()
    db.session.flush()
    _audit("refused", access.user, membership)
    return moderator_row(membership)


def remove(access: GroupAccess, membership_id: int) -> dict:
    membership = _moderating(access, membership_id)
    if membership.status not in LIVE:
        raise Conflict(f"This membership has already ended ({membership.status.value}).")
    _keep_a_moderator(membership)
    was_active = membership.is_active
    membership.status = MembershipStatus.removed
    membership.ended_at = utcnow()
    db.session.flush()
    _audit("removed", access.user, membership, role=membership.role.value)
    if was_active:
        _event("membership.left", access.user, membership, {"reason": "removed"})
    return moderator_row(membership)


def promote(access: GroupAccess, membership_id: int) -> dict:
    membership = _moderating(access, membership_id)
    if not membership.is_active:
        raise Conflict("Only an active member can become moderator.")
    if membership.role == MemberRole.moderator:
        raise Conflict("This member is already a moderator.")
    membership.role = MemberRole.moderator
    db.session.flush()
    _audit("promoted", access.user, membership, **{"from": "member", "to": "moderator"})
    return moderator_row(membership)


def demote(access: GroupAccess, membership_id: int) -> dict:
    membership = _moderating(access, membership_id)
    if not membership.is_moderator:
        raise Conflict("This member is not a moderator.")
    _keep_a_moderator(membership)
    membership.role = MemberRole.member
    db.session.flush()
    _audit("demoted", access.user, membership, **{"from": "moderator", "to": "member"})
    return moderator_row(membership)


def leave(access: GroupAccess) -> Membership:
    """The caller leaves (or withdraws a request). Allowed in archived groups too: it only ends their own tie."""
    membership = access.membership
    if membership is None or membership.status not in LIVE:
        raise Conflict("You are not a member of this group.")
    _keep_a_moderator(membership)
    was_active = membership.is_active
    membership.status = MembershipStatus.left
    membership.ended_at = utcnow()
    db.session.flush()
    _audit("left", access.user, membership, role=membership.role.value)
    if was_active:
        _event("membership.left", access.user, membership, {"reason": "left"})
    return membership


# The member list ----------------------------------------------------------------------------------------

PUBLIC_FIELDS = ("id", "user_id", "display_name", "role", "joined_at")


def list_members(access: GroupAccess, status: MembershipStatus | None, page: int,
                 page_size: int) -> tuple[list[dict], int]:
    """Display names and roles for members; moderators also get status and the address fields."""
    access.require_member()
    if access.can_moderate:
        statuses = [status] if status else list(LIVE)
    else:
        if status not in (None, MembershipStatus.active):
            raise Forbidden("Only moderators can see requests and former members.")
        statuses = [MembershipStatus.active]
    stmt = select(Membership, User.display_name).join(User, User.id == Membership.user_id).where(
        Membership.group_id == access.group.id, Membership.status.in_(statuses))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    if beyond_last_page(page):
        return [], total
    rows = db.session.execute(stmt.order_by(Membership.role.desc(), User.display_name, Membership.id)
                              .limit(page_size).offset((page - 1) * page_size)).all()
    return [_member_row(m, name, access.can_moderate) for m, name in rows], total


def moderator_row(membership: Membership) -> dict:
    return _member_row(membership, membership.user.display_name, for_moderator=True)


def _member_row(membership: Membership, display_name: str, for_moderator: bool) -> dict:
    row = {"id": membership.id, "user_id": membership.user_id, "display_name": display_name,
           "role": membership.role, "joined_at": membership.joined_at}
    if for_moderator:
        row.update(status=membership.status, postcode=membership.postcode, house_number=membership.house_number,
                   confirmed_adult=membership.confirmed_adult, confirmed_in_area=membership.confirmed_in_area,
                   approved_at=membership.approved_at)
    return row

