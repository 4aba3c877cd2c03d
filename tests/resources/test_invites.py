"""Invite codes: creating and sharing them, withdrawing them, and every way a code can be unusable."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from api.extensions import db
from api.models import Invite, Membership
from tests.groups_world import ROLES, build_world
from tests.helpers import assert_error

GROUPS = "/api/v1/groups"
JOIN = {"confirm_adult": True, "confirm_lives_or_works_in_area": True}


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def create(client, world, who="moderator", **body):
    return client.post(f"{GROUPS}/{world.group_id}/invites", json=body, headers=world[who].headers)


def join(client, group_id, actor, code):
    return client.post(f"{GROUPS}/{group_id}/join", json={"code": code, **JOIN}, headers=actor.headers)


def later(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def test_create_list_and_revoke(client, world):
    response = create(client, world, max_uses=2, expires_at=later(days=7))
    assert response.status_code == 201
    invite = response.get_json()
    assert len(invite["code"]) >= 12 and invite["uses"] == 0 and invite["max_uses"] == 2
    assert invite["url"] == f"http://localhost/groups/{world.group_id}/join?code={invite['code']}"
    assert invite["is_usable"] is True and invite["revoked_at"] is None
    default = create(client, world).get_json()
    assert default["max_uses"] is None
    assert timedelta(days=29) < datetime.fromisoformat(default["expires_at"]) - datetime.now(UTC) < timedelta(days=31)
    assert default["code"] != invite["code"]

    listed = client.get(f"{GROUPS}/{world.group_id}/invites", headers=world["moderator"].headers).get_json()
    assert [i["id"] for i in listed] == [default["id"], invite["id"]]

    revoked = client.post(f"/api/v1/invites/{invite['id']}/revoke", headers=world["moderator"].headers)
    assert revoked.status_code == 200 and revoked.get_json()["is_usable"] is False
    assert_error(client.post(f"/api/v1/invites/{invite['id']}/revoke", headers=world["moderator"].headers), 409)


def test_a_code_counts_its_uses_and_is_used_up(client, world, make_user):
    code = create(client, world, max_uses=1).get_json()["code"]
    assert join(client, world.group_id, world["outsider"], code).status_code == 201
    body = assert_error(join(client, world.group_id, make_user(), code), 422, "code")
    assert "used up" in body["errors"]["code"][0]
    listed = client.get(f"{GROUPS}/{world.group_id}/invites", headers=world["moderator"].headers).get_json()
    assert listed[0]["uses"] == 1 and listed[0]["is_usable"] is False


def test_expired_withdrawn_and_wrong_codes_say_why(app, client, world, make_user):
    expired = create(client, world, expires_at=later(minutes=5)).get_json()
    with app.app_context():
        db.session.get(Invite, expired["id"]).expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    withdrawn = create(client, world).get_json()
    client.post(f"/api/v1/invites/{withdrawn['id']}/revoke", headers=world["moderator"].headers)
    other_world = build_world(app, make_user)
    foreign = create(client, other_world).get_json()

    cases = [(expired["code"], "expired"), (withdrawn["code"], "withdrawn"), ("nonsense-code", "not valid"),
             (foreign["code"], "not valid")]
    for code, words in cases:
        body = assert_error(join(client, world.group_id, world["outsider"], code), 422, "code")
        assert words in body["message"] and words in body["errors"]["code"][0]
    with app.app_context():
        assert db.session.scalar(select(Membership).where(Membership.user_id == world["outsider"].id)) is None


@pytest.mark.parametrize("body, field", [
    ({"max_uses": 0}, "max_uses"),
    ({"max_uses": "veel"}, "max_uses"),
    ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
    ({"expires_at": "morgen"}, "expires_at"),
    ({"expires_at": later(days=400)}, "expires_at"),
    ({"code": "mijn-eigen-code"}, "code"),
])
def test_bad_invite_input_is_refused_and_nothing_is_written(app, client, world, body, field):
    assert_error(create(client, world, **body), 422, field)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 0


def test_invites_of_another_group_cannot_be_revoked_by_its_non_moderators(app, client, world, make_user):
    other = build_world(app, make_user)
    invite = create(client, other).get_json()
    missing = assert_error(client.post("/api/v1/invites/999999/revoke", headers=world["moderator"].headers), 404)
    hidden = assert_error(client.post(f"/api/v1/invites/{invite['id']}/revoke",
                                      headers=world["moderator"].headers), 404)
    assert missing["message"] == hidden["message"]


MATRIX = {
    #                outsider pending member moderator linked unlinked admin
    "create":        (404, 403, 403, 201, 403, 404, 201),
    "list":          (404, 403, 403, 200, 403, 404, 200),
    "revoke":        (404, 403, 403, 200, 403, 404, 200),
}


@pytest.mark.parametrize("what", list(MATRIX))
@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(client, world, what, who):
    expected = MATRIX[what][ROLES.index(who)]
    headers = world[who].headers
    if what == "create":
        response = create(client, world, who)
    elif what == "list":
        create(client, world)
        response = client.get(f"{GROUPS}/{world.group_id}/invites", headers=headers)
    else:
        invite = create(client, world).get_json()
        response = client.post(f"/api/v1/invites/{invite['id']}/revoke", headers=headers)
    if expected >= 400:
        body = assert_error(response, expected)
        assert "code" not in str(body.get("errors", ""))
    else:
        assert response.status_code == expected, response.get_json()
