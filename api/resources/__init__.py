"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import auth, group_health, health, me, surveys

BLUEPRINTS = [
    health.blp,
    auth.blp,
    me.blp,
    surveys.blp,
    group_health.blp,
]
