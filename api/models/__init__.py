"""All models, imported here so metadata (and Alembic) sees every table."""

from api.models.audit import AuditEntry
from api.models.base import Base, UTCDateTime, utcnow
from api.models.event import Event
from api.models.group import (
    Contact,
    ContactKind,
    Group,
    GroupPostcode,
    GroupStatus,
    Invite,
    MemberRole,
    Membership,
    MembershipStatus,
    ProfessionalLink,
)
from api.models.help import Flag, HelpKind, HelpPost, HelpReply, HelpStatus, Rsvp, RsvpResponse
from api.models.idempotency import IdempotencyKey
from api.models.report import (
    Called112Mark,
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    Escalation,
    FeedbackKind,
    Report,
    ReportCategory,
    ReportFeedback,
    ReportStatus,
    ReportTransition,
    Urgency,
)
from api.models.survey import SurveyLink, SurveyResponse, SurveyWave
from api.models.user import Locale, LoginSession, RefreshToken, Role, User

__all__ = [
    "AuditEntry",
    "Base",
    "Called112Mark",
    "CheckIn",
    "CheckInKind",
    "CheckInOutcome",
    "Escalation",
    "FeedbackKind",
    "IdempotencyKey",
    "Report",
    "ReportCategory",
    "ReportFeedback",
    "ReportStatus",
    "ReportTransition",
    "Urgency",
    "Contact",
    "ContactKind",
    "Event",
    "Flag",
    "Group",
    "GroupPostcode",
    "GroupStatus",
    "HelpKind",
    "HelpPost",
    "HelpReply",
    "HelpStatus",
    "Invite",
    "Locale",
    "LoginSession",
    "Membership",
    "MembershipStatus",
    "MemberRole",
    "ProfessionalLink",
    "RefreshToken",
    "Rsvp",
    "RsvpResponse",
    "SurveyLink",
    "SurveyResponse",
    "SurveyWave",
    "Role",
    "User",
    "UTCDateTime",
    "utcnow",
]
