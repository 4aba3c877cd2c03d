"""Flags from members; hiding and unhiding by moderators, with a reason and an audit trail entry.

Nothing is deleted: hidden content stays readable for its author (with the reason) and for moderators.
"""

from sqlalchemy import select, update

from api.extensions import db
from api.models import Flag, HelpPost, HelpReply, utcnow
from api.services import audit
from api.services.access import GroupAccess
from api.services.errors import Conflict
from api.services.help import load_post, load_reply


def _flag(access: GroupAccess, post: HelpPost, reply: HelpReply | None, reason: str) -> Flag:
    access.require_writable()
    reply_id = reply.id if reply is not None else None
    already = db.session.scalar(
        select(Flag.id).where(
            Flag.post_id == post.id,
            Flag.reply_id.is_(None) if reply_id is None else Flag.reply_id == reply_id,
            Flag.user_id == access.user.id,
            Flag.resolved_at.is_(None),
        )
    )
    if already is not None:
        raise Conflict("You have already flagged this; a moderator will look at it.")
    flag = Flag(group_id=post.group_id, post_id=post.id, reply_id=reply_id, user_id=access.user.id, reason=reason)
    db.session.add(flag)
    db.session.flush()
    return flag


def flag_post(help_id: int, reason: str) -> Flag:
    post, access = load_post(help_id)
    return _flag(access, post, None, reason)


def flag_reply(help_id: int, reply_id: int, reason: str) -> Flag:
    post, access = load_post(help_id)
    return _flag(access, post, load_reply(post, reply_id), reason)


def _resolve_flags(post: HelpPost, reply: HelpReply | None) -> None:
    target = Flag.reply_id.is_(None) if reply is None else Flag.reply_id == reply.id
    db.session.execute(
        update(Flag)
        .where(Flag.post_id == post.id, target, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _set_hidden(access: GroupAccess, post: HelpPost, reply: HelpReply | None, hidden: bool, reason: str | None):
    access.require_moderator().require_writable()
    target = reply if reply is not None else post
    if target.hidden == hidden:
        raise Conflict("This is already hidden." if hidden else "This is not hidden.")
    previous_reason = target.hidden_reason
    target.hidden = hidden
    target.hidden_reason = reason if hidden else None
    target.hidden_at = utcnow() if hidden else None
    _resolve_flags(post, reply)
    subject_type = "help_reply" if reply is not None else "help_post"
    details = {"reason": reason} if hidden else {"reason": reason, "hidden_reason": previous_reason}
    audit.record(f"{subject_type}.{'hidden' if hidden else 'unhidden'}", actor_id=access.user.id,
                 group_id=post.group_id, subject_type=subject_type, subject_id=target.id, details=details)
    db.session.flush()
    return target


def hide_post(help_id: int, reason: str) -> HelpPost:
    post, access = load_post(help_id)
    return _set_hidden(access, post, None, True, reason)


def unhide_post(help_id: int, reason: str | None = None) -> HelpPost:
    post, access = load_post(help_id)
    return _set_hidden(access, post, None, False, reason)


def hide_reply(help_id: int, reply_id: int, reason: str) -> HelpReply:
    post, access = load_post(help_id)
    return _set_hidden(access, post, load_reply(post, reply_id), True, reason)


def unhide_reply(help_id: int, reply_id: int, reason: str | None = None) -> HelpReply:
    post, access = load_post(help_id)
    return _set_hidden(access, post, load_reply(post, reply_id), False, reason)
