"""Who hears about what: turns domain events into push deliveries, in the event's own transaction.

Subscribed to ``api.services.events``; every delivery row is written before the transaction that
records the event commits, so an event and its notifications are committed together or not at all
(an outbox). The worker (``api/push/worker.py``) sends them.

- ``report.created`` urgent: active members, moderators and linked professionals; high urgency, short
  TTL, through quiet hours. Normal: the same people (unless they turned normal reports off), normal
  urgency, held until their quiet hours end.
- ``report.feedback``: every active member; Topic ``report-<id>`` replaces the earlier notification.
- ``report.escalated``: moderators and linked professionals. ``checkin.task_created``: moderators.
- ``help.created``: members by preference (immediate, daily digest, off); low urgency.
- ``survey.follow_up_due``: the one user named in the event.
The author of an event is never notified of it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, insert, select, text, union
from sqlalchemy.orm import Session

from api.extensions import db
from api.models import (
    Delivery,
    DeliveryStatus,
    DigestEntry,
    Event,
    HelpMode,
    Locale,
    MemberRole,
    Membership,
    MembershipStatus,
    NotificationPreference,
    ProfessionalLink,
    PushHostBackoff,
    PushSubscription,
    PushUrgency,
    Role,
    User,
    utcnow,
)
from api.models.push import DEFAULT_TIMEZONE
from api.services import events, push_payload
from api.services.push_subscriptions import push_host

WAKE_FLAG = "push_deliveries_added"
ACKNOWLEDGEABLE = {"report.urgent", "report.normal", "report.escalated"}
PG_CHANNEL = "buurtwacht_push"

HOUR = 3600
DAY = 24 * HOUR


def members(event: Event):
    return select(Membership.user_id).where(
        Membership.group_id == event.group_id, Membership.status == MembershipStatus.active
    )


def moderators(event: Event):
    return members(event).where(Membership.role == MemberRole.moderator)


def professionals(event: Event):
    return select(ProfessionalLink.user_id).where(ProfessionalLink.group_id == event.group_id)


def everyone(event: Event):
    return union(members(event), professionals(event))


def moderators_and_professionals(event: Event):
    return union(moderators(event), professionals(event))


def named_user(event: Event):
    return select(User.id).where(User.id == int((event.data or {}).get("user_id") or 0))


@dataclass(frozen=True)
class Rule:
    message_type: str
    audience: Callable
    urgency: PushUrgency
    ttl: int
    through_quiet_hours: bool = False
    topic_by_subject: bool = False


def rule_for(event: Event) -> Rule | None:
    data = event.data or {}
    if event.kind == "report.created":
        if data.get("urgency") == "urgent":
            return Rule("report.urgent", everyone, PushUrgency.high, 30 * 60, through_quiet_hours=True,
                        topic_by_subject=True)
        return Rule("report.normal", everyone, PushUrgency.normal, 12 * HOUR, topic_by_subject=True)
    return RULES.get(event.kind)


RULES = {
    "report.feedback": Rule("report.feedback", members, PushUrgency.normal, DAY, topic_by_subject=True),
    "report.escalated": Rule("report.escalated", moderators_and_professionals, PushUrgency.high, 2 * HOUR,
                             topic_by_subject=True),
    # Recorded with every new report, right after report.created: low urgency, so it never adds a second alarm.
    "checkin.task_created": Rule("checkin.task_created", moderators, PushUrgency.low, DAY, topic_by_subject=True),
    "help.created": Rule("help.created", members, PushUrgency.low, DAY, topic_by_subject=True),
    "survey.follow_up_due": Rule("survey.follow_up_due", named_user, PushUrgency.low, 7 * DAY),
}


def quiet_hours_end(preference: NotificationPreference | None, now: datetime) -> datetime | None:
    """When the recipient's quiet hours end, if ``now`` falls inside them; otherwise None."""
    if preference is None or preference.quiet_hours_start is None or preference.quiet_hours_end is None:
        return None
    start, end = preference.quiet_hours_start, preference.quiet_hours_end
    if start == end:
        return None
    zone = ZoneInfo(preference.timezone or DEFAULT_TIMEZONE)
    local = now.astimezone(zone)
    current = local.time().replace(tzinfo=None)
    if start < end:
        inside, end_day = start <= current < end, local.date()
    else:  # across midnight, e.g. 22:00-07:00
        inside = current >= start or current < end
        end_day = local.date() + timedelta(days=1) if current >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


@dataclass
class Recipient:
    subscription_id: int
    endpoint: str
    user_id: int
    locale: str
    professional: bool
    preference: NotificationPreference | None


def recipients(user_ids) -> list[Recipient]:
    """Every subscription of the given users, with their language and preferences, in one query."""
    rows = db.session.execute(
        select(PushSubscription.id, PushSubscription.endpoint, User.id, User.locale, User.role,
               NotificationPreference)
        .join(User, User.id == PushSubscription.user_id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(PushSubscription.user_id.in_(user_ids), User.is_active.is_(True))
        .order_by(PushSubscription.id)
    )
    return [Recipient(sid, endpoint, uid, Locale(locale).value, Role(role) == Role.professional, pref)
            for sid, endpoint, uid, locale, role, pref in rows]


def on_event(event: Event) -> None:
    rule = rule_for(event)
    if rule is None:
        return
    audience = select(rule.audience(event).subquery().c[0])
    now = utcnow()
    payloads: dict[tuple[str, bool], dict] = {}
    rows, digest_users = [], set()
    for recipient in recipients(audience):
        if recipient.user_id == event.actor_id:
            continue
        preference = recipient.preference
        if rule.message_type == "report.normal" and preference is not None and not preference.normal_reports:
            continue
        if rule.message_type == "help.created" and preference is not None:
            mode = preference.help_mode((event.data or {}).get("kind"))
            if mode == HelpMode.off:
                continue
            if mode == HelpMode.digest:
                digest_users.add(recipient.user_id)
                continue
        # Professionals can acknowledge a report straight from the notification.
        variant = (recipient.locale, recipient.professional and rule.message_type in ACKNOWLEDGEABLE)
        if variant not in payloads:
            payloads[variant] = push_payload.build(
                rule.message_type, recipient.locale, subject_id=event.subject_id, group_id=event.group_id,
                data=event.data, can_acknowledge=variant[1],
            )
        payload = payloads[variant]
        deferred = None if rule.through_quiet_hours else quiet_hours_end(preference, now)
        rows.append(_delivery_row(recipient, payload, rule.urgency, rule.ttl,
                                  topic=payload["tag"] if rule.topic_by_subject else None,
                                  event_id=event.id, not_before=deferred or now))
    for user_id in digest_users:
        db.session.add(DigestEntry(user_id=user_id, event_id=event.id, created_at=now))
    enqueue(rows)


def _delivery_row(recipient: Recipient, payload: dict, urgency: PushUrgency, ttl: int, *, topic: str | None,
                  event_id: int | None, not_before: datetime) -> dict:
    return {
        "subscription_id": recipient.subscription_id,
        "event_id": event_id,
        "user_id": recipient.user_id,
        "push_host": push_host(recipient.endpoint),
        "payload": payload,
        "urgency": urgency,
        "ttl": ttl,
        "topic": topic,
        "status": DeliveryStatus.pending,
        "attempts": 0,
        "next_attempt_at": not_before,
        "created_at": utcnow(),
    }


def enqueue(rows: list[dict]) -> None:
    """Write delivery rows in the current transaction and wake the workers once it commits."""
    if not rows:
        return
    db.session.execute(insert(Delivery), rows)
    db.session.info[WAKE_FLAG] = True
    if db.engine.dialect.name == "postgresql":
        # Delivered to LISTENing workers (on any machine) only when this transaction commits.
        db.session.execute(text(f"NOTIFY {PG_CHANNEL}"))


def next_digest_time(after: datetime, zone: ZoneInfo, hour: int) -> datetime:
    local = after.astimezone(zone)
    moment = datetime.combine(local.date(), time(hour), tzinfo=zone)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), time(hour), tzinfo=zone)
    return moment.astimezone(UTC)


def send_help_digests() -> int:
    """Sweep job: one summary per user whose daily digest moment has come; returns how many users."""
    now = utcnow()
    hour = current_app.config["PUSH_DIGEST_HOUR"]
    entries = db.session.execute(select(DigestEntry.user_id, DigestEntry.created_at)).all()
    oldest: dict[int, datetime] = {}
    counts: dict[int, int] = defaultdict(int)
    for user_id, created_at in entries:
        counts[user_id] += 1
        oldest[user_id] = min(oldest.get(user_id, created_at), created_at)
    due = []
    preferences = {p.user_id: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(list(oldest))))}
    for user_id, first in oldest.items():
        zone = ZoneInfo(getattr(preferences.get(user_id), "timezone", None) or DEFAULT_TIMEZONE)
        if next_digest_time(first, zone, hour) <= now:
            due.append(user_id)
    if not due:
        return 0
    rows = []
    for recipient in recipients(due):
        payload = push_payload.build("help.digest", recipient.locale, data={"count": counts[recipient.user_id]})
        deferred = quiet_hours_end(recipient.preference, now)
        rows.append(_delivery_row(recipient, payload, PushUrgency.low, DAY, topic="help-digest", event_id=None,
                                  not_before=deferred or now))
    db.session.execute(delete(DigestEntry).where(DigestEntry.user_id.in_(due)))
    enqueue(rows)
    return len(due)


def purge_settled_deliveries() -> int:
    """Sweep job: settled deliveries older than the report retention period go, and so do expired back-offs."""
    cutoff = utcnow() - timedelta(days=current_app.config["REPORT_RETENTION_DAYS"])
    result = db.session.execute(
        delete(Delivery).where(
            Delivery.status.in_([DeliveryStatus.sent, DeliveryStatus.failed, DeliveryStatus.gone]),
            Delivery.created_at < cutoff,
        )
    )
    db.session.execute(delete(PushHostBackoff).where(PushHostBackoff.retry_after < utcnow()))
    return result.rowcount or 0


def _after_commit(session: Session) -> None:
    if session.info.pop(WAKE_FLAG, False):
        from api.push import signal

        signal.wake()


def _after_rollback(session: Session, *_) -> None:
    session.info.pop(WAKE_FLAG, None)


def register() -> None:
    from sqlalchemy import event as sa_event

    events.subscribe(on_event)
    if not sa_event.contains(Session, "after_commit", _after_commit):
        sa_event.listen(Session, "after_commit", _after_commit)
        sa_event.listen(Session, "after_soft_rollback", _after_rollback)
