"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import auth, health, me, surveys

BLUEPRINTS = [
    health.blp,
    auth.blp,
    me.blp,
    surveys.blp,
]
