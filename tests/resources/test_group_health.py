"""Group health and the municipality's overview, checked against a small history computed by hand."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from api.extensions import db
from api.models import (
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    Group,
    HelpKind,
    HelpPost,
    HelpReply,
    Membership,
    MembershipStatus,
    Report,
    ReportCategory,
    ReportStatus,
    Role,
    SurveyResponse,
    SurveyWave,
    Urgency,
    User,
    utcnow,
)
from api.services import health_export
from tests.factories import make_group
from tests.helpers import assert_error, counted_queries


@pytest.fixture
def people(make_user):
    return {
        "moderator": make_user(name="Fatima"),
        "member": make_user(name="Sanne"),
        "member2": make_user(name="Ahmed"),
        "member3": make_user(name="Joke"),
        "leaver": make_user(name="Kees"),
        "pending": make_user(name="Piet"),
        "outsider": make_user(name="Buiten"),
        "linked_professional": make_user(Role.professional),
        "unlinked_professional": make_user(Role.professional),
        "admin": make_user(Role.admin, locale="en"),
    }


def add_help(group_id, kind: HelpKind, *, days_ago: float) -> int:
    created = utcnow() - timedelta(days=days_ago)
    extra = {"starts_at": created + timedelta(hours=20), "ends_at": created + timedelta(hours=23)} \
        if kind == HelpKind.event else {}
    post = HelpPost(group_id=group_id, kind=kind, title="Straatfeest", created_at=created, updated_at=created, **extra)
    db.session.add(post)
    db.session.flush()
    return post.id


def add_report(group_id, *, days_ago: float, answered_after: float | None = None,
               status: ReportStatus = ReportStatus.open, closed_after: float | None = None) -> int:
    filed = utcnow() - timedelta(days=days_ago)
    report = Report(group_id=group_id, category=ReportCategory.theft, urgency=Urgency.normal,
                    description="Fiets weg uit de portiek.", location_text="Merelstraat 1-21", occurred_at=filed,
                    created_at=filed, feedback_due_at=filed + timedelta(minutes=10), status=status,
                    first_feedback_at=filed + timedelta(minutes=answered_after) if answered_after else None,
                    closed_at=filed + timedelta(minutes=closed_after) if closed_after else None)
    db.session.add(report)
    db.session.flush()
    return report.id


def add_check_in(group_id, *, days_ago: float, report_id: int | None = None) -> None:
    db.session.add(CheckIn(group_id=group_id, report_id=report_id, kind=CheckInKind.street_walk,
                           outcome=CheckInOutcome.nothing_found, occurred_at=utcnow() - timedelta(days=days_ago)))


def build_history(app, group_id, people):
    """Reports (target 10 minutes), the clock as in the reports issue:
        1: 10 days ago, first professional answer after 4 min                → target met
        2: 20 days ago, answered after 8 min                                  → met
        3: 30 days ago, answered after 25 min                                 → missed (overdue)
        4: 40 days ago, never answered, still open                            → missed, still waiting
        5: 50 days ago, withdrawn                                             → no clock, left out
        7: 60 days ago, closed after 5 min without an answer                  → clock stopped, not judged
        6: 200 days ago, answered after 60 min                                → outside the 90 days
    Check-ins 9 days ago (after report 1), 19 days ago (after report 2), 45 days ago (a routine round).
    Help: 4 posts (2 of them events, both held) and 6 replies in the last 90 days, one post before.
    """
    with app.app_context():
        r1 = add_report(group_id, days_ago=10, answered_after=4, status=ReportStatus.acknowledged)
        r2 = add_report(group_id, days_ago=20, answered_after=8, status=ReportStatus.resolved)
        add_report(group_id, days_ago=30, answered_after=25, status=ReportStatus.acknowledged)
        add_report(group_id, days_ago=40)
        add_report(group_id, days_ago=50, status=ReportStatus.withdrawn)
        add_report(group_id, days_ago=60, status=ReportStatus.closed, closed_after=5)
        add_report(group_id, days_ago=200, answered_after=60, status=ReportStatus.closed, closed_after=600)
        add_check_in(group_id, days_ago=9, report_id=r1)
        add_check_in(group_id, days_ago=19, report_id=r2)
        add_check_in(group_id, days_ago=45)
        kinds = [HelpKind.lend_request, HelpKind.lend_offer, HelpKind.event, HelpKind.event]
        posts = [add_help(group_id, kind, days_ago=5 + i * 10) for i, kind in enumerate(kinds)]
        for i in range(6):
            replied = utcnow() - timedelta(days=6 + i * 5)
            db.session.add(HelpReply(post_id=posts[-1], body="Ik kom!", created_at=replied))
        # Older than 90 days: not counted.
        add_help(group_id, HelpKind.favour, days_ago=120)
        # Participation: four active members; two opened the app in the last 30 days; one joined and one
        # left in the last 30 days.
        now = utcnow()
        seen = {"moderator": now - timedelta(days=1), "member": now - timedelta(days=5),
                "member2": now - timedelta(days=40), "member3": None}
        for key, last_seen in seen.items():
            db.session.get(User, people[key].id).last_seen_at = last_seen
        for membership in db.session.scalars(select(Membership).where(Membership.group_id == group_id)):
            membership.approved_at = now - timedelta(days=3 if membership.user_id == people["member3"].id else 100)
        db.session.add(Membership(group_id=group_id, user_id=people["leaver"].id, status=MembershipStatus.left,
                                  approved_at=now - timedelta(days=200), ended_at=now - timedelta(days=10)))
        db.session.commit()


@pytest.fixture
def group_id(app, people):
    gid = make_group(app, moderators=[people["moderator"]],
                     members=[people["member"], people["member2"], people["member3"]],
                     pending=[people["pending"]], professionals=[people["linked_professional"]])
    build_history(app, gid, people)
    return gid


def indicators(body):
    return {i["key"]: i for i in body["indicators"]}


def test_health_figures_match_the_hand_computed_history(client, group_id, people):
    response = client.get(f"/api/v1/groups/{group_id}/health", headers=people["moderator"].headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    got = indicators(body)

    assert got["charter"]["status"] == "good"
    assert got["charter"]["value"]["complete"] is True and got["charter"]["value"]["missing"] == []

    # 5 reports in 90 days (1, 2, 3, 4, 7; not the withdrawn one); 3 check-ins, 2 of them after a report
    # → 2 / 5 = 0.4 per report (below 0.5 → attention); the last one 9 days ago.
    moderators = got["moderator_activity"]
    assert moderators["value"]["reports"] == 5
    assert moderators["value"]["check_ins"] == 3
    assert moderators["value"]["check_ins_after_reports"] == 2
    assert moderators["value"]["check_ins_per_report"] == 0.4
    assert moderators["value"]["days_since_last_check_in"] == 9
    assert moderators["status"] == "attention"

    # Answered: 4, 8, 25 minutes → median 8; p90 nearest rank ⌈3 × 0.9⌉ = 3rd → 25.
    # Target decided for 1 (met), 2 (met), 3 (missed), 4 (missed); 7 stopped before its due time → 2 / 4 = 0.5.
    # Overdue (target missed): 3 and 4; still waiting past due: 4 → attention.
    feedback = got["professional_feedback"]
    assert feedback["value"]["reports"] == 5
    assert feedback["value"]["answered"] == 3
    assert feedback["value"]["median_minutes"] == 8.0
    assert feedback["value"]["p90_minutes"] == 25.0
    assert feedback["value"]["within_target_share"] == 0.5
    assert feedback["value"]["overdue"] == 2
    assert feedback["value"]["waiting_overdue"] == 1
    assert feedback["value"]["target_minutes"] == 10
    assert feedback["status"] == "attention"
    series = feedback["value"]["by_month"]
    assert len(series) == 12
    assert sum(m["reports"] for m in series) == 6  # 1-4, 6 and 7 (the withdrawn one has no clock)
    month_of_six = [m for m in series if m["median_minutes"] == 60.0]
    assert len(month_of_six) == 1 and month_of_six[0]["within_target_share"] == 0.0

    # 4 help posts + 6 replies = 10 of 15 activities (with the 5 reports) → 0.667; per month over 3 months;
    # both street parties have been held.
    contact = got["neighbour_contact"]
    assert contact["value"]["help_posts"] == 4 and contact["value"]["replies"] == 6
    assert contact["value"]["events"] == 2
    assert contact["value"]["help_posts_per_month"] == 1.3
    assert contact["value"]["replies_per_month"] == 2.0
    assert contact["value"]["events_per_month"] == 0.7
    assert contact["value"]["share_of_activity"] == 0.667
    assert contact["status"] == "good"

    # 4 active members, 2 seen in 30 days → 0.5; 1 join, 1 leave.
    participation = got["participation"]
    assert participation["value"] == {"members": 4, "joins_last_30_days": 1, "leaves_last_30_days": 1,
                                      "active_last_30_days": 2, "active_share": 0.5}
    assert participation["status"] == "good"

    safety = got["feeling_of_safety"]
    assert safety["status"] is None and safety["value"]["direction"] is None
    assert "enquête" in safety["advice"]  # the moderator reads Dutch

    assert body["status"] == "attention"
    for indicator in body["indicators"]:
        assert indicator["advice"]


def test_charter_past_review_is_a_problem(app, client, group_id, people):
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.review_at = utcnow() - timedelta(days=1)
        group.house_rules = ""
        db.session.commit()
    body = client.get(f"/api/v1/groups/{group_id}/health", headers=people["admin"].headers).get_json()
    charter = indicators(body)["charter"]
    assert charter["status"] == "problem"
    assert charter["value"]["past_review"] is True and charter["value"]["missing"] == ["house_rules"]
    assert body["status"] == "problem"
    assert "review" in charter["advice"]  # the admin reads English


def test_feeling_of_safety_uses_the_paired_survey_change(app, client, group_id, people, make_user):
    """Ten residents: baseline cohesion 5.0 for all (every statement 3 → items 2 → 2 × 2.5 = 5.0).
    Follow-up: five say 5 to "people know each other" (items 4,2,2,2,2 → 2.4 × 2.5 = 6.0), five say 4
    (3,2,2,2,2 → 2.2 × 2.5 = 5.5). Differences 1.0 ×5 and 0.5 ×5 → mean 0.75; s² = 10 × 0.25² / 9 = 0.069444;
    SE = 0.083333; half = 2.262157 × 0.083333 = 0.188513 → CI 0.56 … 0.94 > 0 → improving.
    Unsafe: all 10 at baseline, 3 at follow-up → change -0.7; latest cell: cohesion 5.75, unsafe 0.3.
    """
    neutral = {f"cohesion_{k}": 3 for k in ("know_each_other", "pleasant", "close_knit", "at_home", "hardly_know")}
    with app.app_context():
        for i in range(10):
            user = make_user(name=f"Buur {i}")
            db.session.add(SurveyResponse(group_id=group_id, wave=SurveyWave.baseline, questionnaire_version=1,
                                          respondent_id=user.id, answers={**neutral, "feels_unsafe_ever": "yes"}))
            later = {**neutral, "cohesion_know_each_other": 5 if i < 5 else 4,
                     "feels_unsafe_ever": "yes" if i < 3 else "no"}
            db.session.add(SurveyResponse(group_id=group_id, wave=SurveyWave.follow_up, follow_up_month=3,
                                          questionnaire_version=1, respondent_id=user.id, answers=later))
        db.session.commit()
    body = client.get(f"/api/v1/groups/{group_id}/health", headers=people["linked_professional"].headers).get_json()
    safety = indicators(body)["feeling_of_safety"]
    assert safety["status"] == "good"
    assert safety["value"]["direction"] == "improving"
    assert safety["value"]["follow_up_month"] == 3
    assert safety["value"]["cohesion_change"] == 0.75
    assert safety["value"]["cohesion_change_ci"] == [0.56, 0.94]
    assert safety["value"]["unsafe_change"] == -0.7
    assert safety["value"]["cohesion_mean"] == 5.75
    assert safety["value"]["unsafe_share"] == 0.3


HEALTH_STATUS = {"outsider": 404, "pending": 403, "member": 403, "moderator": 200,
                 "linked_professional": 200, "unlinked_professional": 404, "admin": 200}


@pytest.mark.parametrize("who", list(HEALTH_STATUS))
def test_access_matrix(client, group_id, people, who):
    actor = people[who]
    response = client.get(f"/api/v1/groups/{group_id}/health", headers=actor.headers)
    assert response.status_code == HEALTH_STATUS[who]
    if HEALTH_STATUS[who] != 200:
        assert_error(response, HEALTH_STATUS[who])
    overview = client.get("/api/v1/admin/groups/health", headers=actor.headers)
    if who == "admin":
        assert overview.status_code == 200
    else:
        assert_error(overview, 403)


def test_sign_in_required_and_unknown_group(client, people):
    assert_error(client.get("/api/v1/groups/1/health"), 401)
    assert_error(client.get("/api/v1/admin/groups/health"), 401)
    assert_error(client.get("/api/v1/groups/999/health", headers=people["admin"].headers), 404)


@pytest.mark.parametrize("query, field", [
    ("status=great", "status"), ("area=abc", "area"), ("format=xlsx", "format"), ("sep=|", "sep"),
    ("group_status=gone", "group_status"),
])
def test_overview_bad_query(client, people, query, field):
    assert_error(client.get(f"/api/v1/admin/groups/health?{query}", headers=people["admin"].headers), 422, field)


@pytest.fixture
def second_group(app, people):
    return make_group(app, moderators=[people["member"]], name="Buurtpreventie Ébène", postcodes=("2511",))


def test_overview_lists_every_group_and_filters(client, group_id, second_group, people):
    headers = people["admin"].headers
    every = client.get("/api/v1/admin/groups/health", headers=headers).get_json()
    assert [g["group_id"] for g in every] == [group_id, second_group]
    by_status = {g["group_id"]: g["status"] for g in every}
    assert by_status[group_id] == "attention"
    # The new group has no reports, no help and one member who opened the app just now.
    second_status = by_status[second_group]
    filtered = client.get(f"/api/v1/admin/groups/health?status={second_status}", headers=headers).get_json()
    assert second_group in [g["group_id"] for g in filtered]
    assert [g["group_id"] for g in client.get("/api/v1/admin/groups/health?area=3011", headers=headers).get_json()] \
        == [group_id]
    assert [g["group_id"] for g in client.get("/api/v1/admin/groups/health?area=3011ab",
                                              headers=headers).get_json()] == [group_id]
    assert [g["group_id"] for g in client.get("/api/v1/admin/groups/health?area=3012ZZ",
                                              headers=headers).get_json()] == [group_id]
    assert [g["group_id"] for g in client.get("/api/v1/admin/groups/health?area=3013",
                                              headers=headers).get_json()] == []
    assert [g["group_id"] for g in client.get("/api/v1/admin/groups/health?area=3011AB",
                                              headers=headers).get_json()] == [group_id]
    assert [g["group_id"] for g in client.get("/api/v1/admin/groups/health?area=25",
                                              headers=headers).get_json()] == [second_group]
    assert client.get("/api/v1/admin/groups/health?group_status=paused", headers=headers).get_json() == []


@pytest.mark.parametrize("sep", [",", ";"])
def test_overview_csv_opens_cleanly(client, group_id, second_group, people, sep):
    response = client.get(f"/api/v1/admin/groups/health?format=csv&sep={sep}", headers=people["admin"].headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".csv" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    assert rows[0] == health_export.header()
    assert len(rows) == 3 and all(len(r) == len(rows[0]) for r in rows)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["group_id"] == str(group_id)
    assert first["professional_feedback_median_minutes"] == ("8" if sep == "," else "8")
    assert first["professional_feedback_p90_minutes"] == "25"
    assert first["moderator_activity_check_ins_per_report"] == ("0.4" if sep == "," else "0,4")
    assert first["neighbour_contact_share_of_activity"] == ("0.667" if sep == "," else "0,667")
    assert first["charter_complete"] == "yes"
    assert first["postcodes"] == "3011AB 3012"
    assert dict(zip(rows[0], rows[2], strict=True))["group_name"] == "Buurtpreventie Ébène"


def count_queries(app, fn) -> int:
    with counted_queries(app) as statements:
        fn()
    return len(statements)


def test_health_takes_a_fixed_number_of_queries(app, client, group_id, people, make_user):
    url = f"/api/v1/groups/{group_id}/health"
    first = count_queries(app, lambda: client.get(url, headers=people["admin"].headers))
    with app.app_context():
        for days in range(1, 60, 3):
            rid = add_report(group_id, days_ago=days, answered_after=7, status=ReportStatus.acknowledged)
            add_check_in(group_id, days_ago=days, report_id=rid)
            add_help(group_id, HelpKind.event, days_ago=days + 2)
        db.session.commit()
    for i in range(5):
        user = make_user(name=f"Extra {i}")
        with app.app_context():
            db.session.add(Membership(group_id=group_id, user_id=user.id, status=MembershipStatus.active,
                                      approved_at=utcnow()))
            db.session.commit()
    assert count_queries(app, lambda: client.get(url, headers=people["admin"].headers)) == first
