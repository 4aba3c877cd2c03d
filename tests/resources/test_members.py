"""Membership: joining with a code, approving, refusing, removing, roles, leaving, and who sees the member list."""

import pytest
from sqlalchemy import func, select

from api.extensions import db
from api.models import AuditEntry, Event, Group, Invite, Membership, Role
from tests.groups_world import (
    MEMBER_HOUSE_NUMBER,
    MEMBER_POSTCODE,
    PENDING_POSTCODE,
    ROLES,
    assert_no_private,
    build_world,
)
from tests.helpers import assert_error

GROUPS = "/api/v1/groups"
JOIN = {"confirm_adult": True, "confirm_lives_or_works_in_area": True}


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def invite_code(client, world, **body) -> str:
    response = client.post(f"{GROUPS}/{world.group_id}/invites", json=body, headers=world["moderator"].headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def join(client, world, who, code, **extra):
    headers = who.headers if hasattr(who, "headers") else world[who].headers
    return client.post(f"{GROUPS}/{world.group_id}/join", json={"code": code, **JOIN, **extra}, headers=headers)


def members(client, world, who, query=""):
    return client.get(f"{GROUPS}/{world.group_id}/members{query}", headers=world[who].headers)


def action(client, world, membership_id, verb, who="moderator"):
    return client.post(f"{GROUPS}/{world.group_id}/members/{membership_id}/{verb}", headers=world[who].headers)


def set_group(app, world, **fields):
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        for name, value in fields.items():
            setattr(group, name, value)
        db.session.commit()


def events(app, kind):
    with app.app_context():
        return db.session.scalars(select(Event).where(Event.kind == kind)).all()


# Joining ------------------------------------------------------------------------------------------------

def test_join_is_pending_until_approved_and_the_request_is_visible_to_moderators_only(app, client, world):
    code = invite_code(client, world)
    response = join(client, world, "outsider", code, postcode="3012 gh", house_number="4")
    assert response.status_code == 201
    membership = response.get_json()
    assert membership["status"] == "pending" and membership["role"] == "member"
    assert (membership["postcode"], membership["house_number"]) == ("3012GH", "4")
    # The new neighbour sees the group's public face but not the members.
    group = client.get(f"{GROUPS}/{world.group_id}", headers=world["outsider"].headers).get_json()
    assert group["my_membership_status"] == "pending"
    assert_error(members(client, world, "outsider"), 403)

    requests = members(client, world, "moderator", "?status=pending").get_json()
    assert {m["id"] for m in requests} == {membership["id"], world.pending_membership_id}
    assert not events(app, "membership.joined")
    approved = action(client, world, membership["id"], "approve")
    assert approved.status_code == 200
    assert approved.get_json()["status"] == "active" and approved.get_json()["postcode"] == "3012GH"
    joined = events(app, "membership.joined")
    assert [(e.subject_type, e.subject_id, e.data) for e in joined] == [("membership", membership["id"], {})]


def test_auto_approving_groups_take_people_in_at_once(app, client, world):
    set_group(app, world, auto_approve=True)
    response = join(client, world, "outsider", invite_code(client, world))
    assert response.status_code == 201 and response.get_json()["status"] == "active"
    assert len(events(app, "membership.joined")) == 1
    assert client.get(f"{GROUPS}/{world.group_id}", headers=world["outsider"].headers).get_json()["my_role"] == "member"


def test_refused_people_are_looked_at_again_even_when_the_group_auto_approves(app, client, world):
    code = invite_code(client, world)
    first = join(client, world, "outsider", code).get_json()
    assert action(client, world, first["id"], "refuse").get_json()["status"] == "refused"
    set_group(app, world, auto_approve=True)
    again = join(client, world, "outsider", code)
    assert again.status_code == 201
    assert again.get_json()["id"] == first["id"] and again.get_json()["status"] == "pending"


def test_duplicate_joins_are_409_with_a_clear_message(client, world):
    code = invite_code(client, world)
    member = assert_error(join(client, world, "member", code), 409)
    assert "already a member" in member["message"]
    pending = assert_error(join(client, world, "pending", code), 409)
    assert "already asked" in pending["message"]


@pytest.mark.parametrize("body, field", [
    ({"confirm_adult": False}, "confirm_adult"),
    ({"confirm_lives_or_works_in_area": False}, "confirm_lives_or_works_in_area"),
    ({"postcode": "30121"}, "postcode"),
    ({"house_number": "nul"}, "house_number"),
    ({"house_number": "12345678901"}, "house_number"),
    ({"role": "moderator"}, "role"),
    ({"status": "active"}, "status"),
])
def test_bad_join_input_is_refused_and_nothing_is_written(app, client, world, body, field):
    code = invite_code(client, world)
    response = join(client, world, "outsider", code, **body)
    assert_error(response, 422, field)
    with app.app_context():
        assert db.session.scalar(select(Membership).where(Membership.user_id == world["outsider"].id)) is None
        assert db.session.scalar(select(Invite.uses)) == 0


def test_join_without_confirmations_names_both(client, world):
    body = assert_error(client.post(f"{GROUPS}/{world.group_id}/join", json={"code": "x"},
                                    headers=world["outsider"].headers), 422)
    assert {"confirm_adult", "confirm_lives_or_works_in_area"} <= set(body["errors"])


def test_member_limit_is_enforced_on_join_and_on_approval(app, client, world, make_user):
    set_group(app, world, member_limit=2, auto_approve=True)  # moderator + member: full
    code = invite_code(client, world)
    body = assert_error(join(client, world, "outsider", code), 409)
    assert "full" in body["message"]
    assert_error(action(client, world, world.pending_membership_id, "approve"), 409)
    set_group(app, world, member_limit=3, auto_approve=False)
    assert action(client, world, world.pending_membership_id, "approve").status_code == 200
    late = join(client, world, make_user(Role.resident), code).get_json()
    assert_error(action(client, world, late["id"], "approve"), 409)


def test_paused_and_archived_groups_take_no_new_members(app, client, world):
    code = invite_code(client, world)
    client.post(f"{GROUPS}/{world.group_id}/pause", headers=world["moderator"].headers)
    assert "paused" in assert_error(join(client, world, "outsider", code), 409)["message"]


def test_join_of_an_unknown_group_is_404(client, world):
    response = client.post(f"{GROUPS}/424242/join", json={"code": "abc", **JOIN}, headers=world["outsider"].headers)
    assert_error(response, 404)


# Moderating --------------------------------------------------------------------------------------------

def test_refuse_remove_promote_demote_and_their_audit_trail(app, client, world):
    assert action(client, world, world.pending_membership_id, "refuse").get_json()["status"] == "refused"
    assert_error(action(client, world, world.pending_membership_id, "approve"), 409)
    promoted = action(client, world, world.member_membership_id, "promote").get_json()
    assert promoted["role"] == "moderator"
    assert_error(action(client, world, world.member_membership_id, "promote"), 409)
    # The promoted member now moderates, and can demote the founder.
    demoted = action(client, world, world.moderator_membership_id, "demote", who="member").get_json()
    assert demoted["role"] == "member"
    assert_error(action(client, world, world.moderator_membership_id, "demote", who="member"), 409)
    removed = action(client, world, world.moderator_membership_id, "remove", who="member").get_json()
    assert removed["status"] == "removed"
    assert_error(action(client, world, world.moderator_membership_id, "remove", who="member"), 409)
    left = events(app, "membership.left")
    assert [(e.subject_id, e.data) for e in left] == [(world.moderator_membership_id, {"reason": "removed"})]

    trail = client.get(f"{GROUPS}/{world.group_id}/audit", headers=world["admin"].headers).get_json()
    assert [e["action"] for e in trail] == ["membership.removed", "membership.demoted", "membership.promoted",
                                            "membership.refused"]
    assert trail[1]["details"] == {"from": "moderator", "to": "member"}
    assert trail[1]["actor_id"] == world["member"].id
    assert_no_private(world, client.get(f"{GROUPS}/{world.group_id}/audit", headers=world["admin"].headers))


def test_a_group_never_loses_its_last_moderator(client, world):
    body = assert_error(action(client, world, world.moderator_membership_id, "demote"), 409)
    assert "at least one moderator" in body["message"]
    assert_error(action(client, world, world.moderator_membership_id, "remove", who="admin"), 409)
    assert_error(client.post(f"{GROUPS}/{world.group_id}/leave", headers=world["moderator"].headers), 409)
    # With a second moderator, the first may step down.
    action(client, world, world.member_membership_id, "promote")
    assert action(client, world, world.moderator_membership_id, "demote").status_code == 200


def test_a_member_leaves_and_can_come_back_with_a_code(app, client, world):
    left = client.post(f"{GROUPS}/{world.group_id}/leave", headers=world["member"].headers)
    assert left.status_code == 200 and left.get_json()["status"] == "left"
    assert [e.data for e in events(app, "membership.left")] == [{"reason": "left"}]
    assert_error(client.get(f"{GROUPS}/{world.group_id}", headers=world["member"].headers), 404)
    assert_error(client.post(f"{GROUPS}/{world.group_id}/leave", headers=world["member"].headers), 404)
    again = join(client, world, "member", invite_code(client, world))
    assert again.status_code == 201 and again.get_json()["status"] == "pending"


def test_a_pending_member_can_withdraw_their_request(app, client, world):
    response = client.post(f"{GROUPS}/{world.group_id}/leave", headers=world["pending"].headers)
    assert response.get_json()["status"] == "left"
    assert not events(app, "membership.left")  # never joined, so never left


def test_membership_of_another_group_is_404(app, client, world, make_user):
    other = build_world(app, make_user)
    response = action(client, world, other.pending_membership_id, "approve")
    assert_error(response, 404)
    with app.app_context():
        assert db.session.get(Membership, other.pending_membership_id).status.value == "pending"


# The member list ---------------------------------------------------------------------------------------

def test_members_see_names_and_roles_only(client, world):
    response = members(client, world, "member")
    body = response.get_json()
    assert sorted(m["display_name"] for m in body) == ["Mark Lid", "Mona Beheer"]
    assert body[0]["role"] == "moderator"  # moderators first
    for member in body:
        assert set(member) == {"id", "user_id", "display_name", "role", "joined_at"}
    assert_no_private(world, response)
    assert_error(members(client, world, "member", "?status=pending"), 403)


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_moderators_see_requests_status_and_addresses(client, world, who):
    response = members(client, world, who)
    body = {m["display_name"]: m for m in response.get_json()}
    assert set(body) == {"Mark Lid", "Mona Beheer", "Petra Wacht"}
    assert body["Mark Lid"]["postcode"] == MEMBER_POSTCODE and body["Mark Lid"]["house_number"] == MEMBER_HOUSE_NUMBER
    assert body["Petra Wacht"]["status"] == "pending" and body["Petra Wacht"]["postcode"] == PENDING_POSTCODE
    assert all("email" not in m for m in body.values())
    refused_only = members(client, world, who, "?status=refused").get_json()
    assert refused_only == []
    assert_error(members(client, world, who, "?status=nope"), 422, "status")


MATRIX = {
    #                outsider pending member moderator linked unlinked admin
    "list":          (404, 403, 200, 200, 403, 404, 200),
    "approve":       (404, 403, 403, 200, 403, 404, 200),
    "refuse":        (404, 403, 403, 200, 403, 404, 200),
    "remove":        (404, 403, 403, 200, 403, 404, 200),
    "promote":       (404, 403, 403, 200, 403, 404, 200),
    "demote":        (404, 403, 403, 409, 403, 404, 409),
    "leave":         (404, 200, 200, 409, 409, 404, 409),
    "join":          (201, 409, 409, 409, 403, 403, 403),
}


def call(client, world, what, who):
    if what == "list":
        return members(client, world, who)
    if what == "leave":
        return client.post(f"{GROUPS}/{world.group_id}/leave", headers=world[who].headers)
    if what == "join":
        return join(client, world, who, invite_code(client, world))
    target = {"approve": world.pending_membership_id, "refuse": world.pending_membership_id,
              "demote": world.moderator_membership_id}.get(what, world.member_membership_id)
    return action(client, world, target, what, who)


@pytest.mark.parametrize("what", list(MATRIX))
@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(app, client, world, what, who):
    expected = MATRIX[what][ROLES.index(who)]
    with app.app_context():
        audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = call(client, world, what, who)
    if expected >= 400:
        assert_error(response, expected)
        with app.app_context():
            audit_after = db.session.scalar(select(func.count()).select_from(AuditEntry))
        # A refused change leaves no trace (the invite a join test makes is the moderator's own entry).
        assert audit_after - audit_before == (1 if what == "join" else 0)
    else:
        assert response.status_code == expected, response.get_json()
    if who not in ("moderator", "admin"):
        own = (world[who].email,)
        if who == "pending":
            own += ("3012EF", "7C")
        if who == "member":
            own += (MEMBER_POSTCODE, MEMBER_HOUSE_NUMBER)
        assert_no_private(world, response, allowed=own)
