"""Invite codes moderators share as a link; a code is checked and counted when someone joins with it."""

import secrets
from datetime import timedelta

from sqlalchemy import Select, or_, select, update

from api.extensions import db
from api.models import Group, Invite, utcnow
from api.services import audit
from api.services.access import GroupAccess, group_access
from api.services.errors import Conflict, Invalid, NotFound

DEFAULT_LIFETIME = timedelta(days=30)
MAX_LIFETIME = timedelta(days=366)
INVITE_NOT_FOUND = "Invite not found."


def create(access: GroupAccess, data: dict) -> Invite:
    access.require_moderator().require_writable()
    expires_at = data.get("expires_at") or utcnow() + DEFAULT_LIFETIME
    if expires_at <= utcnow():
        raise Invalid("An invite must expire in the future.", {"expires_at": ["Choose a moment in the future."]})
    if expires_at > utcnow() + MAX_LIFETIME:
        raise Invalid("An invite can last at most a year.", {"expires_at": ["Choose a moment within a year."]})
    invite = Invite(group_id=access.group.id, code=secrets.token_urlsafe(9), max_uses=data.get("max_uses"),
                    expires_at=expires_at, created_by_id=access.user.id)
    db.session.add(invite)
    db.session.flush()
    audit.record("invite.created", actor_id=access.user.id, group_id=access.group.id, subject_type="invite",
                 subject_id=invite.id, details={"max_uses": invite.max_uses})
    return invite


def list_for(access: GroupAccess) -> Select:
    access.require_moderator()
    return select(Invite).where(Invite.group_id == access.group.id).order_by(Invite.created_at.desc(),
                                                                             Invite.id.desc())


def revoke(invite_id: int) -> Invite:
    invite = db.session.get(Invite, invite_id)
    if invite is None:
        raise NotFound(INVITE_NOT_FOUND)
    try:
        access = group_access(invite.group_id)
    except NotFound:
        raise NotFound(INVITE_NOT_FOUND) from None
    access.require_moderator().require_writable()
    if invite.is_revoked:
        raise Conflict("This invite was already withdrawn.")
    invite.revoked_at = utcnow()
    db.session.flush()
    audit.record("invite.revoked", actor_id=access.user.id, group_id=invite.group_id, subject_type="invite",
                 subject_id=invite.id)
    return invite


def find_usable(group: Group, code: str) -> Invite:
    """The group's invite with this code, or Invalid saying plainly why it cannot be used."""
    invite = db.session.scalar(select(Invite).where(Invite.code == code.strip()))
    if invite is None or invite.group_id != group.id:
        raise _bad_code("This invite code is not valid for this group. Check the link you received.")
    if invite.is_revoked:
        raise _bad_code("This invite code was withdrawn by a moderator. Ask them for a new one.")
    if invite.is_expired:
        raise _bad_code("This invite code has expired. Ask a moderator for a new one.")
    if invite.is_exhausted:
        raise _bad_code("This invite code has been used up. Ask a moderator for a new one.")
    return invite


def use(invite: Invite) -> None:
    # One conditional update: two neighbours using the last place on a code cannot both get it.
    counted = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, or_(Invite.max_uses.is_(None), Invite.uses < Invite.max_uses))
        .values(uses=Invite.uses + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not counted:
        raise _bad_code("This invite code has been used up. Ask a moderator for a new one.")
    db.session.refresh(invite)


def _bad_code(message: str) -> Invalid:
    return Invalid(message, {"code": [message]})
