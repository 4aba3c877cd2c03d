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
from api.models.push import (
    Delivery,
    DeliveryStatus,
    DigestEntry,
    HelpMode,
    NotificationPreference,
    PushHostBackoff,
    PushSubscription,
    Urgency,
)
from api.models.user import Locale, LoginSession, RefreshToken, Role, User

__all__ = [
    "AuditEntry",
    "Base",
    "Contact",
    "Delivery",
    "DeliveryStatus",
    "DigestEntry",
    "HelpMode",
    "NotificationPreference",
    "PushHostBackoff",
    "PushSubscription",
    "Urgency",
    "ContactKind",
    "Event",
    "Group",
    "GroupPostcode",
    "GroupStatus",
    "Invite",
    "Locale",
    "LoginSession",
    "Membership",
    "MembershipStatus",
    "MemberRole",
    "ProfessionalLink",
    "RefreshToken",
    "Role",
    "User",
    "UTCDateTime",
    "utcnow",
]
