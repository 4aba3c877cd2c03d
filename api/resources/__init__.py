"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import auth, health, help, me

BLUEPRINTS = [
    health.blp,
    auth.blp,
    me.blp,
    help.blp,
]
