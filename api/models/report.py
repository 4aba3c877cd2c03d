"""A report to the group with its feedback, 112 marks, status history, check-ins and escalation.

Timestamps the response clock needs (``created_at``, ``feedback_due_at``, ``first_feedback_at``,
``closed_at``, ``withdrawn_at``) are stored; whether a report is overdue is computed from them
(``api/services/response_clock.py``), so a missed sweep never shows a wrong clock.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import Base, UTCDateTime, utcnow
from api.models.user import User, enum_column

REMOVED_TEXT = "[verwijderd]"


class ReportCategory(enum.StrEnum):
    suspicious_situation = "suspicious_situation"
    suspicious_person = "suspicious_person"
    suspicious_vehicle = "suspicious_vehicle"
    burglary = "burglary"
    attempted_burglary = "attempted_burglary"
    theft = "theft"
    vandalism = "vandalism"
    fire_or_danger = "fire_or_danger"
    nuisance = "nuisance"
    other = "other"


class Urgency(enum.StrEnum):
    urgent = "urgent"
    normal = "normal"


class ReportStatus(enum.StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"
    closed = "closed"
    withdrawn = "withdrawn"


# Reports that still want attention; closed and withdrawn ones are finished.
ACTIVE_STATUSES = (ReportStatus.open, ReportStatus.acknowledged, ReportStatus.resolved)
FINISHED_STATUSES = (ReportStatus.closed, ReportStatus.withdrawn)


class FeedbackKind(enum.StrEnum):
    acknowledgement = "acknowledgement"
    update = "update"
    outcome = "outcome"


class CheckInKind(enum.StrEnum):
    doorbell_visit = "doorbell_visit"
    street_walk = "street_walk"
    phone_call = "phone_call"
    conversation = "conversation"


class CheckInOutcome(enum.StrEnum):
    reassured = "reassured"
    information_gathered = "information_gathered"
    nothing_found = "nothing_found"
    referred_to_police = "referred_to_police"


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # Unlinked when the report is anonymised after the retention period.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    category: Mapped[ReportCategory] = enum_column(ReportCategory, index=True)
    urgency: Mapped[Urgency] = enum_column(Urgency, index=True)
    description: Mapped[str] = mapped_column(Text)
    # A street and house-number range ("Merelstraat 1-21"), never one address.
    location_text: Mapped[str] = mapped_column(String(120))
    # Rounded to 3 decimals (about 100 m) before they are stored.
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_112: Mapped[bool] = mapped_column(default=False)
    # Kept as a counter so lists need no extra query; the marks below make it once per member.
    called_112_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[ReportStatus] = enum_column(ReportStatus, default=ReportStatus.open, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The group's feedback target at filing time: changing the target later does not move old clocks.
    feedback_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    first_feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()
    transitions: Mapped[list["ReportTransition"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportTransition.id"
    )
    feedback: Mapped[list["ReportFeedback"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportFeedback.id"
    )
    called_112_marks: Mapped[list["Called112Mark"]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )
    check_ins: Mapped[list["CheckIn"]] = relationship(back_populates="report", order_by="CheckIn.id")
    escalation: Mapped["Escalation | None"] = relationship(back_populates="report", cascade="all, delete-orphan")

    @property
    def location(self) -> dict:
        return {"text": self.location_text, "lat": self.lat, "lon": self.lon}

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def stopped_at(self) -> datetime | None:
        """When the report ended without needing an answer any more (closed or withdrawn)."""
        if self.status == ReportStatus.closed:
            return self.closed_at
        if self.status == ReportStatus.withdrawn:
            return self.withdrawn_at
        return None

    @property
    def clock(self):
        """The response clock as of now, computed from the stored timestamps."""
        from api.services import clock, response_clock

        return response_clock.state(self.created_at, self.feedback_due_at, self.first_feedback_at,
                                    self.stopped_at, clock.now())

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None

    @property
    def reporter(self) -> dict | None:
        """Other members see the reporter's display name only."""
        if self.author is None:
            return None
        return {"display_name": self.author.display_name, "role": "reporter"}


class ReportTransition(Base):
    """One step of the life cycle (including filing), for the timeline."""

    __tablename__ = "report_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Its own constraint name: enum_column names the CHECK after the enum, and to_status has it already.
    from_status: Mapped[ReportStatus | None] = mapped_column(
        Enum(ReportStatus, native_enum=False, validate_strings=True, length=32, create_constraint=True,
             values_callable=lambda e: [m.value for m in e], name="reportstatus_from"),
        nullable=True,
    )
    to_status: Mapped[ReportStatus] = enum_column(ReportStatus)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


class ReportFeedback(Base):
    __tablename__ = "report_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[FeedbackKind] = enum_column(FeedbackKind)
    message: Mapped[str] = mapped_column(Text)
    # Only a linked professional's answer stops the response clock; moderators' answers are shown.
    by_professional: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="feedback")
    author: Mapped[User | None] = relationship()

    @property
    def author_person(self) -> dict | None:
        if self.author is None:
            return None
        if self.by_professional:
            return {"display_name": self.author.display_name, "organisation": self.author.organisation,
                    "role": "professional"}
        return {"display_name": self.author.display_name, "role": "moderator"}


class Called112Mark(Base):
    """"I called 112 too": once per member per report."""

    __tablename__ = "called_112_marks"
    __table_args__ = (UniqueConstraint("report_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="called_112_marks")


class CheckIn(Base):
    """A moderator's real-world follow-up: after a report, or a routine round (no report)."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[CheckInKind] = enum_column(CheckInKind)
    households_reached: Mapped[int] = mapped_column(default=0)
    # Moderators only: may name neighbours.
    note: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[CheckInOutcome] = enum_column(CheckInOutcome)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    report: Mapped[Report | None] = relationship(back_populates="check_ins")
    moderator: Mapped[User | None] = relationship()

    @property
    def moderator_person(self) -> dict | None:
        return None if self.moderator is None else {"display_name": self.moderator.display_name, "role": "moderator"}


class Escalation(Base):
    """The clock ran out without a professional answer; one per report."""

    __tablename__ = "escalations"
    __table_args__ = (UniqueConstraint("report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # Who should be told (user ids of the moderators and linked professionals at that moment);
    # the push issue delivers from the report.escalated event.
    notify_user_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    moderators_count: Mapped[int] = mapped_column(default=0)
    professionals_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="escalation")
