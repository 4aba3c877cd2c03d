"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import (
    admin_users,
    audit,
    auth,
    checkins,
    contacts,
    feedback,
    groups,
    health,
    invites,
    me,
    me_reports,
    members,
    notification_preferences,
    professionals,
    push,
    reports,
)

BLUEPRINTS = [
    health.blp,
    auth.blp,
    me.blp,
    groups.blp,
    contacts.blp,
    invites.blp,
    members.blp,
    professionals.blp,
    audit.blp,
    admin_users.blp,
    me_reports.blp,
    reports.blp,
    feedback.blp,
    checkins.blp,
    push.blp,
    notification_preferences.blp,
]
