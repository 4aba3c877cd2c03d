"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import (
    admin_users,
    audit,
    auth,
    contacts,
    groups,
    health,
    invites,
    me,
    members,
    notification_preferences,
    professionals,
    push,
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
    push.blp,
    notification_preferences.blp,
]
