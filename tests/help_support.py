"""Shared set-up for the neighbour-help tests: a group with every kind of relation to it, and posts."""

from dataclasses import dataclass
from datetime import timedelta

from api.models import Role, utcnow
from tests.factories import make_group
from tests.helpers import Actor


def at(**delta) -> str:
    """An ISO timestamp relative to now: ``at(days=2)``, ``at(hours=-1)``."""
    return (utcnow() + timedelta(**delta)).isoformat()


@dataclass
class Neighbourhood:
    group_id: int
    moderator: Actor
    alice: Actor
    bob: Actor
    carol: Actor
    pending: Actor
    outsider: Actor
    linked_professional: Actor
    unlinked_professional: Actor
    admin: Actor

    def actor(self, name: str) -> Actor:
        return getattr(self, name)


def make_neighbourhood(app, make_user) -> Neighbourhood:
    people = {
        "moderator": make_user(Role.resident, name="Fatima"),
        "alice": make_user(Role.resident, name="Alice"),
        "bob": make_user(Role.resident, name="Bob"),
        "carol": make_user(Role.resident, name="Carol"),
        "pending": make_user(Role.resident, name="Pieter"),
        "outsider": make_user(Role.resident, name="Olga"),
        "linked_professional": make_user(Role.professional, name="Wijkagent Jansen"),
        "unlinked_professional": make_user(Role.professional, name="Wijkagent Elders"),
        "admin": make_user(Role.admin, name="Gemeente"),
    }
    group_id = make_group(
        app,
        moderators=[people["moderator"]],
        members=[people["alice"], people["bob"], people["carol"]],
        pending=[people["pending"]],
        professionals=[people["linked_professional"]],
    )
    return Neighbourhood(group_id=group_id, **people)


def ladder_request(**extra) -> dict:
    return {"kind": "lend_request", "title": "Ladder nodig", "description": "Voor de dakgoot, zaterdag.",
            "item": "ladder", "lend_from": at(days=1), "lend_until": at(days=2), **extra}


def street_party(**extra) -> dict:
    return {"kind": "event", "title": "Straatfeest", "description": "Iedereen welkom, neem een stoel mee.",
            "starts_at": at(days=7), "ends_at": at(days=7, hours=5), "place": "Merelstraat", **extra}


def favour(**extra) -> dict:
    return {"kind": "favour", "title": "Planten water geven", "description": "Twee weken op vakantie.", **extra}


def post_help(client, actor: Actor, group_id: int, body: dict) -> dict:
    response = client.post(f"/api/v1/groups/{group_id}/help-requests", headers=actor.headers, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reply(client, actor: Actor, help_id: int, body: str = "Ik kan helpen.") -> dict:
    response = client.post(f"/api/v1/help-requests/{help_id}/replies", headers=actor.headers, json={"body": body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()
