"""Surveys and group health in a real browser: a member answers the baseline survey (skipping a question) and
withdraws it, a neighbour answers the anonymous link signed out (once per device), moderators see the health view
with its charts and their text alternatives, and the municipality downloads the CSV of every group.

Needs the surveys and group-health API (issue 8).
"""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import SCREENSHOTS, shot, sign_in, sign_out, started, wait_js

pytestmark = pytest.mark.browser
ROUTES = ("/api/v1/groups/<group_id>/surveys", "/api/v1/groups/<group_id>/health", "/api/v1/admin/groups/health")
COHESION = 5


@pytest.fixture(scope="module")
def world(live):
    live.require(*ROUTES)
    from api.demo.history import load_history
    from api.demo.surveys import load_surveys
    from api.extensions import db
    from api.models import Role, User
    from tests.factories import make_group

    moderator = live.user(Role.resident, name="Fatima")
    professional = live.user(Role.professional, name="Wijkagent Jansen")
    member = live.user(Role.resident, name="Sanne")
    neighbour = live.user(Role.resident, name="Kees")
    admin = live.user(Role.admin, name="Gemeente")
    group_id = make_group(live.app, moderators=[SimpleNamespace(**moderator)],
                          members=[SimpleNamespace(**member), SimpleNamespace(**neighbour)],
                          professionals=[SimpleNamespace(**professional)])
    with live.app.app_context():
        from api.models import Group

        group = db.session.get(Group, group_id)
        users = {k: db.session.get(User, v["id"]) for k, v in [("m", moderator), ("p", professional), ("n", neighbour)]}
        # A year of reports, check-ins, help and survey waves: the health view has something to show.
        load_history(group, moderators=[users["m"]], professional=users["p"], residents=[users["n"]])
        load_surveys(group)
        db.session.commit()
    return SimpleNamespace(group_id=group_id, moderator=moderator, member=member, neighbour=neighbour, admin=admin)


def my_response(live, user_id):
    from api.models import SurveyResponse

    with live.app.app_context():
        from api.extensions import db

        row = db.session.scalar(select(SurveyResponse).where(SurveyResponse.respondent_id == user_id))
        return None if row is None else {"answers": row.answers, "wave": row.wave.value}


def test_member_answers_the_baseline_survey_skipping_a_question(page, live, world):
    sign_in(page, live, world.member)
    # The open wave is a task (/me/tasks) shown on "Mijn groepen", and a prompt on the group's home.
    page.wait_for_selector(".survey-prompt")
    assert "Korte vragenlijst" in page.locator(".survey-prompt").first.inner_text()
    page.goto(live.url(f"/groups/{world.group_id}"))
    page.locator(".survey-prompt a").click()
    page.wait_for_url(f"**/groups/{world.group_id}/survey")
    page.get_by_role("button", name="Beginnen").click()

    assert "Vraag 1 van 9" in page.locator(".survey-progress").inner_text()
    page.get_by_label("Nee", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    # "How often" is asked only after a "yes" (then there are 10 questions); after "no" it stays out.
    assert "Vraag 2 van 9" in page.locator(".survey-progress").inner_text()
    assert "donker" in page.locator("legend").inner_text()
    page.get_by_role("button", name="Overslaan").click()
    for _ in range(COHESION):
        page.get_by_label("Mee eens", exact=True).check()
        page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Waarschijnlijk wel").check()
    shot(page, "20-survey-question")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Gelijk gebleven").check()
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_selector(".notice-ok")
    assert "Dank je wel" in page.locator(".notice-ok").inner_text()
    stored = my_response(live, world.member["id"])
    assert stored["wave"] == "baseline"
    assert "unsafe_neighbourhood_dark" not in stored["answers"] and "unsafe_frequency" not in stored["answers"]
    assert stored["answers"]["feels_unsafe_ever"] == "no" and stored["answers"]["cohesion_pleasant"] == 4
    assert stored["answers"]["crime_change"] == "same" and len(stored["answers"]) == 8

    # The answers can be withdrawn (GDPR): erased, and the wave is not offered again.
    page.reload()
    started(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Antwoorden intrekken").click()
    page.wait_for_selector(".js-survey-withdraw", state="detached")
    assert my_response(live, world.member["id"])["answers"] == {}
    assert "geen vragenlijst" in page.locator("main").inner_text()
    shot(page, "21-survey-withdrawn")
    assert page.errors == []


def skip_to_the_end(page):
    """Skip every remaining question; skipping the last one sends the answers."""
    while True:
        progress = page.locator(".survey-progress").inner_text()
        n, total = re.findall(r"\d+", progress)
        page.locator(".js-survey-skip").click()
        if n == total:
            return
        page.wait_for_selector(f".survey-progress:not(:text-is('{progress}'))")


OUTBOX = "import('/static/js/outbox.js').then(m => m.entries({kind: 'survey'})).then(es => es.length)"


def test_survey_sent_offline_arrives_exactly_once(page, live, world, browser):
    sign_in(page, live, world.neighbour)
    page.goto(live.url(f"/groups/{world.group_id}/survey"))
    page.get_by_role("button", name="Beginnen").click()
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    assert "Vraag 2 van 10" in page.locator(".survey-progress").inner_text()
    page.get_by_label("Soms").check()
    page.get_by_role("button", name="Volgende").click()
    browser.set_offline(True)
    try:
        skip_to_the_end(page)
        page.wait_for_selector("text=Wacht op verbinding")
        assert my_response(live, world.neighbour["id"]) is None
        assert page.evaluate(OUTBOX) == 1
    finally:
        browser.set_offline(False)
    page.evaluate("import('/static/js/outbox.js').then(m => m.flush())")
    wait_js(page, f"({OUTBOX}).then(n => n === 0)")
    expected = {"feels_unsafe_ever": "yes", "unsafe_frequency": "sometimes"}
    assert my_response(live, world.neighbour["id"])["answers"] == expected

    # The answer arrived but the device never heard (connection lost): the resend gets 409 and is dropped as sent.
    again = {"id": "again", "key": "k", "kind": "survey", "groupId": world.group_id,
             "path": f"/groups/{world.group_id}/surveys", "createdAt": 0,
             "body": {"wave": "baseline", "questionnaire_version": 1, "answers": {}}}
    page.evaluate("e => import('/static/js/idb.js').then(idb => idb.put('outbox', e.id, e))", again)
    assert page.evaluate("import('/static/js/outbox.js').then(m => m.flush())") == 1
    assert page.evaluate(OUTBOX) == 0
    assert my_response(live, world.neighbour["id"])["answers"] == expected
    assert page.errors == []


def answer_public(page):
    page.get_by_role("button", name="Beginnen").click()
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    skip_to_the_end(page)


def test_anonymous_link_works_signed_out_once_per_device(page, live, world):
    from api.models import SurveyResponse, SurveyWave

    link = live.api("POST", f"/groups/{world.group_id}/survey-links", world.moderator, {})
    if page.evaluate("document.cookie.includes('csrf_refresh_token')"):
        sign_out(page, live)
    page.goto(live.url(f"/survey/{link['token']}"))
    started(page)
    assert page.url.endswith(f"/survey/{link['token']}"), "a public link never asks to sign in"
    assert "zonder account" in page.locator("main").inner_text()
    shot(page, "22-public-survey")
    answer_public(page)
    page.wait_for_selector(".notice-ok")

    def count():
        return live.scalar(select(func.count()).select_from(SurveyResponse).where(
            SurveyResponse.link_id == link["id"], SurveyResponse.wave == SurveyWave.non_participant,
            SurveyResponse.respondent_id.is_(None)))

    assert count() == 1
    page.reload()
    started(page)
    answer_public(page)
    page.wait_for_selector(".notice-error")
    assert "al ingevuld" in page.locator(".notice-error").inner_text()
    shot(page, "23-public-survey-second-time")
    assert count() == 1
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("h1:has-text('Safety and contact in your neighbourhood')")
    assert "no account needed" in page.locator("main").inner_text()
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_selector("h1:has-text('Veiligheid en contact')")
    assert page.errors == []


def test_health_view_shows_indicators_and_charts(page, live, world):
    sign_in(page, live, world.moderator)
    page.goto(live.url(f"/groups/{world.group_id}"))
    page.get_by_role("link", name="Gezondheid van de groep").click()
    page.wait_for_selector(".indicator")
    assert page.locator(".indicator").count() == 6
    statuses = page.locator(".indicator .status").all_inner_texts()
    assert all(any(word in s for word in ("goed", "aandacht", "probleem", "te weinig gegevens")) for s in statuses)
    assert page.locator(".advice").count() == 6
    wait_js(page, "document.querySelectorAll('.chart canvas').length >= 3")
    assert page.locator("table.data").count() == 2
    table = page.locator("table.data").nth(1).inner_text()
    assert "deelnemers" in table and "niet-deelnemers" in table
    first_row = page.locator("table.data").first.locator("tbody tr").count()
    assert first_row == 12
    page.get_by_role("button", name="Link maken").click()
    url = page.get_by_label(re.compile("Link, geldig tot")).input_value()
    assert re.search(r"/survey/[A-Za-z0-9_-]{20,}$", url)
    shot(page, "24-group-health")
    page.locator(".indicators").screenshot(path=str(SCREENSHOTS / "24-group-health-indicators.png"))
    for i, chart in enumerate(page.locator("main section.card").all()):
        chart.screenshot(path=str(SCREENSHOTS / f"24-group-health-chart-{i + 1}.png"))
    assert page.errors == []


def test_admin_overview_and_csv(page, live, world):
    sign_in(page, live, world.admin)
    page.get_by_role("link", name="Gezondheid").click()
    page.wait_for_url("**/admin/health")
    page.wait_for_selector("main .list .item")
    assert page.locator("main .list > .item").count() >= 1
    shot(page, "25-admin-health")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV (Excel)").click()
    download = info.value
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and b";" in content.splitlines()[0]
    assert page.errors == []
