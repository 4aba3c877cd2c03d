"""The full demo: a group with more than a year of history whose health view has something to say."""

from sqlalchemy import select

from api.demo import load_demo
from api.extensions import db
from api.models import Group, Report
from api.services import group_health, survey_results


def test_demo_group_has_a_year_of_history_in_its_health_view(app):
    with app.app_context():
        load_demo()
        group = db.session.scalar(select(Group).order_by(Group.id))
        health = group_health.group_health(group, "nl")
        got = {i["key"]: i for i in health["indicators"]}
        series = got["professional_feedback"]["value"]["by_month"]
        assert all(month["reports"] > 0 for month in series)
        # Professionals got faster over the year.
        early = [m["median_minutes"] for m in series[:3]]
        late = [m["median_minutes"] for m in series[-3:] if m["median_minutes"] is not None]
        assert min(early) > max(late)
        assert got["moderator_activity"]["value"]["check_ins"] > 5
        assert got["neighbour_contact"]["value"]["help_posts"] > 5
        assert got["participation"]["value"]["members"] > 40
        assert got["feeling_of_safety"]["value"]["direction"] == "improving"
        assert all(i["status"] is not None for i in health["indicators"])
        # Old closed reports were anonymised by the real retention job.
        oldest = db.session.scalar(select(Report).where(Report.group_id == group.id).order_by(Report.created_at))
        assert oldest.anonymised_at is not None and oldest.author_id is None
        results = survey_results.group_results(group)
        assert all(not cell["suppressed"] for cell in results["cells"])
