"""The demo reports show an answered report within target and an escalated overdue one."""

from api.demo.reports import load_demo_reports
from api.extensions import db
from api.models import User
from tests.report_fixtures import world  # noqa: F401


def test_demo_reports(app, client, world):  # noqa: F811
    with app.app_context():
        people = {name: db.session.get(User, world.actor(name).id)
                  for name in ("reporter", "neighbour", "moderator", "professional")}
        answered, overdue = load_demo_reports(world.group_id, **people)
        ids = answered.id, overdue.id
        db.session.commit()
    first = client.get(f"/api/v1/reports/{ids[0]}", headers=world.neighbour.headers).get_json()
    assert first["target_met"] is True and first["response_minutes"] == 6.0 and first["status"] == "resolved"
    second = client.get(f"/api/v1/reports/{ids[1]}", headers=world.neighbour.headers).get_json()
    assert second["feedback_overdue"] is True and second["escalated"] is True
    assert {e["type"] for e in second["timeline"]} == {"status_changed", "check_in", "escalation"}
