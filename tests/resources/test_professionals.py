"""Linking professionals to groups: admins only; a linked professional is not a member."""

import pytest
from sqlalchemy import func, select

from api.extensions import db
from api.models import ProfessionalLink, Role
from tests.groups_world import ROLES, assert_no_private, build_world
from tests.helpers import assert_error

GROUPS = "/api/v1/groups"


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def links(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProfessionalLink))


def test_admin_links_lists_and_unlinks_a_professional(client, world, make_user):
    officer = make_user(Role.professional, name="Wijkagent De Boer")
    admin = world["admin"].headers
    response = client.post(f"{GROUPS}/{world.group_id}/professionals", json={"user_id": officer.id}, headers=admin)
    assert response.status_code == 201
    assert response.get_json()["user_id"] == officer.id and response.get_json()["display_name"] == "Wijkagent De Boer"

    # The new officer sees the charter and the contacts, never the members.
    group = client.get(f"{GROUPS}/{world.group_id}", headers=officer.headers)
    assert group.get_json()["my_role"] == "professional" and group.get_json()["can_moderate"] is False
    assert_no_private(world, group)
    assert client.get(f"{GROUPS}/{world.group_id}/contacts", headers=officer.headers).status_code == 200
    assert_error(client.get(f"{GROUPS}/{world.group_id}/members", headers=officer.headers), 403)

    listed = client.get(f"{GROUPS}/{world.group_id}/professionals", headers=world["moderator"].headers).get_json()
    assert {p["user_id"] for p in listed} == {world["linked_professional"].id, officer.id}
    assert all(set(p) == {"user_id", "display_name", "organisation", "linked_at"} for p in listed)

    assert client.delete(f"{GROUPS}/{world.group_id}/professionals/{officer.id}", headers=admin).status_code == 204
    assert_error(client.get(f"{GROUPS}/{world.group_id}", headers=officer.headers), 404)
    assert_error(client.delete(f"{GROUPS}/{world.group_id}/professionals/{officer.id}", headers=admin), 404)
    trail = [e["action"] for e in client.get(f"{GROUPS}/{world.group_id}/audit", headers=admin).get_json()]
    assert trail[:2] == ["professional.unlinked", "professional.linked"]


def test_only_active_professional_accounts_can_be_linked(app, client, world, make_user):
    admin = world["admin"].headers
    url = f"{GROUPS}/{world.group_id}/professionals"
    for user_id in (world["outsider"].id, world["admin"].id, 999999):
        assert_error(client.post(url, json={"user_id": user_id}, headers=admin), 422, "user_id")
    disabled = make_user(Role.professional)
    client.patch(f"/api/v1/admin/users/{disabled.id}", json={"is_active": False}, headers=admin)
    assert_error(client.post(url, json={"user_id": disabled.id}, headers=admin), 422, "user_id")
    assert_error(client.post(url, json={"user_id": world["linked_professional"].id}, headers=admin), 409)
    assert_error(client.post(url, json={}, headers=admin), 422, "user_id")
    assert_error(client.post(url, json={"user_id": "een"}, headers=admin), 422, "user_id")
    assert_error(client.post(url, json={"user_id": 1, "role": "moderator"}, headers=admin), 422, "role")
    assert links(app) == 1


def test_linked_professionals_cannot_join_as_members(client, world):
    code = client.post(f"{GROUPS}/{world.group_id}/invites", json={},
                       headers=world["moderator"].headers).get_json()["code"]
    response = client.post(f"{GROUPS}/{world.group_id}/join", headers=world["linked_professional"].headers,
                           json={"code": code, "confirm_adult": True, "confirm_lives_or_works_in_area": True})
    assert_error(response, 403)


MATRIX = {
    #                outsider pending member moderator linked unlinked admin
    "list":          (404, 403, 403, 200, 403, 404, 200),
    "link":          (404, 403, 403, 403, 403, 404, 201),
    "unlink":        (404, 403, 403, 403, 403, 404, 204),
}


@pytest.mark.parametrize("what", list(MATRIX))
@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(app, client, world, make_user, what, who):
    expected = MATRIX[what][ROLES.index(who)]
    headers = world[who].headers
    before = links(app)
    if what == "list":
        response = client.get(f"{GROUPS}/{world.group_id}/professionals", headers=headers)
    elif what == "link":
        officer = make_user(Role.professional)
        response = client.post(f"{GROUPS}/{world.group_id}/professionals", json={"user_id": officer.id},
                               headers=headers)
    else:
        response = client.delete(f"{GROUPS}/{world.group_id}/professionals/{world['linked_professional'].id}",
                                 headers=headers)
    if expected >= 400:
        assert_error(response, expected)
        assert links(app) == before
    else:
        assert response.status_code == expected, response.get_json()
        assert_no_private(world, response)
