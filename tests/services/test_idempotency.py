"""The idempotency store: scoped per user, key, method and path; in-flight keys; expiry."""

from datetime import timedelta

import pytest

from api.extensions import db
from api.services import idempotency
from api.services.errors import Conflict, Invalid
from tests.report_fixtures import fake_clock  # noqa: F401


def test_keys_are_scoped_and_expire(app, resident, professional, fake_clock):  # noqa: F811
    with app.app_context():
        row = idempotency.reserve(resident.id, "k", "POST", "/api/v1/groups/1/reports", "h1")
        idempotency.complete(row, 201, {"id": 5})
        assert idempotency.find(resident.id, "k", "POST", "/api/v1/groups/1/reports").body == {"id": 5}
        assert idempotency.find(professional.id, "k", "POST", "/api/v1/groups/1/reports") is None
        assert idempotency.find(resident.id, "k", "POST", "/api/v1/groups/2/reports") is None
        fake_clock.advance(hours=23)
        assert idempotency.purge_expired() == 0
        fake_clock.advance(hours=2)
        assert idempotency.find(resident.id, "k", "POST", "/api/v1/groups/1/reports") is None
        db.session.commit()


def test_replay_refuses_in_flight_and_changed_requests(app, resident, fake_clock):  # noqa: F811
    with app.app_context():
        row = idempotency.reserve(resident.id, "k", "POST", "/p", "h1")
        with pytest.raises(Conflict):
            idempotency._replay(row, "h1")
        idempotency.complete(row, 201, {"ok": True})
        with app.test_request_context():
            response = idempotency._replay(row, "h1")
        assert response.status_code == 201 and response.headers["Idempotent-Replayed"] == "true"
        with pytest.raises(Invalid):
            idempotency._replay(row, "h2")
        assert row.expires_at - row.created_at == timedelta(hours=24)
