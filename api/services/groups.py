"""Starting a group, its charter, its life cycle (draft → active → paused / archived), listing and finding it."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from api.extensions import db
from api.models import (
    Group,
    GroupPostcode,
    GroupStatus,
    MemberRole,
    Membership,
    MembershipStatus,
    ProfessionalLink,
    User,
    utcnow,
)
from api.pagination import beyond_last_page
from api.services import audit, events, memberships
from api.services.access import GroupAccess, visible_group_ids
from api.services.charter import SAAR_HOUSE_RULES, default_contacts, missing_for_activation
from api.services.errors import Conflict, Forbidden, Invalid

REVIEW_PERIOD = timedelta(days=365)
CHARTER_FIELDS = ("name", "problem", "goals", "house_rules", "feedback_target_minutes", "review_at",
                  "auto_approve", "member_limit")


@dataclass
class GroupView:
    """A group together with the caller's relation to it, as ``GroupSchema`` shows it."""

    group: Group
    membership: Membership | None
    linked_professional: bool
    is_admin: bool
    member_count: int

    def __getattr__(self, name):
        if name == "group":  # not set yet: avoid recursing
            raise AttributeError(name)
        return getattr(self.group, name)

    @property
    def _relation(self) -> Membership | None:
        if self.membership is not None and self.membership.status in (MembershipStatus.active,
                                                                        MembershipStatus.pending):
            return self.membership
        return None

    @property
    def my_role(self) -> str | None:
        if self._relation is not None:
            return self._relation.role.value
        if self.linked_professional:
            return "professional"
        return "admin" if self.is_admin else None

    @property
    def my_membership_status(self) -> MembershipStatus | None:
        return self._relation.status if self._relation is not None else None

    @property
    def can_moderate(self) -> bool:
        return self.is_admin or (self.membership is not None and self.membership.is_moderator)


def view_of(access: GroupAccess) -> GroupView:
    counts = memberships.member_counts([access.group.id])
    return GroupView(access.group, access.membership, access.linked_professional, access.is_admin,
                     counts.get(access.group.id, 0))


# Creating and changing ---------------------------------------------------------------------------------

def create_group(user: User, data: dict) -> GroupView:
    if user.is_professional:
        raise Forbidden("Professionals are linked to groups by the municipality; they do not start groups.")
    group = Group(
        name=data["name"],
        house_rules=SAAR_HOUSE_RULES,
        review_at=utcnow() + REVIEW_PERIOD,
        status=GroupStatus.draft,
        created_by_id=user.id,
    )
    group.contacts = default_contacts()
    _apply_charter(group, data)
    db.session.add(group)
    db.session.flush()
    founder = Membership(group_id=group.id, user_id=user.id, role=MemberRole.moderator,
                         status=MembershipStatus.active, approved_at=utcnow())
    db.session.add(founder)
    db.session.flush()
    audit.record("group.created", actor_id=user.id, group_id=group.id, subject_type="group", subject_id=group.id,
                 details={"status": group.status.value})
    audit.record("membership.founded", actor_id=user.id, group_id=group.id, subject_type="membership",
                 subject_id=founder.id, details={"role": MemberRole.moderator.value})
    events.record("membership.joined", group_id=group.id, actor_id=user.id, subject_type="membership",
                  subject_id=founder.id)
    return GroupView(group, founder, False, user.is_admin, 1)


def update_group(access: GroupAccess, changes: dict) -> GroupView:
    access.require_moderator().require_writable()
    _apply_charter(access.group, changes)
    _keep_charter_complete(access.group)
    db.session.flush()
    audit.record("group.updated", actor_id=access.user.id, group_id=access.group.id, subject_type="group",
                 subject_id=access.group.id, details={"fields": sorted(changes)})
    return view_of(access)


def _apply_charter(group: Group, data: dict) -> None:
    if data.get("review_at") is not None and data["review_at"] <= utcnow():
        raise Invalid("The review date must lie in the future.", {"review_at": ["Choose a date in the future."]})
    for field in CHARTER_FIELDS:
        if field in data:
            setattr(group, field, data[field])
    if "area" in data:
        group.area_description = data["area"].get("description", "")
        _replace_postcodes(group, data["area"]["postcodes"])


def _keep_charter_complete(group: Group) -> None:
    """A draft may be incomplete; a group that went live keeps the charter it was activated with."""
    if group.status == GroupStatus.draft:
        return
    missing = {field: problems for field, problems in missing_for_activation(group, moderator_count=1).items()
               if field in ("problem", "goals", "house_rules")}
    if missing:
        raise Invalid("A live group must keep a complete charter.", missing)


def _replace_postcodes(group: Group, postcodes: list[str]) -> None:
    # Keep rows that stay, so an unchanged postcode is never deleted and re-inserted under the same key.
    wanted = list(dict.fromkeys(postcodes))
    kept = [row for row in group.postcodes if row.postcode in wanted]
    have = {row.postcode for row in kept}
    group.postcodes = kept + [GroupPostcode(postcode=p) for p in wanted if p not in have]


# Life cycle -----------------------------------------------------------------------------------------------

def activate(access: GroupAccess) -> GroupView:
    access.require_moderator().require_writable()
    group = access.group
    if group.status != GroupStatus.draft:
        raise Conflict(f"Only a draft group can be activated; this group is {group.status.value}.")
    missing = missing_for_activation(group, memberships.moderator_count(group.id))
    if missing:
        raise Invalid("The group cannot go live yet: its charter is not complete.", missing)
    group.activated_at = utcnow()
    return _change_status(access, GroupStatus.active)


def pause(access: GroupAccess) -> GroupView:
    access.require_moderator().require_writable()
    if access.group.status != GroupStatus.active:
        raise Conflict(f"Only an active group can be paused; this group is {access.group.status.value}.")
    return _change_status(access, GroupStatus.paused)


def resume(access: GroupAccess) -> GroupView:
    access.require_moderator().require_writable()
    if access.group.status != GroupStatus.paused:
        raise Conflict(f"Only a paused group can be resumed; this group is {access.group.status.value}.")
    return _change_status(access, GroupStatus.active)


def archive(access: GroupAccess) -> GroupView:
    access.require_moderator().require_writable()
    return _change_status(access, GroupStatus.archived)


def renew(access: GroupAccess) -> GroupView:
    """The group has re-examined its purpose: the next review is a year from now."""
    access.require_moderator().require_writable()
    group = access.group
    previous = group.review_at
    group.review_at = utcnow() + REVIEW_PERIOD
    db.session.flush()
    audit.record("group.renewed", actor_id=access.user.id, group_id=group.id, subject_type="group",
                 subject_id=group.id, details={"from": previous.isoformat(), "to": group.review_at.isoformat()})
    return view_of(access)


def _change_status(access: GroupAccess, status: GroupStatus) -> GroupView:
    group = access.group
    previous = group.status
    group.status = status
    db.session.flush()
    audit.record(f"group.{_status_verb(previous, status)}", actor_id=access.user.id, group_id=group.id,
                 subject_type="group", subject_id=group.id, details={"from": previous.value, "to": status.value})
    return view_of(access)


def _status_verb(previous: GroupStatus, status: GroupStatus) -> str:
    if status == GroupStatus.active:
        return "resumed" if previous == GroupStatus.paused else "activated"
    return status.value


# Listing and finding ------------------------------------------------------------------------------------

def covering(postcode: str):
    """Condition on GroupPostcode: a 4-digit area covers all its 6-character postcodes, and the reverse."""
    if len(postcode) == 6:
        return or_(GroupPostcode.postcode == postcode, GroupPostcode.postcode == postcode[:4])
    return or_(GroupPostcode.postcode == postcode, GroupPostcode.postcode.like(postcode + "%"))


def _covering_ids(postcode: str) -> Select:
    return select(GroupPostcode.group_id).where(covering(postcode))


def list_groups(user: User, filters: dict, page: int, page_size: int) -> tuple[list[GroupView], int]:
    """The caller's groups (admins: all), with their relation to each, in a fixed number of queries."""
    stmt = select(Group)
    visible = visible_group_ids(user)
    if visible is not None:
        stmt = stmt.where(Group.id.in_(visible))
    if filters.get("status") is not None:
        stmt = stmt.where(Group.status == filters["status"])
    if filters.get("postcode"):
        stmt = stmt.where(Group.id.in_(_covering_ids(filters["postcode"])))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    if beyond_last_page(page):
        return [], total
    page_stmt = (stmt.options(selectinload(Group.postcodes)).order_by(Group.name, Group.id)
                 .limit(page_size).offset((page - 1) * page_size))
    groups = db.session.scalars(page_stmt).all()
    ids = [group.id for group in groups]
    if not ids:
        return [], total
    mine = {m.group_id: m for m in db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.group_id.in_(ids)))}
    linked = set()
    if user.is_professional:
        linked = set(db.session.scalars(select(ProfessionalLink.group_id).where(
            ProfessionalLink.user_id == user.id, ProfessionalLink.group_id.in_(ids))))
    counts = memberships.member_counts(ids)
    views = [GroupView(g, mine.get(g.id), g.id in linked, user.is_admin, counts.get(g.id, 0)) for g in groups]
    return views, total


def search(postcode: str) -> Select:
    """Active groups covering a postcode; callers show only their public face."""
    return (select(Group).where(Group.status == GroupStatus.active, Group.id.in_(_covering_ids(postcode)))
            .options(selectinload(Group.postcodes)).order_by(Group.name, Group.id))
