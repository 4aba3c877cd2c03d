"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import auth, health, me, notification_preferences, push

BLUEPRINTS = [
    health.blp,
    auth.blp,
    me.blp,
    notification_preferences.blp,
    push.blp,
]
