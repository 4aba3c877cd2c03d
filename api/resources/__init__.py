"""Every API blueprint, registered from this one list (order = order in the explorer)."""

from api.resources import auth, checkins, feedback, health, me, me_reports, reports

BLUEPRINTS = [
    health.blp,
    auth.blp,
    me.blp,
    me_reports.blp,
    reports.blp,
    feedback.blp,
    checkins.blp,
]
