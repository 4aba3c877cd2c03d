"""Sweep jobs for reports: escalation once per report, auto-close, anonymisation after retention."""

import pytest
from sqlalchemy import select

from api.extensions import db
from api.models import Called112Mark, CheckIn, Escalation, Event, Report, ReportFeedback, ReportTransition
from api.sweep import run_sweep
from tests.report_fixtures import fake_clock, file_report, world  # noqa: F401

VISIT = {"kind": "doorbell_visit", "households_reached": 3, "note": "Meneer De Boer op 9 was ongerust.",
         "outcome": "reassured"}


def test_escalation_is_recorded_once_with_who_to_tell(app, client, world, fake_clock):  # noqa: F811
    answered = file_report(client, world).get_json()["id"]
    late = file_report(client, world, actor=world.neighbour).get_json()["id"]
    withdrawn = file_report(client, world, actor=world.neighbour2).get_json()["id"]
    client.post(f"/api/v1/reports/{answered}/feedback", headers=world.professional.headers,
                json={"kind": "acknowledgement", "message": "Gezien."})
    client.post(f"/api/v1/reports/{withdrawn}/withdraw", headers=world.neighbour2.headers)
    with app.app_context():
        assert run_sweep()["escalate_overdue_reports"] == 0
    fake_clock.advance(minutes=11)
    with app.app_context():
        assert run_sweep()["escalate_overdue_reports"] == 1
        fake_clock.advance(minutes=30)
        assert run_sweep()["escalate_overdue_reports"] == 0
        escalation = db.session.scalars(select(Escalation)).one()
        assert escalation.report_id == late
        assert sorted(escalation.notify_user_ids) == sorted([world.moderator.id, world.professional.id])
        escalated = db.session.scalars(select(Event).where(Event.kind == "report.escalated")).all()
        assert [(e.subject_type, e.subject_id, e.data) for e in escalated] == [("report", late, {})]


def test_resolved_reports_close_after_a_week(app, client, world, fake_clock):  # noqa: F811
    rid = file_report(client, world).get_json()["id"]
    client.post(f"/api/v1/reports/{rid}/feedback", headers=world.professional.headers,
                json={"kind": "outcome", "message": "Opgelost."})
    fake_clock.advance(days=6)
    with app.app_context():
        assert run_sweep()["auto_close_resolved_reports"] == 0
    fake_clock.advance(days=2)
    with app.app_context():
        assert run_sweep()["auto_close_resolved_reports"] == 1
        assert run_sweep()["auto_close_resolved_reports"] == 0
    report = client.get(f"/api/v1/reports/{rid}", headers=world.neighbour.headers).get_json()
    assert report["status"] == "closed" and report["timeline"][-1]["actor"] is None


@pytest.mark.parametrize("app_config", [{"REPORT_RETENTION_DAYS": 28, "REPORT_AUTO_CLOSE_DAYS": 0}])
def test_closed_reports_are_anonymised_after_retention(app, client, world, fake_clock):  # noqa: F811
    rid = file_report(client, world, called_112=True).get_json()["id"]
    client.post(f"/api/v1/reports/{rid}/called-112", headers=world.neighbour.headers)
    client.post(f"/api/v1/reports/{rid}/check-ins", json=VISIT, headers=world.moderator.headers)
    fake_clock.advance(minutes=4)
    client.post(f"/api/v1/reports/{rid}/feedback", headers=world.professional.headers,
                json={"kind": "outcome", "message": "Meneer De Boer gesproken."})
    open_one = file_report(client, world, actor=world.neighbour).get_json()["id"]
    client.post(f"/api/v1/groups/{world.group_id}/check-ins", headers=world.moderator.headers,
                json={**VISIT, "kind": "street_walk"})
    client.post(f"/api/v1/reports/{rid}/close", headers=world.moderator.headers)
    before = client.get(f"/api/v1/groups/{world.group_id}/stats/response-times",
                        headers=world.neighbour.headers).get_json()

    fake_clock.advance(days=27)
    with app.app_context():
        assert run_sweep()["anonymise_old_reports"] == 0
    fake_clock.advance(days=2)
    with app.app_context():
        assert run_sweep()["anonymise_old_reports"] == 2  # the report and the routine round
        assert run_sweep()["anonymise_old_reports"] == 0
        report = db.session.get(Report, rid)
        assert report.author_id is None and report.description == "[verwijderd]"
        assert report.lat is None and report.lon is None and report.anonymised_at is not None
        assert report.called_112_count == 2 and report.first_feedback_at is not None
        assert db.session.scalars(select(Called112Mark).where(Called112Mark.report_id == rid)).all() == []
        assert {c.note for c in db.session.scalars(select(CheckIn))} == {"[verwijderd]"}
        assert {f.message for f in db.session.scalars(select(ReportFeedback))} == {"[verwijderd]"}
        assert world.reporter.id not in {t.actor_id for t in db.session.scalars(select(ReportTransition))}
        still_open = db.session.get(Report, open_one)
        assert still_open.description != "[verwijderd]" and still_open.author_id == world.neighbour.id

    shown = client.get(f"/api/v1/reports/{rid}", headers=world.moderator.headers).get_json()
    assert shown["reporter"] is None and shown["description"] == "[verwijderd]"
    assert shown["location"] == {"text": "Merelstraat 1-21", "lat": None, "lon": None}
    assert shown["timeline"][0]["actor"] is None
    assert "Boer" not in str(shown)
    after = client.get(f"/api/v1/groups/{world.group_id}/stats/response-times",
                       headers=world.neighbour.headers).get_json()
    assert after["median_minutes"] == before["median_minutes"] == 4.0
    assert_reopen = client.post(f"/api/v1/reports/{rid}/reopen", headers=world.moderator.headers)
    assert assert_reopen.status_code == 409
