"""Safety survey answers per group and wave, and the anonymous links for non-participants."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, UTCDateTime, utcnow
from api.models.user import enum_column


class SurveyWave(enum.StrEnum):
    baseline = "baseline"
    follow_up = "follow_up"
    non_participant = "non_participant"


class SurveyLink(Base):
    """An anonymous link a moderator or the municipality hands out in the area (one measurement moment).

    Only a hash of the token is kept: the link itself is shown once, when it is made.
    """

    __tablename__ = "survey_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()


class SurveyResponse(Base):
    """One filled-in questionnaire.

    Residents answer as themselves (``respondent_id``) so baseline and follow-up can be paired;
    non-participants answer through a link and are known only by a keyed hash of a random token their
    browser made (no account, no IP address, no name).
    """

    __tablename__ = "survey_responses"
    __table_args__ = (
        # One answer per resident per wave and round, and one per device per link.
        UniqueConstraint("group_id", "respondent_id", "wave", "follow_up_month"),
        UniqueConstraint("link_id", "device_token_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    wave: Mapped[SurveyWave] = enum_column(SurveyWave, index=True)
    # 3 or 12 for a follow-up; 0 otherwise (0, not NULL, so the unique constraint holds on every backend).
    follow_up_month: Mapped[int] = mapped_column(default=0)
    questionnaire_version: Mapped[int]
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("survey_links.id", ondelete="SET NULL"))
    device_token_hash: Mapped[str | None] = mapped_column(String(64))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
