"""Feedback: who may answer, what stops the clock, outcomes resolve, late answers and bad input."""

import pytest

from tests.helpers import assert_error
from tests.report_fixtures import fake_clock, file_report, world  # noqa: F401


def answer(client, actor, rid, kind="acknowledgement", message="Gezien, we kijken ernaar."):
    return client.post(f"/api/v1/reports/{rid}/feedback", json={"kind": kind, "message": message},
                       headers=actor.headers)


def test_only_a_professional_answer_stops_the_clock(client, world, fake_clock):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    fake_clock.advance(minutes=3)
    assert answer(client, world.moderator, rid, "acknowledgement").status_code == 201
    fake_clock.advance(minutes=3)
    assert answer(client, world.admin, rid, "update").status_code == 201
    report = client.get(f"/api/v1/reports/{rid}", headers=world.neighbour.headers).get_json()
    assert report["status"] == "open" and report["first_feedback_at"] is None and report["target_met"] is None
    fake_clock.advance(minutes=6)
    assert answer(client, world.professional, rid, "update").status_code == 201
    report = client.get(f"/api/v1/reports/{rid}", headers=world.neighbour.headers).get_json()
    assert report["status"] == "acknowledged" and report["response_minutes"] == 12.0
    # Late: the target was missed and the report stays marked overdue.
    assert report["feedback_overdue"] is True and report["target_met"] is False
    # A second professional answer does not move the first answer time.
    fake_clock.advance(minutes=5)
    answer(client, world.professional, rid, "update")
    again = client.get(f"/api/v1/reports/{rid}", headers=world.neighbour.headers).get_json()
    assert again["first_feedback_at"] == report["first_feedback_at"]


def test_outcome_resolves_even_from_a_moderator_and_list_is_oldest_first(client, world, fake_clock):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    answer(client, world.professional, rid, "acknowledgement")
    fake_clock.advance(minutes=1)
    response = answer(client, world.moderator, rid, "outcome", "Het was de glazenwasser.")
    assert response.status_code == 201 and response.get_json()["author"] == {"display_name": "Fatima",
                                                                              "role": "moderator"}
    report = client.get(f"/api/v1/reports/{rid}", headers=world.reporter.headers).get_json()
    assert report["status"] == "resolved" and report["resolved_at"] is not None
    listed = client.get(f"/api/v1/reports/{rid}/feedback", headers=world.neighbour.headers).get_json()
    assert [f["kind"] for f in listed] == ["acknowledgement", "outcome"]
    assert [f["professional"] for f in listed] == [True, False]


@pytest.mark.parametrize(
    ("role", "read", "post"),
    [
        ("outsider", 404, 404),
        ("pending", 404, 404),
        ("neighbour", 200, 403),
        ("reporter", 200, 403),
        ("moderator", 200, 201),
        ("professional", 200, 201),
        ("unlinked_professional", 404, 404),
        ("admin", 200, 201),
    ],
)
def test_feedback_access_matrix(client, world, role, read, post):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    actor = world.actor(role)
    assert client.get(f"/api/v1/reports/{rid}/feedback", headers=actor.headers).status_code == read
    assert answer(client, actor, rid).status_code == post


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "opinion", "message": "x"}, "kind"),
        ({"kind": "update", "message": ""}, "message"),
        ({"kind": "update", "message": "   "}, "message"),
        ({"kind": "update", "message": "x" * 2001}, "message"),
        ({"kind": "update"}, "message"),
        ({"message": "x"}, "kind"),
        ({"kind": "update", "message": "x", "by_professional": True}, "by_professional"),
    ],
)
def test_bad_feedback_input(client, world, body, field):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    response = client.post(f"/api/v1/reports/{rid}/feedback", json=body, headers=world.professional.headers)
    assert_error(response, 422, field)


def test_feedback_on_missing_report_and_without_token(client, world):  # noqa: F811
    assert_error(answer(client, world.professional, 424242), 404)
    assert_error(client.post("/api/v1/reports/1/feedback", json={"kind": "update", "message": "x"}), 401)
