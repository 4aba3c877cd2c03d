"""Neighbour help: posting, replying, accepting, RSVPs and closing; activity counts for the health view.

Only active members (and admins acting for the municipality) take part. A post is changed by its author or
a moderator; only the author accepts a reply. Events close when they end: read as ``done`` at once, stored
as ``done`` by the sweep job.
"""

from datetime import datetime, timedelta

from flask_jwt_extended import current_user
from sqlalchemy import and_, case, func, not_, or_, select, update
from sqlalchemy.orm import joinedload, selectinload, with_expression

from api.extensions import db
from api.models import (
    HelpKind,
    HelpPost,
    HelpReply,
    HelpStatus,
    Rsvp,
    RsvpResponse,
    utcnow,
)
from api.models.help import ACTIVE_STATUSES, LENDING_KINDS
from api.services import events
from api.services.access import GroupAccess, group_access
from api.services.errors import Conflict, Forbidden, Invalid, NotFound
from api.services.viewer import set_viewer

HELP_NOT_FOUND = "Help request not found."
REPLY_NOT_FOUND = "Reply not found."
EVENT_FIELDS = ("starts_at", "ends_at", "place", "max_participants")
LENDING_FIELDS = ("item", "lend_from", "lend_until")
ACTIVITY_DEFAULT_PERIOD = timedelta(days=30)


# --- loading and access -------------------------------------------------------------------------------------

def member_access(group_id: int) -> GroupAccess:
    access = group_access(group_id).require_member()
    set_viewer(access.user.id, access.can_moderate)
    return access


def load_post(help_id: int) -> tuple[HelpPost, GroupAccess]:
    """The post and the caller's access; a missing post and one in another group answer the same 404."""
    post = db.session.get(HelpPost, help_id)
    if post is None:
        raise NotFound(HELP_NOT_FOUND)
    try:
        access = member_access(post.group_id)
    except NotFound:
        raise NotFound(HELP_NOT_FOUND) from None
    return post, access


def load_reply(post: HelpPost, reply_id: int) -> HelpReply:
    reply = db.session.get(HelpReply, reply_id)
    if reply is None or reply.post_id != post.id:
        raise NotFound(REPLY_NOT_FOUND)
    return reply


def require_author_or_moderator(post: HelpPost, access: GroupAccess) -> None:
    if post.author_id != access.user.id and not access.can_moderate:
        raise Forbidden("Only the author or a moderator can change this request.")


def _post_query(user_id: int):
    """Posts with everything a response shows, in one SELECT (counts are correlated subqueries)."""
    mine = (
        select(Rsvp.response)
        .where(Rsvp.post_id == HelpPost.id, Rsvp.user_id == user_id)
        .correlate_except(Rsvp)
        .scalar_subquery()
    )
    return select(HelpPost).options(
        joinedload(HelpPost.author),
        joinedload(HelpPost.arranged_with),
        with_expression(HelpPost.my_rsvp, mine),
    )


def present(post: HelpPost, *, with_replies: bool = False) -> HelpPost:
    """Reload a post with its counts and the caller's RSVP, as the response shows them."""
    stmt = _post_query(current_user.id).where(HelpPost.id == post.id)
    if with_replies:
        stmt = stmt.options(selectinload(HelpPost.replies).joinedload(HelpReply.author),
                            selectinload(HelpPost.open_flags))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).unique().one()


# --- lists ----------------------------------------------------------------------------------------------------

def _ended(now: datetime):
    return and_(HelpPost.kind == HelpKind.event, HelpPost.ends_at <= now)


def _status_is(status: HelpStatus, now: datetime):
    """Filter on the status as read: an active event that has ended counts as done."""
    if status == HelpStatus.done:
        return or_(HelpPost.status == HelpStatus.done,
                   and_(HelpPost.status.in_(ACTIVE_STATUSES), _ended(now)))
    if status in ACTIVE_STATUSES:
        return and_(HelpPost.status == status, not_(_ended(now)))
    return HelpPost.status == status


def list_posts(group_id: int, kind: HelpKind | None = None, status: HelpStatus | None = None):
    """Upcoming events first (soonest first), then everything else newest first."""
    access = member_access(group_id)
    now = utcnow()
    stmt = _post_query(access.user.id).where(HelpPost.group_id == group_id)
    if kind is not None:
        stmt = stmt.where(HelpPost.kind == kind)
    if status is not None:
        stmt = stmt.where(_status_is(status, now))
    upcoming = and_(HelpPost.kind == HelpKind.event, HelpPost.status.in_(ACTIVE_STATUSES), HelpPost.ends_at > now)
    return stmt.order_by(
        case((upcoming, 0), else_=1),
        case((upcoming, HelpPost.starts_at), else_=None),
        HelpPost.created_at.desc(),
        HelpPost.id.desc(),
    )


def get_post(help_id: int) -> HelpPost:
    post, _access = load_post(help_id)
    return present(post, with_replies=True)


def list_replies(help_id: int):
    load_post(help_id)
    return (
        select(HelpReply)
        .where(HelpReply.post_id == help_id)
        .options(joinedload(HelpReply.author))
        .order_by(HelpReply.created_at, HelpReply.id)
    )


# --- validation -----------------------------------------------------------------------------------------------

def _field_errors(kind: HelpKind, values: dict, changed: set[str], now: datetime) -> dict[str, list[str]]:
    """Which fields a kind takes and which dates are possible; ``changed`` limits the "in the past" checks
    to what the caller is setting now (an old post may keep its old dates)."""
    errors: dict[str, list[str]] = {}
    if kind == HelpKind.event:
        for name in ("starts_at", "ends_at", "place"):
            if values.get(name) is None:
                errors[name] = ["An event needs a start, an end and a place."]
        starts, ends = values.get("starts_at"), values.get("ends_at")
        if starts and ends and ends <= starts:
            errors["ends_at"] = ["The event must end after it starts."]
        elif ends and {"starts_at", "ends_at"} & changed and ends <= now:
            errors["ends_at"] = ["This event would already be over."]
    else:
        for name in EVENT_FIELDS:
            if values.get(name) is not None:
                errors[name] = ["Only events have this field."]
    if kind in LENDING_KINDS:
        if not values.get("item"):
            errors["item"] = ["Say what you would like to borrow or can lend."]
        lend_from, lend_until = values.get("lend_from"), values.get("lend_until")
        if lend_from and lend_until and lend_until < lend_from:
            errors["lend_until"] = ["The lending period must end after it starts."]
        elif lend_until and {"lend_from", "lend_until"} & changed and lend_until <= now:
            errors["lend_until"] = ["The lending period is in the past."]
    else:
        for name in LENDING_FIELDS:
            if values.get(name) is not None:
                errors[name] = ["Only lending requests and offers have this field."]
    return errors


def _raise_if(errors: dict) -> None:
    if errors:
        raise Invalid("The input is not valid; see errors for each field.", errors)


# --- writing posts --------------------------------------------------------------------------------------------

def create_post(group_id: int, data: dict) -> HelpPost:
    access = member_access(group_id).require_writable()
    kind = data["kind"]
    _raise_if(_field_errors(kind, data, set(data), utcnow()))
    post = HelpPost(group_id=group_id, author_id=access.user.id, status=HelpStatus.open, **data)
    db.session.add(post)
    db.session.flush()
    events.record("help.created", group_id=group_id, actor_id=access.user.id, subject_type="help_post",
                  subject_id=post.id, data={"kind": kind.value})
    return post


def _require_active(post: HelpPost) -> None:
    if post.is_closed:
        raise Conflict(f"This request is {post.effective_status.value} and can no longer be changed.")


def load_post_to_change(help_id: int) -> HelpPost:
    """A post its author or a moderator is about to change, in a group that is not archived."""
    post, access = load_post(help_id)
    access.require_writable()
    require_author_or_moderator(post, access)
    return post


def update_post(help_id: int, changes: dict) -> HelpPost:
    post = load_post_to_change(help_id)
    _require_active(post)
    values = {name: getattr(post, name) for name in (*EVENT_FIELDS, *LENDING_FIELDS)} | changes
    errors = _field_errors(post.kind, values, set(changes), utcnow())
    new_max = changes.get("max_participants")
    if new_max is not None and new_max < post.going_count:
        errors["max_participants"] = [f"{post.going_count} neighbours are already going; the maximum cannot be lower."]
    _raise_if(errors)
    for name, value in changes.items():
        setattr(post, name, value)
    db.session.flush()
    return post


def _close(post: HelpPost, status: HelpStatus) -> HelpPost:
    post.status = status
    post.closed_at = utcnow()
    db.session.flush()
    return post


def cancel(help_id: int) -> HelpPost:
    post = load_post_to_change(help_id)
    _require_active(post)
    return _close(post, HelpStatus.cancelled)


def mark_done(help_id: int) -> HelpPost:
    post = load_post_to_change(help_id)
    _require_active(post)
    return _close(post, HelpStatus.done)


def mark_returned(help_id: int) -> HelpPost:
    """The lent thing is back: the loan is done."""
    post = load_post_to_change(help_id)
    if not post.is_lending:
        raise Conflict("Only lending requests and offers are returned.")
    if post.returned_at is not None:
        raise Conflict("This was already marked returned.")
    if post.status == HelpStatus.open:
        raise Conflict("Nothing has been lent yet: accept a reply first.")
    if post.status == HelpStatus.cancelled:
        raise Conflict("This request was cancelled.")
    post.returned_at = utcnow()
    if post.status != HelpStatus.done:
        _close(post, HelpStatus.done)
    db.session.flush()
    return post


# --- replies --------------------------------------------------------------------------------------------------

def _require_open_to_neighbours(post: HelpPost) -> None:
    if post.hidden:
        raise Conflict("A moderator has hidden this request.")
    if post.is_closed:
        raise Conflict(f"This request is {post.effective_status.value}; it takes no more answers.")


def create_reply(help_id: int, data: dict) -> HelpReply:
    post, access = load_post(help_id)
    access.require_writable()
    _require_open_to_neighbours(post)
    reply = HelpReply(post_id=post.id, author_id=access.user.id, body=data["body"])
    db.session.add(reply)
    db.session.flush()
    events.record("help.reply_created", group_id=post.group_id, actor_id=access.user.id, subject_type="help_post",
                  subject_id=post.id, data={"reply_id": reply.id})
    return reply


def accept_reply(help_id: int, reply_id: int) -> HelpPost:
    """The author picks the neighbour who lends or helps: the request is arranged with them."""
    post, access = load_post(help_id)
    access.require_writable()
    reply = load_reply(post, reply_id)
    if post.author_id != access.user.id:
        raise Forbidden("Only the author of the request can accept a reply.")
    if post.is_event:
        raise Conflict("Events are not arranged with one neighbour; neighbours answer with an RSVP.")
    _require_open_to_neighbours(post)
    if post.status != HelpStatus.open:
        raise Conflict("This request is already arranged.")
    if reply.hidden:
        raise Conflict("A moderator has hidden this reply.")
    if reply.author_id == access.user.id:
        raise Conflict("You cannot accept your own reply.")
    reply.accepted_at = utcnow()
    post.status = HelpStatus.arranged
    post.arranged_with_id = reply.author_id
    db.session.flush()
    return post


# --- RSVPs ----------------------------------------------------------------------------------------------------

def rsvp_counts(post_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Rsvp.response, func.count(Rsvp.id)).where(Rsvp.post_id == post_id).group_by(Rsvp.response)
    )
    counts = {response.value: 0 for response in RsvpResponse}
    for response, count in rows:
        counts[RsvpResponse(response).value] = count
    return counts


def respond(help_id: int, response: RsvpResponse) -> dict:
    post, access = load_post(help_id)
    access.require_writable()
    if not post.is_event:
        raise Conflict("Only events take RSVPs.")
    if post.status == HelpStatus.cancelled:
        raise Conflict("This event was cancelled.")
    if post.status == HelpStatus.done or post.has_ended():
        raise Conflict("This event has ended; RSVPs are closed.")
    if post.hidden:
        raise Conflict("A moderator has hidden this event.")
    # Two neighbours taking the last place at once: the row lock makes the second one wait and count again.
    db.session.execute(select(HelpPost.id).where(HelpPost.id == post.id).with_for_update())
    mine = db.session.scalar(select(Rsvp).where(Rsvp.post_id == post.id, Rsvp.user_id == access.user.id))
    counts = rsvp_counts(post.id)
    newly_going = response == RsvpResponse.going and (mine is None or mine.response != RsvpResponse.going)
    if newly_going and post.max_participants is not None and counts["going"] >= post.max_participants:
        raise Conflict(
            f"This event is full: all {post.max_participants} places are taken. "
            "You can answer 'maybe' to show you are interested."
        )
    if mine is None:
        db.session.add(Rsvp(post_id=post.id, user_id=access.user.id, response=response))
    else:
        mine.response = response
    db.session.flush()
    counts = rsvp_counts(post.id)
    places_left = None if post.max_participants is None else max(post.max_participants - counts["going"], 0)
    return {"response": response, "rsvp_counts": counts, "max_participants": post.max_participants,
            "places_left": places_left}


# --- activity and the sweep -----------------------------------------------------------------------------------

def activity_counts(group_id: int, start: datetime, end: datetime) -> dict[str, int]:
    """Posts written, replies written and events held (ended, not cancelled) in [start, end)."""
    held_until = min(end, utcnow())
    posts = db.session.scalar(
        select(func.count(HelpPost.id)).where(
            HelpPost.group_id == group_id, HelpPost.created_at >= start, HelpPost.created_at < end
        )
    )
    replies = db.session.scalar(
        select(func.count(HelpReply.id))
        .join(HelpPost, HelpReply.post_id == HelpPost.id)
        .where(HelpPost.group_id == group_id, HelpReply.created_at >= start, HelpReply.created_at < end)
    )
    events_held = db.session.scalar(
        select(func.count(HelpPost.id)).where(
            HelpPost.group_id == group_id,
            HelpPost.kind == HelpKind.event,
            HelpPost.status != HelpStatus.cancelled,
            HelpPost.ends_at >= start,
            HelpPost.ends_at < held_until,
        )
    )
    return {"posts": posts, "replies": replies, "events_held": events_held}


def group_activity(group_id: int, start: datetime | None = None, end: datetime | None = None) -> dict:
    group_access(group_id).require_moderator()
    end = end or utcnow()
    start = start or end - ACTIVITY_DEFAULT_PERIOD
    if start >= end:
        raise Invalid("The period is empty.", {"to": ["Must be after `from`."]})
    return {"group_id": group_id, "start": start, "end": end, **activity_counts(group_id, start, end)}


def close_ended_events() -> int:
    """Sweep job: store ``done`` for events that have ended (reads already show them done)."""
    result = db.session.execute(
        update(HelpPost)
        .where(HelpPost.kind == HelpKind.event, HelpPost.status.in_(ACTIVE_STATUSES), HelpPost.ends_at <= utcnow())
        .values(status=HelpStatus.done, closed_at=HelpPost.ends_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0

