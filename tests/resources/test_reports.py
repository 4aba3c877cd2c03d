"""Reports: the "Done when" scenario, filing rules, life cycle, lists and their query count, access."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from api.extensions import db
from api.models import Event, Report
from api.sweep import run_sweep
from tests.helpers import assert_error, counted_queries
from tests.report_fixtures import check_in_tasks, fake_clock, file_report, report_body, world  # noqa: F401


def test_done_when_scenario(app, client, world, fake_clock):  # noqa: F811
    # A member files an urgent report without calling 112 and is reminded to call 112 first.
    response = file_report(client, world, urgency="urgent", called_112=False)
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    assert report["status"] == "open" and report["called_112_count"] == 0
    assert "112" in report["reminder"] and "Call 112 first" in report["reminder"]  # the reporter reads English
    assert {c["kind"] for c in report["emergency_contacts"]} == {"emergency", "police_non_urgent"}
    assert report["location"] == {"text": "Merelstraat 1-21", "lat": 51.924, "lon": 4.478}
    assert report["reporter"] == {"display_name": "Sanne", "role": "reporter"} and report["mine"] is True
    rid = report["id"]

    # Two neighbours mark that they called 112; a second mark by the same neighbour is refused.
    for neighbour in (world.neighbour, world.neighbour2):
        marked = client.post(f"/api/v1/reports/{rid}/called-112", headers=neighbour.headers)
        assert marked.status_code == 201
    assert marked.get_json() == {"report_id": rid, "called_112_count": 2, "called_112_by_me": True}
    assert_error(client.post(f"/api/v1/reports/{rid}/called-112", headers=world.neighbour.headers), 409)

    # The moderator gets a check-in task and logs a doorbell visit.
    tasks = check_in_tasks(client, world.moderator)
    assert [(t["type"], t["subject_type"], t["subject_id"]) for t in tasks] == [("check_in", "report", rid)]
    assert check_in_tasks(client, world.neighbour) == []
    fake_clock.advance(minutes=2)
    check_in = client.post(f"/api/v1/reports/{rid}/check-ins", headers=world.moderator.headers, json={
        "kind": "doorbell_visit", "households_reached": 6, "note": "Bij nummer 7 niemand thuis.",
        "outcome": "reassured",
    })
    assert check_in.status_code == 201, check_in.get_json()
    assert check_in_tasks(client, world.moderator) == []

    # A moderator's update is shown but does not stop the clock.
    fake_clock.advance(minutes=1)
    update = client.post(f"/api/v1/reports/{rid}/feedback", headers=world.moderator.headers,
                         json={"kind": "update", "message": "Ik heb aangebeld in de straat."})
    assert update.status_code == 201 and update.get_json()["professional"] is False
    state = client.get(f"/api/v1/reports/{rid}", headers=world.neighbour.headers).get_json()
    assert state["status"] == "open" and state["first_feedback_at"] is None

    # The professional acknowledges 4 minutes after filing, then gives an outcome.
    fake_clock.advance(minutes=1)
    ack = client.post(f"/api/v1/reports/{rid}/feedback", headers=world.professional.headers,
                      json={"kind": "acknowledgement", "message": "Gezien, een collega rijdt langs."})
    assert ack.status_code == 201
    assert ack.get_json()["author"] == {"display_name": "Wijkagent Jansen", "organisation": None,
                                        "role": "professional"}
    fake_clock.advance(minutes=20)
    outcome = client.post(f"/api/v1/reports/{rid}/feedback", headers=world.professional.headers,
                          json={"kind": "outcome", "message": "Persoon aangesproken, bleek een bezorger."})
    assert outcome.status_code == 201

    # Every member sees the timeline; only the moderator sees the check-in note.
    seen = client.get(f"/api/v1/reports/{rid}", headers=world.neighbour.headers).get_json()
    assert seen["status"] == "resolved"
    assert seen["response_minutes"] == 4.0 and seen["target_met"] is True and seen["feedback_overdue"] is False
    assert seen["called_112_count"] == 2 and seen["called_112_by_me"] is True and seen["mine"] is False
    kinds = [(e["type"], e.get("to_status") or e.get("kind")) for e in seen["timeline"]]
    assert kinds == [
        ("status_changed", "open"), ("check_in", "doorbell_visit"), ("feedback", "update"),
        ("feedback", "acknowledgement"), ("status_changed", "acknowledged"), ("feedback", "outcome"),
        ("status_changed", "resolved"),
    ]
    check_in_entry = seen["timeline"][1]
    assert "note" not in check_in_entry and check_in_entry["households_reached"] == 6
    as_moderator = client.get(f"/api/v1/reports/{rid}", headers=world.moderator.headers).get_json()
    assert as_moderator["timeline"][1]["note"] == "Bij nummer 7 niemand thuis."
    assert "email" not in str(seen) and world.reporter.email not in str(seen)

    # On another report nobody answers: the clock runs out and the sweep records one escalation.
    other = file_report(client, world, actor=world.neighbour, called_112=True).get_json()
    assert "reminder" not in other and other["called_112_count"] == 1
    # Saying so when filing counts as the reporter's own mark.
    assert_error(client.post(f"/api/v1/reports/{other['id']}/called-112", headers=world.neighbour.headers), 409)
    fake_clock.advance(minutes=9)
    assert client.get(f"/api/v1/reports/{other['id']}", headers=world.reporter.headers).get_json()[
        "feedback_overdue"] is False
    fake_clock.advance(minutes=2)
    # Read time is right before any sweep ran.
    late = client.get(f"/api/v1/reports/{other['id']}", headers=world.reporter.headers).get_json()
    assert late["feedback_overdue"] is True and late["target_met"] is False and late["escalated"] is False
    with app.app_context():
        assert run_sweep()["escalate_overdue_reports"] == 1
        assert run_sweep()["escalate_overdue_reports"] == 0
    late = client.get(f"/api/v1/reports/{other['id']}", headers=world.reporter.headers).get_json()
    assert late["escalated"] is True
    escalation = late["timeline"][-1]
    assert escalation["type"] == "escalation"
    assert escalation["moderators_count"] == 1 and escalation["professionals_count"] == 1

    # The group's stats show the median and p90.
    stats = client.get(f"/api/v1/groups/{world.group_id}/stats/response-times",
                       headers=world.neighbour.headers).get_json()
    assert stats["count"] == 2 and stats["answered_count"] == 1
    assert stats["median_minutes"] == 4.0 and stats["p90_minutes"] == 4.0
    assert stats["within_target_share"] == 0.5 and stats["overdue_count"] == 1

    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(Event).order_by(Event.id))]
        datas = [e.data for e in db.session.scalars(select(Event))]
    for kind in ("report.created", "checkin.task_created", "checkin.logged", "report.feedback",
                 "report.status_changed", "report.escalated"):
        assert kind in kinds
    assert "Sanne" not in str(datas) and "achterdeuren" not in str(datas)


def test_urgent_reminder_in_dutch_by_default(client, world):  # noqa: F811
    report = file_report(client, world, actor=world.neighbour, urgency="urgent").get_json()
    assert report["reminder"].startswith("Is er nu gevaar")
    normal = file_report(client, world, actor=world.neighbour).get_json()
    assert "reminder" not in normal and "emergency_contacts" not in normal


def test_location_without_coordinates_and_default_occurred_at(client, world, fake_clock):  # noqa: F811
    report = file_report(client, world, location={"text": "Merelstraat 2-40"}).get_json()
    assert report["location"] == {"text": "Merelstraat 2-40", "lat": None, "lon": None}
    assert report["occurred_at"] == report["created_at"]
    assert report["feedback_due_at"] > report["created_at"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "murder"}, "category"),
        ({"urgency": "very"}, "urgency"),
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"location": {"lat": 51.9, "lon": 4.4}}, "location"),
        ({"location": {"text": "Merelstraat", "lat": 51.9}}, "location"),
        ({"location": {"text": "Merelstraat", "lat": 95, "lon": 4.4}}, "location"),
        ({"occurred_at": "gisteren"}, "occurred_at"),
        # Valid ISO 8601, but outside the representable years once moved to UTC (was a 500).
        ({"occurred_at": "0001-01-01T00:00:00+01:00"}, "occurred_at"),
        ({"called_112": "misschien"}, "called_112"),
        ({"author_id": 1}, "author_id"),
        ({"status": "closed"}, "status"),
    ],
)
def test_bad_input_is_refused_with_field_errors(client, world, overrides, field):  # noqa: F811
    assert_error(file_report(client, world, **overrides), 422, field)


def test_missing_fields_and_future_and_non_json(client, world, fake_clock):  # noqa: F811
    body = assert_error(client.post(f"/api/v1/groups/{world.group_id}/reports", json={},
                                    headers=world.reporter.headers), 422)
    assert {"category", "urgency", "description", "location"} <= set(body["errors"])
    future = (fake_clock.now + timedelta(hours=1)).isoformat()
    assert_error(file_report(client, world, occurred_at=future), 422, "occurred_at")
    assert_error(client.post(f"/api/v1/groups/{world.group_id}/reports", data="category=theft",
                             headers={**world.reporter.headers, "Content-Type": "text/plain"}), 415)
    assert_error(client.post(f"/api/v1/groups/{world.group_id}/reports", data="{not json",
                             headers={**world.reporter.headers, "Content-Type": "application/json"}), 400)
    assert_error(client.get(f"/api/v1/groups/{world.group_id}/reports?urgency=meh",
                            headers=world.reporter.headers), 422, "urgency")
    assert_error(client.get(f"/api/v1/groups/{world.group_id}/reports?from=2026-01-02T00:00:00Z"
                            "&to=2026-01-01T00:00:00Z", headers=world.reporter.headers), 422, "to")
    assert_error(client.get(f"/api/v1/groups/{world.group_id}/reports?to=9999-12-31T23:59:59-01:00",
                            headers=world.reporter.headers), 422, "to")
    assert_error(client.get("/api/v1/reports/999999", headers=world.reporter.headers), 404)
    assert_error(client.get(f"/api/v1/groups/{world.group_id}/reports"), 401)


@pytest.mark.parametrize("app_config", [{"REPORTS_PER_HOUR": 2}])
def test_rate_limit_per_member(client, world, fake_clock):  # noqa: F811
    assert file_report(client, world).status_code == 201
    fake_clock.advance(minutes=10)
    assert file_report(client, world).status_code == 201
    fake_clock.advance(minutes=10)
    refused = file_report(client, world)
    body = assert_error(refused, 429)
    assert "2 reports an hour" in body["message"]
    assert 2390 <= int(refused.headers["Retry-After"]) <= 2402
    # Another member is not limited by it, and after the hour the reporter may file again.
    assert file_report(client, world, actor=world.neighbour).status_code == 201
    fake_clock.advance(minutes=41)
    assert file_report(client, world).status_code == 201


def test_idempotency_key_returns_the_first_result(app, client, world):  # noqa: F811
    key = str(uuid.uuid4())
    headers = {**world.reporter.headers, "Idempotency-Key": key}
    url = f"/api/v1/groups/{world.group_id}/reports"
    first = client.post(url, json=report_body(urgency="urgent"), headers=headers)
    again = client.post(url, json=report_body(urgency="urgent"), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    with app.app_context():
        assert len(db.session.scalars(select(Report)).all()) == 1
    # The same key with another body is a client bug; another user's same key is their own.
    assert_error(client.post(url, json=report_body(description="Iets anders"), headers=headers), 422,
                 "Idempotency-Key")
    other = client.post(url, json=report_body(), headers={**world.neighbour.headers, "Idempotency-Key": key})
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    # A failed request does not use up its key.
    bad_key = {**world.reporter.headers, "Idempotency-Key": "retry-me"}
    assert_error(client.post(url, json=report_body(category="nope"), headers=bad_key), 422)
    assert client.post(url, json=report_body(category="nope"), headers=bad_key).status_code == 422
    assert_error(client.post(url, json=report_body(), headers={**world.reporter.headers,
                                                              "Idempotency-Key": "x" * 101}), 422, "Idempotency-Key")


def test_idempotency_keys_expire_by_sweep(app, client, world, fake_clock):  # noqa: F811
    headers = {**world.reporter.headers, "Idempotency-Key": "k1"}
    url = f"/api/v1/groups/{world.group_id}/reports"
    assert client.post(url, json=report_body(), headers=headers).status_code == 201
    fake_clock.advance(hours=25)
    with app.app_context():
        assert run_sweep()["expired_idempotency_keys"] == 1
    again = client.post(url, json=report_body(), headers=headers)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers


def test_lifecycle_close_reopen_withdraw(client, world):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    url = f"/api/v1/reports/{rid}"
    assert_error(client.post(url + "/reopen", headers=world.moderator.headers), 409)
    assert_error(client.post(url + "/withdraw", headers=world.neighbour.headers), 403)
    assert_error(client.post(url + "/close", headers=world.reporter.headers), 403)
    assert client.post(url + "/close", headers=world.moderator.headers).get_json()["status"] == "closed"
    assert_error(client.post(url + "/close", headers=world.moderator.headers), 409)
    assert_error(client.post(url + "/feedback", headers=world.professional.headers,
                             json={"kind": "update", "message": "Te laat"}), 409)
    assert_error(client.post(url + "/called-112", headers=world.neighbour.headers), 409)
    assert_error(client.post(url + "/reopen", headers=world.reporter.headers), 403)
    assert client.post(url + "/reopen", headers=world.moderator.headers).get_json()["status"] == "open"
    withdrawn = client.post(url + "/withdraw", headers=world.reporter.headers)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert_error(client.post(url + "/withdraw", headers=world.reporter.headers), 409)
    timeline = client.get(url, headers=world.neighbour.headers).get_json()["timeline"]
    assert [(e["from_status"], e["to_status"]) for e in timeline] == [
        (None, "open"), ("open", "closed"), ("closed", "open"), ("open", "withdrawn")]
    assert timeline[1]["actor"] == {"display_name": "Fatima", "role": "moderator"}
    assert timeline[3]["actor"] == {"display_name": "Sanne", "role": "reporter"}


def test_list_filters_newest_first_and_pagination(client, world, fake_clock):  # noqa: F811
    ids = []
    for category, urgency in [("theft", "normal"), ("burglary", "urgent"), ("theft", "urgent")]:
        ids.append(file_report(client, world, category=category, urgency=urgency).get_json()["id"])
        fake_clock.advance(minutes=5)
    url = f"/api/v1/groups/{world.group_id}/reports"
    listed = client.get(url, headers=world.neighbour.headers)
    assert [r["id"] for r in listed.get_json()] == ids[::-1]
    assert '"total": 3' in listed.headers["X-Pagination"]
    def ids_for(query):
        return [r["id"] for r in client.get(url + query, headers=world.neighbour.headers).get_json()]
    assert ids_for("?category=theft") == [ids[2], ids[0]]
    assert ids_for("?urgency=urgent&category=theft") == [ids[2]]
    assert ids_for("?status=open") == ids[::-1]
    assert ids_for("?status=closed") == []
    second = (fake_clock.now - timedelta(minutes=10)).isoformat().replace("+00:00", "Z")
    assert ids_for(f"?from={second}") == [ids[2], ids[1]]
    assert ids_for(f"?to={second}") == [ids[0]]
    assert ids_for("?page=2&page_size=2") == [ids[0]]
    assert listed.get_json()[0]["reporter"] == {"display_name": "Sanne", "role": "reporter"}


def _count_queries(app, client, url, headers) -> int:
    with counted_queries(app) as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(statements), len(response.get_json())


def test_lists_load_in_a_fixed_number_of_queries(app, client, world):  # noqa: F811
    reporters = [world.reporter, world.neighbour, world.neighbour2]
    for n in range(55):
        file_report(client, world, actor=reporters[n % 3], urgency="urgent" if n % 2 else "normal")
        if n % 10 == 9:
            # Stay under the hourly limit: move the earlier reports back an hour.
            with app.app_context():
                for report in db.session.scalars(select(Report)):
                    report.created_at -= timedelta(hours=2)
                db.session.commit()
    url = f"/api/v1/groups/{world.group_id}/reports"
    small = _count_queries(app, client, url + "?page_size=5", world.neighbour.headers)
    large = _count_queries(app, client, url + "?page_size=50", world.neighbour.headers)
    assert small[1] == 5 and large[1] == 50
    assert small[0] == large[0] <= 8
    inbox_small = _count_queries(app, client, "/api/v1/me/reports?page_size=5", world.professional.headers)
    inbox_large = _count_queries(app, client, "/api/v1/me/reports?page_size=50", world.professional.headers)
    assert inbox_small[1] == 5 and inbox_large[1] == 50 and inbox_small[0] == inbox_large[0]
    print("queries per list page:", small[0], "inbox:", inbox_small[0])


def test_professional_inbox_soonest_first(client, world, fake_clock):  # noqa: F811
    first = file_report(client, world).get_json()["id"]
    fake_clock.advance(minutes=1)
    second = file_report(client, world, urgency="urgent").get_json()["id"]
    fake_clock.advance(minutes=1)
    third = file_report(client, world).get_json()["id"]
    client.post(f"/api/v1/reports/{first}/feedback", headers=world.professional.headers,
                json={"kind": "acknowledgement", "message": "Gezien."})
    inbox = client.get("/api/v1/me/reports?due=soonest", headers=world.professional.headers).get_json()
    assert [r["id"] for r in inbox] == [second, third, first]
    newest = client.get("/api/v1/me/reports?due=newest", headers=world.professional.headers).get_json()
    assert [r["id"] for r in newest] == [third, second, first]
    assert client.get("/api/v1/me/reports", headers=world.unlinked_professional.headers).get_json() == []
    assert client.get("/api/v1/me/reports", headers=world.neighbour.headers).get_json() == []
    assert len(client.get("/api/v1/me/reports", headers=world.moderator.headers).get_json()) == 3
    assert_error(client.get("/api/v1/me/reports?due=later", headers=world.professional.headers), 422, "due")


# Access matrix --------------------------------------------------------------------------------------

ROLES = ["outsider", "pending", "neighbour", "moderator", "professional", "unlinked_professional", "admin"]


@pytest.mark.parametrize(
    ("role", "read", "file", "mark", "close"),
    [
        ("outsider", 404, 404, 404, 404),
        ("pending", 403, 403, 404, 404),
        ("neighbour", 200, 201, 201, 403),
        ("moderator", 200, 201, 201, 200),
        ("professional", 200, 403, 403, 403),
        ("unlinked_professional", 404, 404, 404, 404),
        ("admin", 200, 201, 201, 200),
    ],
)
def test_access_matrix(client, world, role, read, file, mark, close):  # noqa: F811
    actor = world.actor(role)
    rid = file_report(client, world).get_json()["id"]
    group_url = f"/api/v1/groups/{world.group_id}"
    assert client.get(f"{group_url}/reports", headers=actor.headers).status_code == read
    assert client.get(f"/api/v1/reports/{rid}", headers=actor.headers).status_code == (
        404 if read == 403 else read)
    assert client.get(f"{group_url}/stats/response-times", headers=actor.headers).status_code == read
    assert client.post(f"{group_url}/reports", json=report_body(), headers=actor.headers).status_code == file
    assert client.post(f"/api/v1/reports/{rid}/called-112", headers=actor.headers).status_code == mark
    assert client.post(f"/api/v1/reports/{rid}/close", headers=actor.headers).status_code == close
    response = client.post(f"/api/v1/reports/{rid}/reopen", headers=actor.headers)
    assert response.status_code == (200 if close == 200 else close)


def test_outsiders_cannot_tell_missing_from_hidden(client, world):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    hidden = assert_error(client.get(f"/api/v1/reports/{rid}", headers=world.outsider.headers), 404)
    missing = assert_error(client.get("/api/v1/reports/987654", headers=world.outsider.headers), 404)
    assert hidden["message"] == missing["message"]


def test_archived_group_is_read_only(app, client, world):  # noqa: F811
    from api.models import Group, GroupStatus

    rid = file_report(client, world).get_json()["id"]
    with app.app_context():
        db.session.get(Group, world.group_id).status = GroupStatus.archived
        db.session.commit()
    assert_error(file_report(client, world), 403)
    assert_error(client.post(f"/api/v1/reports/{rid}/feedback", headers=world.professional.headers,
                             json={"kind": "update", "message": "Nog bezig"}), 403)
    assert client.get(f"/api/v1/reports/{rid}", headers=world.neighbour.headers).status_code == 200
