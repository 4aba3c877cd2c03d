"""Check-ins: logging after a report and on a routine round, tasks, notes' privacy, moderator activity."""

from datetime import timedelta

import pytest

from tests.helpers import assert_error, counted_queries
from tests.report_fixtures import check_in_tasks, fake_clock, file_report, world  # noqa: F401

VISIT = {"kind": "doorbell_visit", "households_reached": 4, "note": "Mevrouw op 12 zag een busje.",
         "outcome": "information_gathered"}
ROUND = {"kind": "street_walk", "households_reached": 0, "outcome": "nothing_found"}


def test_routine_round_and_group_list_and_activity(client, world, fake_clock):  # noqa: F811
    group_url = f"/api/v1/groups/{world.group_id}"
    rid = file_report(client, world).get_json()["id"]
    assert client.post(f"/api/v1/reports/{rid}/check-ins", json=VISIT, headers=world.moderator.headers).status_code \
        == 201
    fake_clock.advance(days=2)
    routine = client.post(f"{group_url}/check-ins", json=ROUND, headers=world.moderator.headers)
    assert routine.status_code == 201
    assert routine.get_json()["report_id"] is None and routine.get_json()["note"] == ""
    listed = client.get(f"{group_url}/check-ins", headers=world.moderator.headers).get_json()
    assert [c["kind"] for c in listed] == ["street_walk", "doorbell_visit"]
    assert listed[1]["note"] == VISIT["note"] and listed[1]["moderator"]["display_name"] == "Fatima"
    file_report(client, world, actor=world.neighbour)
    fake_clock.advance(days=3)
    activity = client.get(f"{group_url}/moderator-activity", headers=world.moderator.headers).get_json()
    assert activity["check_ins"] == 2 and activity["routine_check_ins"] == 1
    assert activity["households_reached"] == 4 and activity["days_since_last_check_in"] == 3
    assert activity["reports"] == 2 and activity["reports_with_check_in"] == 1
    assert {r["report_id"]: r["check_ins"] for r in activity["per_report"]}[rid] == 1
    assert activity["per_moderator"][0]["moderator"]["display_name"] == "Fatima"
    assert activity["per_moderator"][0]["check_ins"] == 2
    assert "email" not in str(activity)


def test_checkin_task_lasts_a_week_and_ends_with_the_report(client, world, fake_clock):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    other = file_report(client, world).get_json()["id"]
    tasks = check_in_tasks(client, world.moderator)
    assert [t["subject_id"] for t in tasks] == [rid, other]
    assert tasks[0]["title"] == "Check-in na melding: suspicious_person" and tasks[0]["group_id"] == world.group_id
    client.post(f"/api/v1/reports/{other}/withdraw", headers=world.reporter.headers)
    assert [t["subject_id"] for t in check_in_tasks(client, world.moderator)] \
        == [rid]
    fake_clock.advance(days=8)
    assert check_in_tasks(client, world.moderator) == []
    # The admin is not a moderator of every group's check-ins.
    assert check_in_tasks(client, world.admin) == []


def test_members_see_check_ins_without_notes(client, world):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    client.post(f"/api/v1/reports/{rid}/check-ins", json=VISIT, headers=world.moderator.headers)
    for actor in (world.neighbour, world.reporter, world.professional):
        entry = [e for e in client.get(f"/api/v1/reports/{rid}", headers=actor.headers).get_json()["timeline"]
                 if e["type"] == "check_in"][0]
        assert "note" not in entry and entry["outcome"] == "information_gathered"
        assert entry["actor"] == {"display_name": "Fatima", "role": "moderator"}
    entry = client.get(f"/api/v1/reports/{rid}", headers=world.admin.headers).get_json()["timeline"][1]
    assert entry["note"] == VISIT["note"]
    listed = client.get(f"/api/v1/reports/{rid}/check-ins", headers=world.neighbour.headers).get_json()
    assert len(listed) == 1 and "note" not in listed[0] and listed[0]["households_reached"] == 4
    listed = client.get(f"/api/v1/reports/{rid}/check-ins", headers=world.moderator.headers).get_json()
    assert listed[0]["note"] == VISIT["note"]
    assert_error(client.get(f"/api/v1/reports/{rid}/check-ins", headers=world.outsider.headers), 404)
    assert_error(client.get(f"/api/v1/reports/{rid}/check-ins", headers=world.pending.headers), 404)


@pytest.mark.parametrize(
    ("role", "log", "list_", "activity"),
    [
        ("outsider", 404, 404, 404),
        ("pending", 404, 403, 403),
        ("neighbour", 403, 403, 403),
        ("moderator", 201, 200, 200),
        ("professional", 403, 403, 403),
        ("unlinked_professional", 404, 404, 404),
        ("admin", 201, 200, 200),
    ],
)
def test_checkin_access_matrix(client, world, role, log, list_, activity):  # noqa: F811
    actor = world.actor(role)
    rid = file_report(client, world).get_json()["id"]
    group_url = f"/api/v1/groups/{world.group_id}"
    assert client.post(f"/api/v1/reports/{rid}/check-ins", json=VISIT, headers=actor.headers).status_code == log
    routine = client.post(f"{group_url}/check-ins", json=ROUND, headers=actor.headers).status_code
    assert routine == (201 if list_ == 200 else list_)
    assert client.get(f"{group_url}/check-ins", headers=actor.headers).status_code == list_
    assert client.get(f"{group_url}/moderator-activity", headers=actor.headers).status_code == activity


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"kind": "drone_flight"}, "kind"),
        ({"outcome": "arrested"}, "outcome"),
        ({"households_reached": -1}, "households_reached"),
        ({"households_reached": 5000}, "households_reached"),
        ({"note": "x" * 2001}, "note"),
        ({"moderator_id": 1}, "moderator_id"),
    ],
)
def test_bad_checkin_input(client, world, override, field):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    response = client.post(f"/api/v1/reports/{rid}/check-ins", json={**VISIT, **override},
                           headers=world.moderator.headers)
    assert_error(response, 422, field)


def test_checkin_not_in_future_and_not_on_withdrawn(client, world, fake_clock):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    future = (fake_clock.now + timedelta(hours=2)).isoformat()
    assert_error(client.post(f"/api/v1/reports/{rid}/check-ins", json={**VISIT, "occurred_at": future},
                             headers=world.moderator.headers), 422, "occurred_at")
    client.post(f"/api/v1/reports/{rid}/withdraw", headers=world.reporter.headers)
    assert_error(client.post(f"/api/v1/reports/{rid}/check-ins", json=VISIT, headers=world.moderator.headers), 409)


def test_group_check_ins_list_in_a_fixed_number_of_queries(app, client, world):  # noqa: F811


    for _ in range(12):
        client.post(f"/api/v1/groups/{world.group_id}/check-ins", json=ROUND, headers=world.moderator.headers)
    client.post(f"/api/v1/groups/{world.group_id}/check-ins", json=ROUND, headers=world.admin.headers)
    counts = []
    for size in (5, 50):
        with counted_queries(app) as statements:
            response = client.get(f"/api/v1/groups/{world.group_id}/check-ins?page_size={size}",
                                  headers=world.moderator.headers)
        assert len(response.get_json()) == min(size, 13)
        counts.append(len(statements))
    assert counts[0] == counts[1]
