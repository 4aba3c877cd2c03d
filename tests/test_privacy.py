"""Nobody sees what isn't theirs: every readable route, crawled from the spec as each relation to
the group, never shows another member's email, postcode or house number to a non-moderator."""

import json
import re

import pytest

from api.spec_export import spec_json
from tests.groups_world import build_world

GET_PATHS = [path for path, ops in json.loads(spec_json())["paths"].items() if "get" in ops]


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def _fill_group(client, world):
    """A report with feedback and a check-in, and a help post with a reply, so the crawl meets real data."""
    member, moderator, officer = world["member"], world["moderator"], world["linked_professional"]
    report = client.post(f"/api/v1/groups/{world.group_id}/reports", headers=member.headers, json={
        "category": "suspicious_person", "urgency": "urgent", "description": "Iemand probeert deuren",
        "location": {"text": "Merelstraat 1-21"}, "called_112": True,
    }).get_json()
    client.post(f"/api/v1/reports/{report['id']}/feedback", headers=officer.headers,
                json={"kind": "acknowledgement", "message": "We komen kijken."})
    client.post(f"/api/v1/reports/{report['id']}/check-ins", headers=moderator.headers, json={
        "kind": "doorbell_visit", "households_reached": 4, "note": "Buren gerustgesteld",
        "outcome": "reassured"})
    help_post = client.post(f"/api/v1/groups/{world.group_id}/help-requests", headers=member.headers, json={
        "kind": "favour", "title": "Hulp met een bank", "description": "Wie helpt zaterdag even tillen?",
    }).get_json()
    client.post(f"/api/v1/help-requests/{help_post['id']}/replies", headers=moderator.headers,
                json={"message": "Ik help wel."})
    return {"group_id": world.group_id, "report_id": report["id"], "help_id": help_post["id"]}


def _strings(body):
    """Every string in a JSON body, keys and values."""
    if isinstance(body, str):
        yield body
    elif isinstance(body, dict):
        for key, value in body.items():
            yield key
            yield from _strings(value)
    elif isinstance(body, list):
        for item in body:
            yield from _strings(item)


def _concrete(path: str, ids: dict) -> str | None:
    names = re.findall(r"{(\w+)}", path)
    if any(name not in ids for name in names):
        return None
    return re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)


@pytest.mark.parametrize("role", ["outsider", "pending", "member", "linked_professional", "unlinked_professional"])
def test_no_route_leaks_members_contact_details(client, world, role):
    ids = _fill_group(client, world)
    viewer = world[role]
    private = [value for value in world.private_values() if value != viewer.email]
    crawled = 0
    for path in GET_PATHS:
        url = _concrete(path, ids)
        if url is None:
            continue
        response = client.get(url + ("?postcode=3012" if path.endswith("/search") else ""), headers=viewer.headers)
        # Compared as whole values: a house number like "7C" may well occur inside a random key or token.
        shown = set(_strings(response.get_json(silent=True)))
        for value in private:
            assert value not in shown, f"{role} sees {value!r} in GET {url}"
        crawled += 1
    assert crawled >= 20
