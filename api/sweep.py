"""Periodic jobs, run by the worker every minute and by hand with ``flask sweep``.

Each job changes the session and returns how many things it handled; ``run_sweep`` commits
after each job so one failing job does not undo the others.

Every worker process sweeps, possibly on several machines at once. On PostgreSQL each job first
takes a transaction-level advisory lock of its own; a worker that cannot get it skips the job,
because another worker is doing it right now. (SQLite serialises writers anyway.)
"""

import logging
from collections.abc import Callable

from sqlalchemy import text

from api.extensions import db
from api.services import help, idempotency, notifications, report_sweep, surveys, tokens

log = logging.getLogger(__name__)

SKIPPED = -2

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


# Advisory lock keys: a fixed namespace plus the job's position, stable within one release.
LOCK_NAMESPACE = 0x6277_0000


def _claim(position: int) -> bool:
    """Take this job's lock for the current transaction; False when another worker holds it."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                   {"key": LOCK_NAMESPACE + position}).scalar())


def run_sweep() -> dict[str, int]:
    """Run every job once; a job another worker is running right now reports ``skipped`` (-2)."""
    results = {}
    for position, (name, job) in enumerate(SWEEP_JOBS.items()):
        try:
            if not _claim(position):
                db.session.rollback()
                results[name] = SKIPPED
                continue
            results[name] = job()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("sweep job %s failed", name)
            results[name] = -1
    return results
