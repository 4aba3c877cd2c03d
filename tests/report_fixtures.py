"""Fixtures shared by the report, feedback and check-in tests: a group with every relation, a movable
clock and small request helpers. Import the fixtures into a test module to use them."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from api.models import Role
from tests.factories import make_group
from tests.helpers import Actor


class FakeClock:
    """Moves the report services' time (``api.services.clock`` reads ``api.models.base.utcnow``)."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def fake_clock(monkeypatch) -> FakeClock:
    fake = FakeClock(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr("api.models.base.utcnow", fake)
    return fake


@dataclass
class World:
    group_id: int
    moderator: Actor
    reporter: Actor
    neighbour: Actor
    neighbour2: Actor
    pending: Actor
    professional: Actor
    unlinked_professional: Actor
    admin: Actor
    outsider: Actor

    def actor(self, name: str) -> Actor:
        return getattr(self, name)


@pytest.fixture
def world(app, make_user) -> World:
    people = {
        "moderator": make_user(Role.resident, name="Fatima"),
        "reporter": make_user(Role.resident, name="Sanne", locale="en"),
        "neighbour": make_user(Role.resident, name="Piet"),
        "neighbour2": make_user(Role.resident, name="Ayse"),
        "pending": make_user(Role.resident, name="Nieuw"),
        "professional": make_user(Role.professional, name="Wijkagent Jansen"),
        "unlinked_professional": make_user(Role.professional, name="Agent Elders"),
        "admin": make_user(Role.admin, name="Gemeente"),
        "outsider": make_user(Role.resident, name="Buiten"),
    }
    group_id = make_group(
        app, moderators=[people["moderator"]],
        members=[people["reporter"], people["neighbour"], people["neighbour2"]],
        pending=[people["pending"]], professionals=[people["professional"]],
    )
    return World(group_id=group_id, **people)


def report_body(**overrides) -> dict:
    body = {
        "category": "suspicious_person",
        "urgency": "normal",
        "description": "Iemand loopt langs de achterdeuren en voelt aan deurklinken.",
        "location": {"text": "Merelstraat 1-21", "lat": 51.924419, "lon": 4.477733},
        "called_112": False,
    }
    body.update(overrides)
    return body


def file_report(client, world: World, actor: Actor | None = None, **overrides):
    actor = actor or world.reporter
    return client.post(f"/api/v1/groups/{world.group_id}/reports", json=report_body(**overrides),
                       headers=actor.headers)


def check_in_tasks(client, actor) -> list[dict]:
    """The check-in tasks on someone's /me/tasks (surveys add tasks of their own there)."""
    return [t for t in client.get("/api/v1/me/tasks", headers=actor.headers).get_json() if t["type"] == "check_in"]
