"""A user's notification preferences: help posts per kind, normal reports on or off, quiet hours."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from api.extensions import db
from api.models import HelpMode, NotificationPreference, User
from api.models.push import DEFAULT_TIMEZONE
from api.schemas.push import HELP_KINDS
from api.services.errors import Invalid


def as_dict(preference: NotificationPreference | None) -> dict:
    modes = (preference.help_modes if preference else None) or {}
    return {
        "help": {kind: HelpMode(modes.get(kind, HelpMode.immediate.value)) for kind in HELP_KINDS},
        "normal_reports": preference.normal_reports if preference else True,
        "quiet_hours_start": preference.quiet_hours_start if preference else None,
        "quiet_hours_end": preference.quiet_hours_end if preference else None,
        "timezone": (preference.timezone if preference else None) or DEFAULT_TIMEZONE,
    }


def of(user: User) -> dict:
    return as_dict(db.session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user.id)))


def update(user: User, changes: dict) -> dict:
    """Change the given fields; fields left out keep their value."""
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id, help_modes={}, normal_reports=True,
                                            timezone=DEFAULT_TIMEZONE)
        db.session.add(preference)
    if "timezone" in changes:
        try:
            ZoneInfo(changes["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid("Unknown time zone.", {"timezone": ["Use an IANA name such as Europe/Amsterdam."]}) from None
        preference.timezone = changes["timezone"]
    if "help" in changes:
        preference.help_modes = {**(preference.help_modes or {}),
                                 **{kind: HelpMode(mode).value for kind, mode in changes["help"].items()}}
    if "normal_reports" in changes:
        preference.normal_reports = changes["normal_reports"]
    start = changes.get("quiet_hours_start", preference.quiet_hours_start)
    end = changes.get("quiet_hours_end", preference.quiet_hours_end)
    if (start is None) != (end is None):
        raise Invalid("Quiet hours need both a start and an end.",
                      {"quiet_hours_end" if end is None else "quiet_hours_start": ["Give both, or neither."]})
    if start is not None and start == end:
        raise Invalid("Quiet hours cannot start and end at the same time.", {"quiet_hours_end": ["Same as start."]})
    preference.quiet_hours_start, preference.quiet_hours_end = start, end
    db.session.flush()
    return as_dict(preference)
