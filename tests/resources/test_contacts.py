"""The contact directory: who to reach for what."""

import pytest
from sqlalchemy import func, select

from api.extensions import db
from api.models import Contact, GroupStatus
from tests.groups_world import ROLES, build_world
from tests.helpers import assert_error

GROUPS = "/api/v1/groups"
OFFICER = {"kind": "community_officer", "label": "Wijkagent Jansen", "phone": "+31 (0)10 123-4567",
           "url": "https://www.politie.nl/mijn-buurt", "hours": "ma-vr 9-17", "categories": ["burglary", "drugs"]}


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def contact_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact))


def test_moderators_keep_the_directory_members_read_it(client, world):
    headers = world["moderator"].headers
    created = client.post(f"{GROUPS}/{world.group_id}/contacts", json=OFFICER, headers=headers)
    assert created.status_code == 201
    contact = created.get_json()
    assert {k: contact[k] for k in OFFICER} == OFFICER and contact["position"] == 4

    changed = client.patch(f"/api/v1/contacts/{contact['id']}", json={"hours": "altijd", "position": 0,
                                                                      "url": None}, headers=headers)
    assert changed.status_code == 200
    assert changed.get_json()["hours"] == "altijd" and changed.get_json()["url"] is None

    listed = client.get(f"{GROUPS}/{world.group_id}/contacts", headers=world["member"].headers).get_json()
    # Display order is position, then age: the officer now comes right after 112.
    assert [c["kind"] for c in listed][:3] == ["emergency", "community_officer", "police_non_urgent"]
    assert listed[1]["id"] == contact["id"]

    assert client.delete(f"/api/v1/contacts/{contact['id']}", headers=headers).status_code == 204
    assert_error(client.delete(f"/api/v1/contacts/{contact['id']}", headers=headers), 404)
    trail = [e["action"] for e in client.get(f"{GROUPS}/{world.group_id}/audit", headers=headers).get_json()]
    assert trail[:3] == ["contact.deleted", "contact.updated", "contact.created"]


def test_a_live_group_keeps_112_0900_8844_and_a_local_contact(app, client, world):
    headers = world["moderator"].headers
    contacts = client.get(f"{GROUPS}/{world.group_id}/contacts", headers=headers).get_json()
    by_kind = {c["kind"]: c for c in contacts}
    body = assert_error(client.delete(f"/api/v1/contacts/{by_kind['emergency']['id']}", headers=headers), 409)
    assert "112" in body["errors"]["contacts"][0]
    assert_error(client.patch(f"/api/v1/contacts/{by_kind['police_non_urgent']['id']}", json={"kind": "other"},
                              headers=headers), 409)
    # Two local contacts: one may go, the last may not.
    assert client.delete(f"/api/v1/contacts/{world.extra_contact_id}", headers=headers).status_code == 204
    assert_error(client.delete(f"/api/v1/contacts/{by_kind['community_officer']['id']}", headers=headers), 409)
    assert contact_count(app) == 3


def test_a_draft_may_have_an_incomplete_directory(app, client, make_user):
    world = build_world(app, make_user, status=GroupStatus.draft)
    contacts = client.get(f"{GROUPS}/{world.group_id}/contacts", headers=world["moderator"].headers).get_json()
    for contact in contacts:
        response = client.delete(f"/api/v1/contacts/{contact['id']}", headers=world["moderator"].headers)
        assert response.status_code == 204


@pytest.mark.parametrize("body, field", [
    ({"label": "Zonder soort"}, "kind"),
    ({"kind": "brandweer", "label": "x"}, "kind"),
    ({"kind": "other"}, "label"),
    ({"kind": "other", "label": "x" * 101}, "label"),
    ({"kind": "other", "label": "x", "phone": "bel mij"}, "phone"),
    ({"kind": "other", "label": "x", "url": "javascript:alert(1)"}, "url"),
    ({"kind": "other", "label": "x", "url": "ftp://example.nl"}, "url"),
    ({"kind": "other", "label": "x", "categories": ["x" * 41]}, "categories"),
    ({"kind": "other", "label": "x", "group_id": 2}, "group_id"),
    ({"kind": "other", "label": "x", "position": -1}, "position"),
])
def test_bad_contact_input_is_refused_and_nothing_is_written(app, client, world, body, field):
    before = contact_count(app)
    response = client.post(f"{GROUPS}/{world.group_id}/contacts", json=body, headers=world["moderator"].headers)
    assert_error(response, 422, field)
    assert contact_count(app) == before


def test_bad_contact_patch_is_refused(client, world):
    response = client.patch(f"/api/v1/contacts/{world.extra_contact_id}", json={"kind": None},
                            headers=world["moderator"].headers)
    assert_error(response, 422, "kind")


def test_contacts_of_an_invisible_group_are_404_like_missing_ones(app, client, world, make_user):
    other = build_world(app, make_user)
    hidden = assert_error(client.patch(f"/api/v1/contacts/{other.extra_contact_id}", json={"label": "x"},
                                       headers=world["moderator"].headers), 404)
    missing = assert_error(client.patch("/api/v1/contacts/999999", json={"label": "x"},
                                        headers=world["moderator"].headers), 404)
    assert hidden["message"] == missing["message"]


MATRIX = {
    #                outsider pending member moderator linked unlinked admin
    "list":          (404, 200, 200, 200, 200, 404, 200),
    "create":        (404, 403, 403, 201, 403, 404, 201),
    "update":        (404, 403, 403, 200, 403, 404, 200),
    "delete":        (404, 403, 403, 204, 403, 404, 204),
}


@pytest.mark.parametrize("what", list(MATRIX))
@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(app, client, world, what, who):
    expected = MATRIX[what][ROLES.index(who)]
    headers = world[who].headers
    before = contact_count(app)
    if what == "list":
        response = client.get(f"{GROUPS}/{world.group_id}/contacts", headers=headers)
    elif what == "create":
        response = client.post(f"{GROUPS}/{world.group_id}/contacts", json=OFFICER, headers=headers)
    elif what == "update":
        response = client.patch(f"/api/v1/contacts/{world.extra_contact_id}", json={"label": "Nieuw"},
                                headers=headers)
    else:
        response = client.delete(f"/api/v1/contacts/{world.extra_contact_id}", headers=headers)
    if expected >= 400:
        assert_error(response, expected)
        assert contact_count(app) == before
    else:
        assert response.status_code == expected, response.get_json()
