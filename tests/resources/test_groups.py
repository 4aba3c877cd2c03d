"""Groups and their charter: the set-up flow end to end, activation rules, life cycle, listing and search."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from api.extensions import db
from api.models import AuditEntry, Event, Group, GroupStatus, Role
from api.services.charter import SAAR_HOUSE_RULES
from tests.factories import make_group
from tests.groups_world import ROLES, assert_no_private, build_world
from tests.helpers import PASSWORD, assert_error, counted_queries

GROUPS = "/api/v1/groups"
NEW_GROUP = {"name": "Buurtpreventie Oude Noorden",
             "area": {"postcodes": ["3031 ab", "3032"], "description": "Rond het Noordplein"}}


def in_a_year_iso(days=400):
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_done_when_flow_from_draft_to_linked_community_officer(client, make_user, admin):
    founder = make_user(Role.resident, name="Fatima")
    neighbours = [make_user(Role.resident, name="Joost"), make_user(Role.resident, name="Ayse")]

    # A resident starts a draft group; they are its first moderator.
    created = client.post(GROUPS, json=NEW_GROUP, headers=founder.headers)
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    gid = group["id"]
    assert group["status"] == "draft" and group["my_role"] == "moderator"
    assert group["area"]["postcodes"] == ["3031AB", "3032"]
    assert group["house_rules"] == SAAR_HOUSE_RULES
    contacts = client.get(f"{GROUPS}/{gid}/contacts", headers=founder.headers).get_json()
    assert [(c["kind"], c["phone"]) for c in contacts] == [("emergency", "112"), ("police_non_urgent", "0900-8844")]

    # Activation is refused with the list of what is missing.
    refused = assert_error(client.post(f"{GROUPS}/{gid}/activate", headers=founder.headers), 422)
    assert set(refused["errors"]) == {"problem", "goals", "contacts"}
    assert "local contact" in refused["errors"]["contacts"][0]

    # The moderator completes the charter and the directory, then activates.
    patched = client.patch(f"{GROUPS}/{gid}", headers=founder.headers, json={
        "problem": "Veel inbraken in schuurtjes sinds de zomer.",
        "goals": ["Minder inbraken in schuurtjes", "Buren kennen elkaar"],
    })
    assert patched.status_code == 200 and patched.get_json()["goals"][0] == "Minder inbraken in schuurtjes"
    officer = client.post(f"{GROUPS}/{gid}/contacts", headers=founder.headers, json={
        "kind": "community_officer", "label": "Wijkagent Jansen", "phone": "0900-8844", "hours": "ma-vr 9-17"})
    assert officer.status_code == 201
    activated = client.post(f"{GROUPS}/{gid}/activate", headers=founder.headers)
    assert activated.status_code == 200 and activated.get_json()["status"] == "active"

    # Invites neighbours; they join and are approved.
    invite = client.post(f"{GROUPS}/{gid}/invites", headers=founder.headers,
                         json={"max_uses": 10, "expires_at": in_a_year_iso(14)}).get_json()
    assert invite["url"] == f"http://localhost/groups/{gid}/join?code={invite['code']}"
    for neighbour in neighbours:
        joined = client.post(f"{GROUPS}/{gid}/join", headers=neighbour.headers, json={
            "code": invite["code"], "confirm_adult": True, "confirm_lives_or_works_in_area": True,
            "postcode": "3031 ab", "house_number": "12A"})
        assert joined.status_code == 201, joined.get_json()
        membership = joined.get_json()
        assert membership["status"] == "pending" and membership["postcode"] == "3031AB"
        approved = client.post(f"{GROUPS}/{gid}/members/{membership['id']}/approve", headers=founder.headers)
        assert approved.status_code == 200 and approved.get_json()["status"] == "active"
    members = client.get(f"{GROUPS}/{gid}/members", headers=neighbours[0].headers).get_json()
    assert sorted(m["display_name"] for m in members) == ["Ayse", "Fatima", "Joost"]
    assert client.get(f"{GROUPS}/{gid}", headers=founder.headers).get_json()["member_count"] == 3

    # The admin creates a community officer's account and links it to the group.
    account = client.post("/api/v1/admin/users", headers=admin.headers, json={
        "email": "wijkagent@politie.example", "display_name": "Wijkagent Jansen",
        "organisation": "Politie Rotterdam", "password": PASSWORD}).get_json()
    linked = client.post(f"{GROUPS}/{gid}/professionals", headers=admin.headers, json={"user_id": account["id"]})
    assert linked.status_code == 201
    tokens = client.post("/api/v1/auth/login", json={"email": "wijkagent@politie.example",
                                                      "password": PASSWORD}).get_json()
    officer_headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    seen = client.get(f"{GROUPS}/{gid}", headers=officer_headers).get_json()
    assert seen["my_role"] == "professional" and seen["problem"].startswith("Veel inbraken")
    assert_error(client.get(f"{GROUPS}/{gid}/members", headers=officer_headers), 403)

    # Every role and membership change is in the audit trail; joins are domain events.
    trail = client.get(f"{GROUPS}/{gid}/audit?page_size=100", headers=founder.headers).get_json()
    actions = [entry["action"] for entry in trail]
    for action in ("group.created", "membership.founded", "group.activated", "membership.requested",
                   "membership.approved", "professional.linked"):
        assert action in actions
    assert all("@" not in str(entry["details"]) for entry in trail)
    with client.application.app_context():
        joined_events = db.session.scalar(select(func.count()).select_from(Event).where(
            Event.group_id == gid, Event.kind == "membership.joined"))
    assert joined_events == 3


def test_a_new_group_has_defaults_and_the_founder_as_moderator(client, resident):
    body = client.post(GROUPS, json=NEW_GROUP, headers=resident.headers).get_json()
    assert body["feedback_target_minutes"] == 10 and body["auto_approve"] is False and body["member_limit"] is None
    review_at = datetime.fromisoformat(body["review_at"])
    assert timedelta(days=364) < review_at - datetime.now(UTC) < timedelta(days=366)
    assert body["review_due"] is False and body["member_count"] == 1
    assert body["my_membership_status"] == "active" and body["can_moderate"] is True
    assert body["goals"] == [] and body["problem"] == ""


def test_activation_lists_every_missing_piece_in_plain_words(client, resident):
    gid = client.post(GROUPS, json={**NEW_GROUP, "house_rules": ""}, headers=resident.headers).get_json()["id"]
    contacts = client.get(f"{GROUPS}/{gid}/contacts", headers=resident.headers).get_json()
    for contact in contacts:
        assert client.delete(f"/api/v1/contacts/{contact['id']}", headers=resident.headers).status_code == 204
    body = assert_error(client.post(f"{GROUPS}/{gid}/activate", headers=resident.headers), 422)
    assert set(body["errors"]) == {"problem", "goals", "house_rules", "contacts"}
    assert len(body["errors"]["contacts"]) == 3
    assert any("112" in text for text in body["errors"]["contacts"])
    assert any("0900-8844" in text for text in body["errors"]["contacts"])
    assert client.get(f"{GROUPS}/{gid}", headers=resident.headers).get_json()["status"] == "draft"


@pytest.mark.parametrize("body, field", [
    ({**NEW_GROUP, "status": "active"}, "status"),
    ({**NEW_GROUP, "area": {"postcodes": ["301"]}}, "area"),
    ({**NEW_GROUP, "area": {"postcodes": ["0123AB"]}}, "area"),
    ({**NEW_GROUP, "area": {"postcodes": ["3011ABC"]}}, "area"),
    ({**NEW_GROUP, "area": {"postcodes": []}}, "area"),
    ({**NEW_GROUP, "area": {"postcodes": ["3011"], "bogus": 1}}, "area"),
    ({"area": NEW_GROUP["area"]}, "name"),
    ({**NEW_GROUP, "name": "x" * 101}, "name"),
    ({**NEW_GROUP, "name": "   "}, "name"),
    ({**NEW_GROUP, "goals": ["a", "b", "c", "d", "e", "f"]}, "goals"),
    ({**NEW_GROUP, "goals": ["x" * 201]}, "goals"),
    ({**NEW_GROUP, "problem": "x" * 2001}, "problem"),
    ({**NEW_GROUP, "feedback_target_minutes": 0}, "feedback_target_minutes"),
    ({**NEW_GROUP, "feedback_target_minutes": 1441}, "feedback_target_minutes"),
    ({**NEW_GROUP, "member_limit": 0}, "member_limit"),
    ({**NEW_GROUP, "review_at": "2001-01-01T00:00:00Z"}, "review_at"),
])
def test_bad_group_input_is_refused_and_nothing_is_written(app, client, resident, body, field):
    before = count(app, Group), count(app, AuditEntry)
    assert_error(client.post(GROUPS, json=body, headers=resident.headers), 422, field)
    assert (count(app, Group), count(app, AuditEntry)) == before


def test_non_json_and_broken_json_bodies_are_refused(client, resident):
    assert_error(client.post(GROUPS, data="name=x", headers={**resident.headers,
                                                              "Content-Type": "text/plain"}), 415)
    assert_error(client.post(GROUPS, data="{", headers={**resident.headers,
                                                         "Content-Type": "application/json"}), 400)


def test_professionals_do_not_start_groups(app, client, professional):
    assert_error(client.post(GROUPS, json=NEW_GROUP, headers=professional.headers), 403)
    assert count(app, Group) == 0


def test_patch_replaces_the_area_and_keeps_unchanged_postcodes(client, resident):
    gid = client.post(GROUPS, json=NEW_GROUP, headers=resident.headers).get_json()["id"]
    body = client.patch(f"{GROUPS}/{gid}", headers=resident.headers, json={
        "area": {"postcodes": ["3032", "3033 xy", "3032"], "description": "Groter gebied"},
        "feedback_target_minutes": 30, "auto_approve": True, "member_limit": 50}).get_json()
    assert body["area"] == {"postcodes": ["3032", "3033XY"], "description": "Groter gebied"}
    assert (body["feedback_target_minutes"], body["auto_approve"], body["member_limit"]) == (30, True, 50)
    assert_error(client.patch(f"{GROUPS}/{gid}", headers=resident.headers, json={"created_by_id": 1}), 422,
                 "created_by_id")


def test_life_cycle_and_its_conflicts(client, world):
    gid, moderator = world.group_id, world["moderator"]

    def act(action, who=moderator):
        return client.post(f"{GROUPS}/{gid}/{action}", headers=who.headers)

    assert_error(act("activate"), 409)
    assert_error(act("resume"), 409)
    assert act("pause").get_json()["status"] == "paused"
    assert_error(act("pause"), 409)
    assert act("resume").get_json()["status"] == "active"
    assert act("archive", world["admin"]).get_json()["status"] == "archived"
    # Archived groups are read-only, for admins too.
    assert_error(act("resume"), 403)
    assert_error(client.patch(f"{GROUPS}/{gid}", json={"name": "Nieuw"}, headers=world["admin"].headers), 403)
    assert_error(client.post(f"{GROUPS}/{gid}/contacts", json={"kind": "other", "label": "x"},
                             headers=moderator.headers), 403)
    assert client.get(f"{GROUPS}/{gid}", headers=world["member"].headers).status_code == 200
    trail = client.get(f"{GROUPS}/{gid}/audit", headers=moderator.headers).get_json()
    assert [e["action"] for e in trail] == ["group.archived", "group.resumed", "group.paused"]
    assert trail[0]["details"] == {"from": "active", "to": "archived"} and trail[0]["actor_name"] == "Gemeente"


def test_a_group_past_its_review_date_says_so_until_renewed(app, client, world):
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        group.review_at = datetime.now(UTC) - timedelta(days=1)
        db.session.commit()
    for role in ("member", "pending", "linked_professional", "admin"):
        assert client.get(f"{GROUPS}/{world.group_id}", headers=world[role].headers).get_json()["review_due"] is True
    listed = client.get(GROUPS, headers=world["member"].headers).get_json()
    assert listed[0]["review_due"] is True
    assert_error(client.post(f"{GROUPS}/{world.group_id}/renew", headers=world["member"].headers), 403)
    renewed = client.post(f"{GROUPS}/{world.group_id}/renew", headers=world["moderator"].headers).get_json()
    assert renewed["review_due"] is False
    assert datetime.fromisoformat(renewed["review_at"]) > datetime.now(UTC) + timedelta(days=364)


def test_list_shows_my_groups_with_my_relation(client, make_user, app):
    me = make_user(Role.resident)
    other = make_user(Role.resident)
    mine = make_group(app, moderators=[me], name="A-groep")
    pending = make_group(app, moderators=[other], pending=[me], name="B-groep")
    make_group(app, moderators=[other], name="C-groep")
    response = client.get(GROUPS, headers=me.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert [(g["id"], g["my_role"], g["my_membership_status"]) for g in body] == [
        (mine, "moderator", "active"), (pending, "member", "pending")]
    assert '"total": 2' in response.headers["X-Pagination"] or "total" in response.headers["X-Pagination"]


def test_admins_list_all_groups_and_filter_by_status_and_postcode(client, make_user, app, admin):
    mod = make_user(Role.resident)
    a = make_group(app, moderators=[mod], name="Alpha", postcodes=("3011AB",))
    b = make_group(app, moderators=[mod], name="Beta", postcodes=("3012",), status=GroupStatus.paused)
    c = make_group(app, moderators=[mod], name="Gamma", postcodes=("9711",), status=GroupStatus.draft)

    def ids(query=""):
        response = client.get(f"{GROUPS}{query}", headers=admin.headers)
        assert response.status_code == 200, response.get_json()
        return [g["id"] for g in response.get_json()]

    assert ids() == [a, b, c]
    assert ids("?status=paused") == [b]
    assert ids("?postcode=3012%20xy") == [b]
    assert ids("?postcode=3011") == [a]
    assert ids("?page_size=1&page=2") == [b]
    assert client.get(GROUPS, headers=admin.headers).get_json()[0]["my_role"] == "admin"
    assert_error(client.get(f"{GROUPS}?postcode=abc", headers=admin.headers), 422, "postcode")
    assert_error(client.get(f"{GROUPS}?status=gone", headers=admin.headers), 422, "status")


def test_list_uses_a_fixed_number_of_queries(app, client, make_user, admin):

    mod = make_user(Role.resident)
    for n in range(6):
        make_group(app, moderators=[mod], name=f"Groep {n}")
    with counted_queries(app) as statements:
        client.get(GROUPS, headers=admin.headers)  # warm up: first-request work is not what we count
        statements.clear()
        client.get(GROUPS, headers=admin.headers)
        few = len(statements)
        for n in range(6, 12):
            make_group(app, moderators=[mod], name=f"Groep {n}")
        statements.clear()
        client.get(GROUPS, headers=admin.headers)
    assert len(statements) == few


def test_search_finds_active_groups_by_postcode_and_shows_only_their_purpose(client, make_user, app, resident):
    mod = make_user(Role.resident)
    active = make_group(app, moderators=[mod], members=[make_user()], name="Actief", postcodes=("3011",))
    make_group(app, moderators=[mod], name="Concept", postcodes=("3011AB",), status=GroupStatus.draft)
    make_group(app, moderators=[mod], name="Elders", postcodes=("9711",))
    response = client.get(f"{GROUPS}/search?postcode=3011%20ab", headers=resident.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert [g["id"] for g in body] == [active]
    assert set(body[0]) == {"id", "name", "area", "problem", "goals"}
    assert mod.email not in response.get_data(as_text=True)
    assert_error(client.get(f"{GROUPS}/search", headers=resident.headers), 422, "postcode")
    assert_error(client.get(f"{GROUPS}/search?postcode=12", headers=resident.headers), 422, "postcode")
    assert_error(client.get(f"{GROUPS}/search?postcode=3011"), 401)


def test_unknown_group_is_404_with_the_same_message_as_an_invisible_one(client, world):
    invisible = assert_error(client.get(f"{GROUPS}/{world.group_id}", headers=world["outsider"].headers), 404)
    missing = assert_error(client.get(f"{GROUPS}/999999", headers=world["outsider"].headers), 404)
    assert invisible["message"] == missing["message"]


# Access matrix --------------------------------------------------------------------------------------------

MATRIX = {
    #                outsider pending member moderator linked unlinked admin
    "read":          (404, 200, 200, 200, 200, 404, 200),
    "patch":         (404, 403, 403, 200, 403, 404, 200),
    "pause":         (404, 403, 403, 200, 403, 404, 200),
    "archive":       (404, 403, 403, 200, 403, 404, 200),
    "renew":         (404, 403, 403, 200, 403, 404, 200),
    "audit":         (404, 403, 403, 200, 403, 404, 200),
}


def call(client, world, what, who):
    gid, headers = world.group_id, world[who].headers
    if what == "read":
        return client.get(f"{GROUPS}/{gid}", headers=headers)
    if what == "patch":
        return client.patch(f"{GROUPS}/{gid}", json={"problem": "Nieuw probleem"}, headers=headers)
    if what == "audit":
        return client.get(f"{GROUPS}/{gid}/audit", headers=headers)
    return client.post(f"{GROUPS}/{gid}/{what}", headers=headers)


@pytest.mark.parametrize("what", list(MATRIX))
@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(client, world, what, who):
    expected = MATRIX[what][ROLES.index(who)]
    response = call(client, world, what, who)
    if expected >= 400:
        assert_error(response, expected)
    else:
        assert response.status_code == expected, response.get_json()
        assert_no_private(world, response)


def test_activation_matrix_on_a_complete_draft(app, client, make_user):
    world = build_world(app, make_user, status=GroupStatus.draft)
    expected = dict(zip(ROLES, (404, 403, 403, 200, 403, 404, 200), strict=True))
    for who in ROLES:
        response = client.post(f"{GROUPS}/{world.group_id}/activate", headers=world[who].headers)
        if who in ("moderator", "admin"):
            # The first of the two activates; the other finds it already active.
            assert response.status_code in (200, 409)
        else:
            assert_error(response, expected[who])


@pytest.mark.parametrize("who", ROLES)
def test_my_groups_list_shows_only_groups_i_relate_to(client, world, who):
    ids = [g["id"] for g in client.get(GROUPS, headers=world[who].headers).get_json()]
    assert (world.group_id in ids) == (who not in ("outsider", "unlinked_professional"))


def test_unauthenticated_calls_are_401(client, world):
    assert_error(client.get(GROUPS), 401)
    assert_error(client.post(GROUPS, json=NEW_GROUP), 401)
    assert_error(client.get(f"{GROUPS}/{world.group_id}"), 401)


def test_ids_and_pages_beyond_range_are_plain_answers_not_server_errors(client, world):
    headers = world["admin"].headers
    assert_error(client.get(f"{GROUPS}/{2**31}", headers=headers), 404)
    assert_error(client.post(f"{GROUPS}/{2**70}/pause", headers=headers), 404)
    huge_page = client.get(f"{GROUPS}?page={10**20}", headers=headers)
    assert huge_page.status_code == 200 and huge_page.get_json() == []
    contacts = client.get(f"{GROUPS}/{world.group_id}/contacts?page={10**20}", headers=headers)
    assert contacts.status_code == 200 and contacts.get_json() == []
    members = client.get(f"{GROUPS}/{world.group_id}/members?page={10**20}", headers=headers)
    assert members.status_code == 200 and members.get_json() == []


def test_a_live_group_keeps_a_complete_charter(app, client, world):
    url, headers = f"{GROUPS}/{world.group_id}", world["moderator"].headers
    body = assert_error(client.patch(url, json={"problem": "", "goals": []}, headers=headers), 422)
    assert set(body["errors"]) == {"problem", "goals"}
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        assert group.problem and group.goals
    assert client.patch(url, json={"goals": ["Alleen dit doel"]}, headers=headers).status_code == 200
