"""Neighbour help: lending, events, favours; their replies, RSVPs and flags.

Nothing here is ever deleted: moderators hide a post or reply (with a reason) and can unhide it.
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, and_, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, query_expression, relationship

from api.models.base import Base, UTCDateTime, utcnow
from api.models.user import User, enum_column


class HelpKind(enum.StrEnum):
    lend_request = "lend_request"
    lend_offer = "lend_offer"
    event = "event"
    favour = "favour"
    other = "other"


LENDING_KINDS = frozenset({HelpKind.lend_request, HelpKind.lend_offer})


class HelpStatus(enum.StrEnum):
    open = "open"
    arranged = "arranged"
    done = "done"
    cancelled = "cancelled"


ACTIVE_STATUSES = (HelpStatus.open, HelpStatus.arranged)


class RsvpResponse(enum.StrEnum):
    going = "going"
    maybe = "maybe"
    not_going = "not_going"


class Moderated:
    """Columns shared by everything a moderator can hide."""

    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def visible_to(self, user_id: int, can_moderate: bool) -> bool:
        """Whether this viewer may read the text (hidden text stays readable for its author and moderators)."""
        return not self.hidden or can_moderate or self.author_id == user_id


class HelpPost(Moderated, Base):
    __tablename__ = "help_posts"
    __table_args__ = (Index("ix_help_posts_group_id_created_at", "group_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[HelpKind] = enum_column(HelpKind)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # Lending
    item: Mapped[str | None] = mapped_column(String(120))
    lend_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lend_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Events
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    max_participants: Mapped[int | None]
    # Life cycle
    status: Mapped[HelpStatus] = enum_column(HelpStatus, default=HelpStatus.open, index=True)
    arranged_with_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    arranged_with: Mapped[User | None] = relationship(foreign_keys=[arranged_with_id])
    replies: Mapped[list["HelpReply"]] = relationship(
        back_populates="post", order_by="HelpReply.id", lazy="raise_on_sql"
    )
    # What moderators still have to look at, on the post and its replies.
    open_flags: Mapped[list["Flag"]] = relationship(
        primaryjoin="and_(Flag.post_id == HelpPost.id, Flag.resolved_at.is_(None))",
        order_by="Flag.id", viewonly=True, lazy="raise_on_sql",
    )
    # The caller's own RSVP, loaded per query with ``with_expression`` (see services/help.py).
    my_rsvp: Mapped[str | None] = query_expression()

    @property
    def is_lending(self) -> bool:
        return self.kind in LENDING_KINDS

    @property
    def is_event(self) -> bool:
        return self.kind == HelpKind.event

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.is_event and self.ends_at is not None and self.ends_at <= (now or utcnow())

    @property
    def effective_status(self) -> HelpStatus:
        """Events close once they end, even before the sweep job has stored it."""
        if self.status in ACTIVE_STATUSES and self.has_ended():
            return HelpStatus.done
        return self.status

    @property
    def effective_closed_at(self) -> datetime | None:
        if self.closed_at is None and self.effective_status == HelpStatus.done and self.is_event:
            return self.ends_at
        return self.closed_at

    @property
    def is_closed(self) -> bool:
        return self.effective_status not in ACTIVE_STATUSES

    @property
    def rsvp_counts(self) -> dict[str, int]:
        return {"going": self.going_count, "maybe": self.maybe_count, "not_going": self.not_going_count}


class HelpReply(Moderated, Base):
    __tablename__ = "help_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("help_posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    post: Mapped[HelpPost] = relationship(back_populates="replies")
    author: Mapped[User | None] = relationship()

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None


class Rsvp(Base):
    __tablename__ = "help_rsvps"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("help_posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    response: Mapped[RsvpResponse] = enum_column(RsvpResponse)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Flag(Base):
    """A member asks the moderators to look at a post (``reply_id`` empty) or one of its replies."""

    __tablename__ = "help_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("help_posts.id", ondelete="CASCADE"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("help_replies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a moderator hides or unhides the flagged content: the flag has been dealt with.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _count(column, *criteria):
    return column_property(select(func.count(column)).where(and_(*criteria)).correlate_except(column.class_)
                           .scalar_subquery())


# Counts are correlated subqueries in the row's own SELECT, so a page of posts needs no extra query.
HelpPost.reply_count = _count(HelpReply.id, HelpReply.post_id == HelpPost.id)
HelpPost.going_count = _count(Rsvp.id, Rsvp.post_id == HelpPost.id, Rsvp.response == RsvpResponse.going)
HelpPost.maybe_count = _count(Rsvp.id, Rsvp.post_id == HelpPost.id, Rsvp.response == RsvpResponse.maybe)
HelpPost.not_going_count = _count(Rsvp.id, Rsvp.post_id == HelpPost.id, Rsvp.response == RsvpResponse.not_going)
HelpPost.flag_count = _count(Flag.id, Flag.post_id == HelpPost.id, Flag.reply_id.is_(None),
                             Flag.resolved_at.is_(None))
HelpReply.flag_count = _count(Flag.id, Flag.reply_id == HelpReply.id, Flag.resolved_at.is_(None))
