"""Linking professionals (community officers, municipality staff) to groups; only admins do this.

A linked professional answers the group's reports but is not a member: they never see the member list.
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from api.extensions import db
from api.models import ProfessionalLink, User
from api.services import audit
from api.services.access import GroupAccess
from api.services.errors import Conflict, Forbidden, Invalid, NotFound


def _require_admin(access: GroupAccess) -> None:
    if not access.is_admin:
        raise Forbidden("Only an admin of the municipality can link or unlink professionals.")


def link(access: GroupAccess, user_id: int) -> ProfessionalLink:
    _require_admin(access)
    access.require_writable()
    user = db.session.get(User, user_id)
    if user is None or not user.is_professional or not user.is_active:
        raise Invalid("Only an active professional account can be linked.",
                      {"user_id": ["No active professional account has this id."]})
    if _find(access, user_id) is not None:
        raise Conflict("This professional is already linked to the group.")
    link = ProfessionalLink(group_id=access.group.id, user_id=user.id, created_by_id=access.user.id)
    db.session.add(link)
    db.session.flush()
    audit.record("professional.linked", actor_id=access.user.id, group_id=access.group.id, subject_type="user",
                 subject_id=user.id)
    return link


def unlink(access: GroupAccess, user_id: int) -> None:
    _require_admin(access)
    link = _find(access, user_id)
    if link is None:
        raise NotFound("This professional is not linked to the group.")
    db.session.delete(link)
    db.session.flush()
    audit.record("professional.unlinked", actor_id=access.user.id, group_id=access.group.id, subject_type="user",
                 subject_id=user_id)


def list_for(access: GroupAccess) -> Select:
    access.require_moderator()
    return (select(ProfessionalLink).where(ProfessionalLink.group_id == access.group.id)
            .options(selectinload(ProfessionalLink.user)).order_by(ProfessionalLink.created_at, ProfessionalLink.id))


def _find(access: GroupAccess, user_id: int) -> ProfessionalLink | None:
    return db.session.scalar(select(ProfessionalLink).where(ProfessionalLink.group_id == access.group.id,
                                                            ProfessionalLink.user_id == user_id))
