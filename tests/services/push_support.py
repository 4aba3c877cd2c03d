"""Shared set-up for the push tests: a fake push service, subscribed users, recorded events."""

import pytest

from api.extensions import db
from api.push.worker import Worker
from api.services import events, push_subscriptions
from tests.conftest import VAPID_PUBLIC
from tests.push_fake import FakePushService


@pytest.fixture
def fake_push():
    service = FakePushService(VAPID_PUBLIC)
    yield service
    service.close()


@pytest.fixture
def app_config(fake_push):
    return {"PUSH_ENDPOINT_ALLOWLIST": [fake_push.origin], "PUSH_CONCURRENCY": 8}


def subscribe(app, fake_push, actor, name: str | None = None) -> int:
    """Subscribe one device of ``actor``; the browser is named after the user unless given."""
    browser = fake_push.browser(name or f"u{actor.id}")
    with app.app_context():
        from api.models import User

        user = db.session.get(User, actor.id)
        subscription, _ = push_subscriptions.subscribe(user, browser.endpoint, browser.p256dh, browser.auth, "test")
        db.session.commit()
        return subscription.id


def record(app, kind: str, group_id: int, *, actor=None, subject_id: int = 7, subject_type: str = "report",
           data: dict | None = None) -> int:
    with app.app_context():
        event = events.record(kind, group_id=group_id, actor_id=actor.id if actor else None,
                              subject_type=subject_type, subject_id=subject_id, data=data)
        db.session.commit()
        return event.id


def drain(app) -> int:
    worker = Worker(app, name="test")
    try:
        return worker.drain()
    finally:
        worker.close()


def names(received) -> set[str]:
    return {r.browser for r in received}
