"""Who may see and do what in a group.

Every object route starts here. A caller who has no relation to a group gets ``NotFound`` (404),
never ``Forbidden``: outsiders cannot even learn that a group or its objects exist. A caller who
can see the group but lacks the role gets ``Forbidden`` (403).

Relations to a group:
- admin: the municipality; sees every group and acts as a moderator in any of them
- moderator / member: an *active* membership
- pending: asked to join; sees the group's public face (charter, contacts) only
- professional: linked to the group; answers reports, never sees members
"""

from dataclasses import dataclass

from flask_jwt_extended import current_user
from sqlalchemy import select

from api.extensions import db
from api.models import Group, Membership, MembershipStatus, ProfessionalLink, User
from api.services.errors import Forbidden, NotFound

GROUP_NOT_FOUND = "Group not found."


@dataclass(frozen=True)
class GroupAccess:
    group: Group
    user: User
    membership: Membership | None
    linked_professional: bool

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    @property
    def is_member(self) -> bool:
        """An active member (moderators included)."""
        return self.membership is not None and self.membership.is_active

    @property
    def is_pending(self) -> bool:
        return self.membership is not None and self.membership.status == MembershipStatus.pending

    @property
    def is_moderator(self) -> bool:
        return self.membership is not None and self.membership.is_moderator

    @property
    def can_moderate(self) -> bool:
        return self.is_moderator or self.is_admin

    @property
    def can_read_reports(self) -> bool:
        return self.is_member or self.linked_professional or self.is_admin

    @property
    def can_give_feedback(self) -> bool:
        return self.linked_professional or self.can_moderate

    def require_member(self) -> "GroupAccess":
        """Active members, and admins acting for the municipality."""
        if not (self.is_member or self.is_admin):
            raise Forbidden("Only members of this group can do this.")
        return self

    def require_moderator(self) -> "GroupAccess":
        if not self.can_moderate:
            raise Forbidden("Only a moderator of this group can do this.")
        return self

    def require_report_reader(self) -> "GroupAccess":
        if not self.can_read_reports:
            raise Forbidden("Only members and linked professionals can see this group's reports.")
        return self

    def require_feedback_giver(self) -> "GroupAccess":
        if not self.can_give_feedback:
            raise Forbidden("Only linked professionals and moderators can answer reports.")
        return self

    def require_writable(self) -> "GroupAccess":
        from api.models import GroupStatus

        if self.group.status == GroupStatus.archived:
            raise Forbidden("This group is archived and can no longer be changed.")
        return self


def membership_of(user_id: int, group_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.group_id == group_id)
    )


def is_linked_professional(user: User, group_id: int) -> bool:
    if not user.is_professional:
        return False
    link = select(ProfessionalLink.id).where(ProfessionalLink.user_id == user.id, ProfessionalLink.group_id == group_id)
    return db.session.scalar(link) is not None


def group_access(group_id: int, user: User | None = None) -> GroupAccess:
    """The caller's relation to a group, or NotFound when they have none."""
    user = user or current_user
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(GROUP_NOT_FOUND)
    membership = membership_of(user.id, group_id)
    linked = is_linked_professional(user, group_id)
    visible = (
        user.is_admin
        or linked
        or (membership is not None and membership.status in (MembershipStatus.active, MembershipStatus.pending))
    )
    if not visible:
        raise NotFound(GROUP_NOT_FOUND)
    return GroupAccess(group=group, user=user, membership=membership, linked_professional=linked)


def visible_group_ids(user: User) -> list[int] | None:
    """Ids of groups the user may see; None means all (admins)."""
    if user.is_admin:
        return None
    member_of = select(Membership.group_id).where(
        Membership.user_id == user.id,
        Membership.status.in_([MembershipStatus.active, MembershipStatus.pending]),
    )
    linked_to = select(ProfessionalLink.group_id).where(ProfessionalLink.user_id == user.id)
    return list(db.session.scalars(member_of.union(linked_to)))
