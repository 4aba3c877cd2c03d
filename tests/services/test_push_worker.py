# ruff: noqa: F811 - pytest fixtures imported from push_support share their names with arguments
"""The worker as a process: woken by commits, several of them draining one outbox without double sends."""

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from api.extensions import db
from api.models import Delivery, DeliveryStatus
from api.push.sender import VapidSigner, parse_retry_after
from api.push.worker import Worker
from tests.conftest import ON_POSTGRES, VAPID_PRIVATE
from tests.factories import make_group
from tests.services.push_support import fake_push, record, subscribe  # noqa: F401


@pytest.fixture
def app_config(fake_push):
    return {"PUSH_ENDPOINT_ALLOWLIST": [fake_push.origin], "PUSH_CONCURRENCY": 8,
            "RUN_WORKER_IN_PROCESS": True, "PUSH_POLL_SECONDS": 30}


def test_in_process_worker_sends_right_after_the_commit(app, fake_push, make_user):
    try:
        member, moderator = make_user(), make_user()
        group_id = make_group(app, moderators=[moderator], members=[member])
        subscribe(app, fake_push, member, name="phone")
        started = time.monotonic()
        record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})
        # The worker polls only every 30 s here: arriving at once proves the commit woke it.
        assert fake_push.wait_for(1, timeout=5)
        assert fake_push.received[0].at - started < 1.0
        assert fake_push.received[0].error is None
    finally:
        app.extensions["push_worker"].stop()


def two_workers_drain(app, fake_push, make_user, devices: int = 120):
    member, moderator = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    for i in range(devices):
        subscribe(app, fake_push, member, name=f"d{i}")
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})

    workers = [Worker(app, name=f"w{n}") for n in range(2)]
    handled = [0, 0]
    for worker in workers:
        worker.batch_size = worker.refill_size = 10
    # Each send takes a moment, as across a real network, and both workers start together: otherwise
    # on a busy machine one worker can drain everything before the other starts, proving nothing.
    fake_push.delay = 0.02
    start_together = threading.Barrier(2)

    def run(n):
        start_together.wait()
        handled[n] = workers[n].drain()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for worker in workers:
        worker.close()

    counts = Counter(r.browser for r in fake_push.received)
    assert len(counts) == devices and set(counts.values()) == {1}, counts.most_common(3)
    assert sum(handled) == devices and all(handled), handled
    with app.app_context():
        statuses = db.session.scalars(select(Delivery.status)).all()
    assert Counter(statuses) == {DeliveryStatus.sent: devices}


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL pointing at PostgreSQL")
def test_two_workers_on_postgresql_never_double_send(app, fake_push, make_user):
    app.extensions["push_worker"].stop()
    two_workers_drain(app, fake_push, make_user)


def test_two_workers_on_any_database_never_double_send(app, fake_push, make_user):
    app.extensions["push_worker"].stop()
    two_workers_drain(app, fake_push, make_user, devices=40)


def test_vapid_signature_is_cached_per_audience():
    signer = VapidSigner(VAPID_PRIVATE, "mailto:beheer@example.nl")
    first = signer.header("https://fcm.googleapis.com")
    assert signer.header("https://fcm.googleapis.com") is first
    assert signer.header("https://updates.push.services.mozilla.com") != first
    # Near expiry it is signed again.
    value, _ = signer._cache["https://fcm.googleapis.com"]
    signer._cache["https://fcm.googleapis.com"] = (value, time.time() + 60)
    assert signer.header("https://fcm.googleapis.com") != first


def test_retry_after_as_seconds_or_date():
    assert parse_retry_after("30") == 30
    assert parse_retry_after(None) == 60
    assert parse_retry_after("soon") == 60
    assert parse_retry_after("999999") == 3600
    assert 100 < parse_retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 120))) <= 120
