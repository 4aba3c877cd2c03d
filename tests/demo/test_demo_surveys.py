"""The demo's survey history: a year of waves that gives the results and health view something to show."""

from api.demo.surveys import load_surveys
from api.extensions import db
from api.models import Group, SurveyResponse
from api.services import group_health, survey_results
from tests.factories import make_group


def figures(app, make_user):
    moderator = make_user(name="Fatima")
    group_id = make_group(app, moderators=[moderator])
    with app.app_context():
        made = load_surveys()
        db.session.commit()
        group = db.session.get(Group, group_id)
        return made, survey_results.group_results(group), group_health.group_health(group, "nl")


def test_demo_surveys_fill_every_cell_and_show_change(app, make_user):
    made, results, health = figures(app, make_user)
    assert made > 100
    assert all(not cell["suppressed"] for cell in results["cells"])
    for change in results["paired_change"]:
        assert change["cohesion"]["mean"] > 0
    for did in results["difference_in_differences"]:
        assert not did["cohesion"]["suppressed"] and did["cohesion"]["estimate"] > 0
    safety = {i["key"]: i for i in health["indicators"]}["feeling_of_safety"]
    assert safety["value"]["direction"] == "improving"
    with app.app_context():
        assert db.session.query(SurveyResponse).filter(SurveyResponse.respondent_id.is_(None),
                                                       SurveyResponse.device_token_hash.is_(None)).count() == 0
