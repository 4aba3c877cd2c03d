"""Several workers sweeping at once: on PostgreSQL a job another worker is running is skipped."""

import pytest
from sqlalchemy import create_engine, text

from api.extensions import db
from api.sweep import LOCK_NAMESPACE, SKIPPED, SWEEP_JOBS, run_sweep
from tests.conftest import ON_POSTGRES, _pg_url


def test_sweep_runs_every_job(app):
    with app.app_context():
        results = run_sweep()
    assert set(results) == set(SWEEP_JOBS)
    assert all(count >= 0 for count in results.values()), results


@pytest.mark.skipif(not ON_POSTGRES, reason="advisory locks are PostgreSQL's")
def test_a_job_held_by_another_worker_is_skipped(app):
    other_worker = create_engine(_pg_url())
    escalate = list(SWEEP_JOBS).index("escalate_overdue_reports")
    with other_worker.connect() as conn, conn.begin():
        assert conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK_NAMESPACE + escalate}).scalar()
        with app.app_context():
            results = run_sweep()
    other_worker.dispose()
    assert results["escalate_overdue_reports"] == SKIPPED
    assert all(count >= 0 for name, count in results.items() if name != "escalate_overdue_reports"), results
    with app.app_context():
        db.session.remove()
