"""Web push: browser subscriptions, what each user wants to hear about, and the delivery outbox.

Deliveries are written in the same transaction as the event that causes them and sent later by
the worker (``api/push/worker.py``), so a notification is never lost between a commit and a send.
"""

import enum
from datetime import datetime, time

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import Base, UTCDateTime, utcnow
from api.models.user import User, enum_column

DEFAULT_TIMEZONE = "Europe/Amsterdam"


class HelpMode(enum.StrEnum):
    immediate = "immediate"
    digest = "digest"
    off = "off"


class PushUrgency(enum.StrEnum):
    """RFC 8030 Urgency header values."""

    very_low = "very-low"
    low = "low"
    normal = "normal"
    high = "high"


class DeliveryStatus(enum.StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    gone = "gone"


class PushSubscription(Base):
    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(120))
    auth: Mapped[str] = mapped_column(String(40))
    device_label: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class NotificationPreference(Base):
    """One row per user; a user without a row has the defaults (everything immediate, no quiet hours)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Help post kind -> HelpMode value; kinds not listed are immediate.
    help_modes: Mapped[dict] = mapped_column(JSON, default=dict)
    # Normal (non-urgent) reports; urgent reports always come through.
    normal_reports: Mapped[bool] = mapped_column(default=True)
    quiet_hours_start: Mapped[time | None] = mapped_column(Time)
    quiet_hours_end: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def help_mode(self, kind: str | None) -> HelpMode:
        return HelpMode(self.help_modes.get(kind or "", HelpMode.immediate.value))


class Delivery(Base):
    """One message to one subscription (the outbox row the worker claims, sends and settles)."""

    __tablename__ = "push_deliveries"
    __table_args__ = (Index("ix_push_deliveries_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL: a subscription that went away keeps its deliveries countable (status gone).
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True
    )
    # Null for the daily help digest, which summarises several events.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The push service's host, copied so claims can skip hosts that asked us to back off.
    push_host: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict] = mapped_column(JSON)
    urgency: Mapped[PushUrgency] = enum_column(PushUrgency, default=PushUrgency.normal)
    ttl: Mapped[int]
    topic: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[DeliveryStatus] = enum_column(DeliveryStatus, default=DeliveryStatus.pending)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PushHostBackoff(Base):
    """A push service that answered 429: every worker waits until ``retry_after`` before sending there."""

    __tablename__ = "push_host_backoffs"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    retry_after: Mapped[datetime] = mapped_column(UTCDateTime)


class DigestEntry(Base):
    """A help post waiting for a user's daily digest."""

    __tablename__ = "push_digest_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
