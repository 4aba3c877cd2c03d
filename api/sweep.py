"""Periodic jobs, run by the worker every minute and by hand with ``flask sweep``.

Each job changes the session and returns how many things it handled; ``run_sweep`` commits
after each job so one failing job does not undo the others.
"""

import logging
from collections.abc import Callable

from api.extensions import db
from api.services import help, idempotency, notifications, report_sweep, surveys, tokens

log = logging.getLogger(__name__)

SweepJob = Callable[[], int]

SWEEP_JOBS: dict[str, SweepJob] = {
    "expired_refresh_tokens": tokens.purge_expired,
    # Order matters: a report is escalated before it could be closed, and closed before it is anonymised.
    "escalate_overdue_reports": report_sweep.escalate_overdue,
    "auto_close_resolved_reports": report_sweep.auto_close_resolved,
    "anonymise_old_reports": report_sweep.anonymise_old_reports,
    "expired_idempotency_keys": idempotency.purge_expired,
    "ended_help_events": help.close_ended_events,
    # Before the push jobs: the follow-up events it records are delivered by the same run's worker.
    "survey_follow_ups_due": surveys.record_follow_ups_due,
    "push_help_digests": notifications.send_help_digests,
    "push_settled_deliveries": notifications.purge_settled_deliveries,
}


def run_sweep() -> dict[str, int]:
    results = {}
    for name, job in SWEEP_JOBS.items():
        try:
            results[name] = job()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("sweep job %s failed", name)
            results[name] = -1
    return results
