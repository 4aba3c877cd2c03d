"""Safety surveys through the API: waves, skipping, withdrawal, anonymous links and who sees results."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from api.extensions import db
from api.models import Event, Group, GroupStatus, Membership, Role, SurveyLink, SurveyResponse, SurveyWave, utcnow
from api.sweep import SWEEP_JOBS
from tests.factories import make_group
from tests.helpers import assert_error

ANSWERS = {
    "feels_unsafe_ever": "yes",
    "unsafe_frequency": "sometimes",
    "unsafe_neighbourhood_dark": "no",
    "cohesion_know_each_other": 4,
    "cohesion_pleasant": 4,
    "cohesion_close_knit": 3,
    "cohesion_at_home": 5,
    "cohesion_hardly_know": 2,
    "trust_report_answered": "probably",
    "crime_change": "same",
}


def joined_days_ago(app, group_id: int, user_id: int, days: int) -> None:
    with app.app_context():
        membership = db.session.scalar(
            select(Membership).where(Membership.group_id == group_id, Membership.user_id == user_id)
        )
        membership.approved_at = membership.joined_at = utcnow() - timedelta(days=days)
        db.session.commit()


def answer(client, actor, group_id, wave="baseline", answers=None, version=1):
    body = {"wave": wave, "questionnaire_version": version, "answers": ANSWERS if answers is None else answers}
    return client.post(f"/api/v1/groups/{group_id}/surveys", json=body, headers=actor.headers)


@pytest.fixture
def group(app, make_user):
    people = {
        "moderator": make_user(name="Fatima"),
        "member": make_user(name="Sanne"),
        "pending": make_user(name="Piet"),
        "outsider": make_user(name="Buiten"),
        "linked_professional": make_user(Role.professional),
        "unlinked_professional": make_user(Role.professional),
        "admin": make_user(Role.admin),
    }
    group_id = make_group(app, moderators=[people["moderator"]], members=[people["member"]],
                          pending=[people["pending"]], professionals=[people["linked_professional"]])
    return group_id, people


def test_questionnaire_is_versioned_data_in_two_languages(client):
    response = client.get("/api/v1/surveys/questionnaire")
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == 1
    ids = [q["id"] for q in body["questions"]]
    assert "cohesion_hardly_know" in ids and "feels_unsafe_ever" in ids
    for question in body["questions"]:
        assert question["text"]["nl"] and question["text"]["en"]
    reverse = [q["id"] for q in body["questions"] if q.get("cohesion") == "reverse"]
    assert reverse == ["cohesion_hardly_know"]


def test_resident_journey_baseline_follow_ups_and_withdrawal(app, client, group):
    group_id, people = group
    member = people["member"]
    waves = client.get(f"/api/v1/groups/{group_id}/surveys", headers=member.headers).get_json()
    assert [(w["wave"], w["follow_up_month"]) for w in waves["open"]] == [("baseline", None)]

    # Every question may be skipped.
    first = answer(client, member, group_id, answers={"feels_unsafe_ever": "no"})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["wave"] == "baseline"
    assert first.get_json()["answers"] == {"feels_unsafe_ever": "no"}
    assert client.get(f"/api/v1/groups/{group_id}/surveys", headers=member.headers).get_json()["open"] == []
    assert_error(answer(client, member, group_id), 409)

    # After three months the first follow-up opens, once.
    joined_days_ago(app, group_id, member.id, 100)
    waves = client.get(f"/api/v1/groups/{group_id}/surveys", headers=member.headers).get_json()
    assert [(w["wave"], w["follow_up_month"]) for w in waves["open"]] == [("follow_up", 3)]
    assert_error(answer(client, member, group_id, wave="baseline"), 409)
    follow_up = answer(client, member, group_id, wave="follow_up")
    assert follow_up.status_code == 201
    assert follow_up.get_json()["follow_up_month"] == 3
    assert_error(answer(client, member, group_id, wave="follow_up"), 409)

    # After a year the second.
    joined_days_ago(app, group_id, member.id, 370)
    waves = client.get(f"/api/v1/groups/{group_id}/surveys", headers=member.headers).get_json()
    assert [(w["wave"], w["follow_up_month"]) for w in waves["open"]] == [("follow_up", 12)]
    assert answer(client, member, group_id, wave="follow_up").get_json()["follow_up_month"] == 12

    # Withdrawal erases the answers of my own response only.
    response_id = first.get_json()["id"]
    assert_error(client.delete(f"/api/v1/surveys/responses/{response_id}",
                               headers=people["moderator"].headers), 404)
    assert client.delete(f"/api/v1/surveys/responses/{response_id}", headers=member.headers).status_code == 204
    assert client.delete(f"/api/v1/surveys/responses/{response_id}", headers=member.headers).status_code == 204
    with app.app_context():
        stored = db.session.get(SurveyResponse, response_id)
        assert stored.withdrawn and stored.answers == {}
    mine = client.get(f"/api/v1/groups/{group_id}/surveys", headers=member.headers).get_json()["responses"]
    assert [(r["wave"], r["withdrawn"]) for r in mine] == [("baseline", True), ("follow_up", False),
                                                           ("follow_up", False)]
    assert_error(client.delete("/api/v1/surveys/responses/99999", headers=member.headers), 404)


def test_baseline_after_the_first_week_is_refused(app, client, group):
    group_id, people = group
    joined_days_ago(app, group_id, people["member"].id, 8)
    body = assert_error(answer(client, people["member"], group_id), 409)
    assert "first week" in body["message"]
    # Between the rounds nothing is open either.
    joined_days_ago(app, group_id, people["member"].id, 200)
    assert_error(answer(client, people["member"], group_id, wave="follow_up"), 409)


@pytest.mark.parametrize("body, field", [
    ({"wave": "baseline", "questionnaire_version": 1, "answers": {"shoe_size": 42}}, "answers"),
    ({"wave": "baseline", "questionnaire_version": 1, "answers": {"feels_unsafe_ever": "maybe"}}, "answers"),
    ({"wave": "baseline", "questionnaire_version": 1, "answers": {"cohesion_pleasant": 6}}, "answers"),
    ({"wave": "baseline", "questionnaire_version": 1, "answers": {"cohesion_pleasant": True}}, "answers"),
    ({"wave": "baseline", "questionnaire_version": 1,
      "answers": {"feels_unsafe_ever": "no", "unsafe_frequency": "often"}}, "answers"),
    ({"wave": "baseline", "questionnaire_version": 7, "answers": {}}, "questionnaire_version"),
    ({"wave": "non_participant", "questionnaire_version": 1, "answers": {}}, "wave"),
    ({"wave": "baseline", "answers": {}}, "questionnaire_version"),
    ({"wave": "baseline", "questionnaire_version": 1, "answers": {}, "user_id": 1}, "user_id"),
])
def test_bad_answers_are_refused_with_field_errors(client, group, body, field):
    group_id, people = group
    response = client.post(f"/api/v1/groups/{group_id}/surveys", json=body, headers=people["member"].headers)
    assert_error(response, 422, field)


def test_bad_answer_names_the_question(client, group):
    group_id, people = group
    body = {"wave": "baseline", "questionnaire_version": 1, "answers": {"cohesion_pleasant": 9}}
    error = assert_error(client.post(f"/api/v1/groups/{group_id}/surveys", json=body,
                                     headers=people["member"].headers), 422, "answers")
    assert "cohesion_pleasant" in error["errors"]["answers"]


ANSWER_STATUS = {
    "outsider": 404, "pending": 403, "member": 201, "moderator": 201,
    "linked_professional": 403, "unlinked_professional": 404, "admin": 403,
}
RESULTS_STATUS = {
    "outsider": 404, "pending": 403, "member": 403, "moderator": 200,
    "linked_professional": 200, "unlinked_professional": 404, "admin": 200,
}
LINK_STATUS = {
    "outsider": 404, "pending": 403, "member": 403, "moderator": 201,
    "linked_professional": 403, "unlinked_professional": 404, "admin": 201,
}


@pytest.mark.parametrize("who", list(ANSWER_STATUS))
def test_access_matrix(client, group, who):
    group_id, people = group
    actor = people[who]
    assert answer(client, actor, group_id).status_code == ANSWER_STATUS[who]
    listed = client.get(f"/api/v1/groups/{group_id}/surveys", headers=actor.headers)
    expected_list = {201: 200, 403: 403, 404: 404}[ANSWER_STATUS[who]]
    if who == "admin":
        expected_list = 200  # admins may look (nothing is open to them)
    assert listed.status_code == expected_list
    if expected_list != 200:
        assert_error(listed, expected_list)
    results = client.get(f"/api/v1/groups/{group_id}/survey-results", headers=actor.headers)
    assert results.status_code == RESULTS_STATUS[who]
    link = client.post(f"/api/v1/groups/{group_id}/survey-links", json={}, headers=actor.headers)
    assert link.status_code == LINK_STATUS[who]


def test_everything_needs_sign_in_except_the_questionnaire_and_public_link(client, group):
    group_id, _ = group
    for method, url in [("get", f"/api/v1/groups/{group_id}/surveys"), ("post", f"/api/v1/groups/{group_id}/surveys"),
                        ("get", f"/api/v1/groups/{group_id}/survey-results"),
                        ("post", f"/api/v1/groups/{group_id}/survey-links"),
                        ("delete", "/api/v1/surveys/responses/1")]:
        assert_error(getattr(client, method)(url, json={} if method == "post" else None), 401)


def make_link(client, group_id, actor, **body):
    response = client.post(f"/api/v1/groups/{group_id}/survey-links", json=body, headers=actor.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_anonymous_link_works_without_account_and_stores_nothing_personal(app, client, group):
    group_id, people = group
    link = make_link(client, group_id, people["moderator"], expires_in_days=30)
    assert link["url"].endswith("/survey/" + link["token"])
    page = client.get(f"/api/v1/surveys/public/{link['token']}")
    assert page.status_code == 200
    assert page.get_json()["questionnaire"]["version"] == 1
    assert page.get_json()["group_name"] == "Buurtpreventie Merelbuurt"

    device = "d3v1ce-t0ken-" + "x" * 20
    body = {"device_token": device, "questionnaire_version": 1, "answers": ANSWERS}
    sent = client.post(f"/api/v1/surveys/public/{link['token']}", json=body,
                       environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert sent.status_code == 201
    assert sent.get_json()["received"] is True
    assert set(sent.get_json()) == {"received", "submitted_at"}
    # Same device, same link: refused.
    assert_error(client.post(f"/api/v1/surveys/public/{link['token']}", json=body), 409)
    # Another device may answer.
    other = dict(body, device_token="another-device-" + "y" * 20, answers={})
    assert client.post(f"/api/v1/surveys/public/{link['token']}", json=other).status_code == 201

    with app.app_context():
        stored = db.session.scalars(select(SurveyResponse).where(SurveyResponse.wave == SurveyWave.non_participant))
        stored = stored.all()
        assert len(stored) == 2
        for row in stored:
            assert row.respondent_id is None
            assert row.device_token_hash and device not in row.device_token_hash
            assert len(row.device_token_hash) == 64
        every_value = " ".join(str(v) for row in stored for v in vars(row).values())
        assert device not in every_value and "203.0.113.7" not in every_value
        # The link token itself is kept only as a hash.
        assert link["token"] not in " ".join(str(v) for v in vars(db.session.get(SurveyLink, link["id"])).values())


def test_anonymous_link_bad_input_and_unknown_tokens(app, client, group):
    group_id, people = group
    assert_error(client.get("/api/v1/surveys/public/nope"), 404)
    assert_error(client.post("/api/v1/surveys/public/nope", json={
        "device_token": "z" * 20, "questionnaire_version": 1, "answers": {}}), 404)
    link = make_link(client, group_id, people["admin"])
    url = f"/api/v1/surveys/public/{link['token']}"
    assert_error(client.post(url, json={"questionnaire_version": 1, "answers": {}}), 422, "device_token")
    assert_error(client.post(url, json={"device_token": "short", "questionnaire_version": 1, "answers": {}}),
                 422, "device_token")
    assert_error(client.post(url, json={"device_token": "z" * 20, "questionnaire_version": 1,
                                        "answers": {"crime_change": "exploded"}}), 422, "answers")
    assert_error(client.post(f"/api/v1/groups/{group_id}/survey-links", json={"expires_in_days": 0},
                             headers=people["admin"].headers), 422, "expires_in_days")
    # A link of an archived group is gone, and so is an expired one.
    with app.app_context():
        db.session.get(Group, group_id).status = GroupStatus.archived
        db.session.commit()
    assert_error(client.get(url), 404)
    with app.app_context():
        db.session.get(Group, group_id).status = GroupStatus.active
        db.session.commit()
    assert client.get(url).status_code == 200
    with app.app_context():
        row = db.session.get(SurveyLink, link["id"])
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert_error(client.get(url), 404)


@pytest.mark.parametrize("app_config", [{"SURVEY_PUBLIC_RATE_LIMIT": "3 per minute"}])
def test_anonymous_link_is_rate_limited(client, group):
    group_id, people = group
    link = make_link(client, group_id, people["moderator"])
    url = f"/api/v1/surveys/public/{link['token']}"
    codes = [client.post(url, json={"device_token": f"device-number-{i:04d}-abcdef", "questionnaire_version": 1,
                                    "answers": {}}).status_code for i in range(4)]
    assert codes[:3] == [201, 201, 201]
    assert_error(client.post(url, json={"device_token": "device-number-late-abcdef", "questionnaire_version": 1,
                                        "answers": {}}), 429)


def test_results_are_suppressed_below_ten(app, client, group, make_user):
    group_id, people = group
    body = client.get(f"/api/v1/groups/{group_id}/survey-results", headers=people["moderator"].headers).get_json()
    assert body["min_cell"] == 10
    assert len(body["cells"]) == 6
    for cell in body["cells"]:
        assert cell["suppressed"] is True and cell["label"] == "too few" and cell["respondents"] is None
    # Ten baseline answers open the baseline cell; the others stay suppressed.
    with app.app_context():
        for i in range(10):
            user = make_user(name=f"Buur {i}")
            db.session.add(Membership(group_id=group_id, user_id=user.id, status="active", approved_at=utcnow()))
            db.session.add(SurveyResponse(group_id=group_id, wave=SurveyWave.baseline, questionnaire_version=1,
                                          respondent_id=user.id,
                                          answers={"feels_unsafe_ever": "yes" if i < 3 else "no"}))
        db.session.commit()
    body = client.get(f"/api/v1/groups/{group_id}/survey-results", headers=people["admin"].headers).get_json()
    baseline = body["cells"][0]
    assert (baseline["respondent_type"], baseline["month"], baseline["respondents"]) == ("participant", 0, 10)
    assert baseline["unsafe"]["share"] == pytest.approx(0.3)
    assert baseline["cohesion"] == {"suppressed": True, "label": "too few", "n": None}
    assert all(c["suppressed"] for c in body["cells"][1:])


def test_sweep_records_follow_up_due_once_per_member_and_round(app, client, group):
    group_id, people = group
    joined_days_ago(app, group_id, people["member"].id, 95)
    with app.app_context():
        assert SWEEP_JOBS["survey_follow_ups_due"]() == 1
        db.session.commit()
        assert SWEEP_JOBS["survey_follow_ups_due"]() == 0
        events = db.session.scalars(select(Event).where(Event.kind == "survey.follow_up_due")).all()
        assert [(e.group_id, e.data) for e in events] == [
            (group_id, {"user_id": people["member"].id, "follow_up_month": 3})
        ]
    # Answered: no reminder next year for round 3, but round 12 gets its own.
    assert answer(client, people["member"], group_id, wave="follow_up").status_code == 201
    joined_days_ago(app, group_id, people["member"].id, 366)
    with app.app_context():
        assert SWEEP_JOBS["survey_follow_ups_due"]() == 1


def test_survey_tasks_in_me_tasks(client, group):
    group_id, people = group
    tasks = client.get("/api/v1/me/tasks", headers=people["member"].headers).get_json()
    surveys = [t for t in tasks if t["type"] == "survey"]
    assert [(t["group_id"], t["subject_type"], t["subject_id"]) for t in surveys] == [
        (group_id, "survey_wave", 0)
    ]
    assert surveys[0]["title"].startswith("Korte vragenlijst") and surveys[0]["due_at"]
    pending = client.get("/api/v1/me/tasks", headers=people["pending"].headers).get_json()
    assert [t for t in pending if t["type"] == "survey"] == []
    assert answer(client, people["member"], group_id).status_code == 201
    tasks = client.get("/api/v1/me/tasks", headers=people["member"].headers).get_json()
    assert [t for t in tasks if t["type"] == "survey"] == []
