"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import (
    admin_users,
    audit,
    auth,
    checkins,
    contacts,
    feedback,
    group_health,
    groups,
    health,
    invites,
    me,
    me_reports,
    members,
    professionals,
    reports,
    surveys,
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
    surveys.blp,
    group_health.blp,
]
