"""A resident's day in a real browser: join with an invite link, file an urgent report, see the professional's
answer, report without network (sent exactly once later), get a push notification, open the app offline.

Needs the groups and reports API (issues 3 and 4); skipped until `git merge main` brings them in.
"""

import re

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import deliver_push, shot, sign_in, sign_out, started, tap_notification

pytestmark = pytest.mark.browser
CODE = "BUURT-MEREL-2026"


@pytest.fixture(scope="module")
def world(live):
    """One group per module; each test arranges what it needs, so they also run apart (pytest -n)."""
    live.require("/api/v1/groups/<group_id>/join")
    from types import SimpleNamespace

    from api.extensions import db
    from api.models import Group, Invite, Role
    from tests.factories import make_group

    moderator = live.user(Role.resident, name="Fatima")
    professional = live.user(Role.professional, name="Wijkagent Jansen")
    member = live.user(Role.resident, name="Sanne")
    group_id = make_group(live.app, moderators=[SimpleNamespace(**moderator)], members=[SimpleNamespace(**member)],
                          professionals=[SimpleNamespace(**professional)])
    with live.app.app_context():
        db.session.get(Group, group_id).auto_approve = True
        db.session.add(Invite(group_id=group_id, code=CODE, max_uses=50, created_by_id=moderator["id"]))
        db.session.commit()
    world = SimpleNamespace(group_id=group_id, moderator=moderator, professional=professional, member=member)
    if all(rule in live.rules() for rule in REPORTS):
        world.report_id = live.api("POST", f"/groups/{group_id}/reports", member, {
            "category": "suspicious_situation", "urgency": "urgent", "called_112": True,
            "description": "Iemand kijkt bij ramen naar binnen.", "location": {"text": "Merelstraat 1-21"}})["id"]
    return world


def report_count(live, description):
    from api.models import Report

    return live.scalar(select(func.count()).select_from(Report).where(Report.description == description))


REPORTS = ("/api/v1/groups/<group_id>/reports", "/api/v1/reports/<report_id>/feedback")


def test_register_and_join_with_an_invite_link(page, live, world):
    newcomer = {"email": "noor@example.nl", "password": "rustige straat met veel bomen en een ladder", "name": "Noor"}
    page.goto(live.url(f"/groups/{world.group_id}/join?code={CODE}"))
    page.wait_for_url("**/register?next=*")
    shot(page, "02-register")
    page.get_by_label("Naam in de groep").fill(newcomer["name"])
    page.get_by_label("E-mailadres").fill(newcomer["email"])
    page.get_by_label("Wachtwoord").fill(newcomer["password"])
    page.get_by_role("button", name="Account maken").click()

    page.wait_for_url(f"**/groups/{world.group_id}/join?code={CODE}")
    assert page.get_by_label("Uitnodigingscode").input_value() == CODE
    page.get_by_label("Ik ben 18 jaar of ouder").check()
    page.get_by_label("Ik woon of werk in het gebied van deze groep").check()
    shot(page, "03-join")
    page.get_by_role("button", name="Lid worden").click()

    # The baseline survey is offered first, before the group's reports; it can wait.
    page.wait_for_url(f"**/groups/{world.group_id}/survey?start=1")
    page.get_by_role("link", name="Naar de groep").click()
    page.wait_for_url(f"**/groups/{world.group_id}")
    page.wait_for_selector("h2:has-text('Meldingen')")
    assert page.locator("h2:has-text('Buurthulp')").count() == 1
    page.get_by_role("link", name="Afspraken & contacten").click()
    page.wait_for_selector(".contacts")
    assert "0900-8844" in page.locator(".contacts").inner_text()
    shot(page, "04-charter-contacts")
    page.get_by_role("link", name="Mijn groepen").click()
    page.wait_for_selector("main .list .item")
    assert "Buurtpreventie Merelbuurt" in page.locator("main .list").inner_text()
    shot(page, "04-my-groups")
    page.get_by_role("link", name="Groep zoeken op postcode").click()
    page.get_by_label("Postcode").fill("3011 ab")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_selector("main .list .item")
    assert "Buurtpreventie Merelbuurt" in page.locator("main .list").inner_text()
    shot(page, "04-find-by-postcode")


def test_file_an_urgent_report_and_see_it(page, live, world):
    live.require(*REPORTS)
    sign_in(page, live, world.member)
    page.goto(live.url(f"/groups/{world.group_id}"))
    page.get_by_role("link", name="Melding maken").click()

    page.get_by_role("button", name="Ja, het is spoed").click()
    call = page.get_by_role("link", name="Bel 112")
    assert call.get_attribute("href") == "tel:112"
    assert page.locator(".alarm .contacts").inner_text().count("0900-8844") >= 1
    shot(page, "05-urgent-call-112")
    page.get_by_role("button", name="112 gebeld").click()

    page.get_by_label("Wat is er aan de hand?").select_option("suspicious_person")
    page.get_by_label("Beschrijving").fill("Iemand probeert deurklinken bij de achterpaden.")
    page.get_by_label("Plaats").fill("Merelstraat 1-21")
    assert page.get_by_label("Ik heb 112 gebeld").is_checked()
    shot(page, "06-report-form")
    page.get_by_role("button", name="Melding versturen").click()

    page.wait_for_url(re.compile(r".*/reports/\d+$"))
    page.wait_for_selector(".timeline-item")
    assert "Melding gedaan" in page.locator(".timeline").inner_text()
    assert "wacht op reactie — nog 10 min" in page.locator("#clock").inner_text()
    assert page.locator("#called-112-count").inner_text() == "1"
    shot(page, "07-report")

    page.goto(live.url(f"/groups/{world.group_id}"))
    page.wait_for_selector(".part-reports .item")
    assert "Verdacht persoon" in page.locator(".part-reports .list").inner_text()
    shot(page, "08-group-home")
    assert page.errors == []


def test_professional_acknowledgement_appears(page, live, world):
    live.require(*REPORTS)
    report_id = world.report_id
    live.api("POST", f"/reports/{report_id}/feedback", world.professional,
             {"kind": "acknowledgement", "message": "Collega's zijn onderweg."})
    sign_in(page, live, world.member)
    page.goto(live.url(f"/reports/{report_id}"))
    page.wait_for_selector(".timeline-feedback")
    timeline = page.locator(".timeline").inner_text()
    assert "Ontvangst bevestigd" in timeline and "Collega's zijn onderweg." in timeline
    assert "Wijkagent Jansen" in timeline
    assert page.locator("#clock").inner_text().startswith("reactie na ")


def test_report_made_offline_is_sent_exactly_once(page, live, world, browser):
    live.require(*REPORTS)
    description = "Offline gemeld: een auto rijdt steeds langzaam rond."
    sign_in(page, live, world.member)
    page.goto(live.url(f"/groups/{world.group_id}"))
    page.wait_for_selector(".part-reports")
    page.goto(live.url(f"/groups/{world.group_id}/reports/new"))
    page.get_by_role("button", name="Nee, geen spoed").click()
    page.get_by_label("Wat is er aan de hand?").select_option("suspicious_vehicle")
    page.get_by_label("Beschrijving").fill(description)
    page.get_by_label("Plaats").fill("Lijsterlaan 2-10")
    browser.set_offline(True)
    try:
        page.get_by_role("button", name="Melding versturen").click()
        page.wait_for_url(f"**/groups/{world.group_id}")
        pending = page.locator(".item-pending")
        pending.wait_for()
        assert "wacht op verbinding" in pending.inner_text()
        assert page.locator(".notice-stale").count() >= 1
        shot(page, "09-offline-outbox")
        assert report_count(live, description) == 0
    finally:
        browser.set_offline(False)
    # No tap needed: the app notices the network is back (a light probe while offline) and sends the outbox.
    page.locator(".item-pending").wait_for(state="detached", timeout=15000)
    assert report_count(live, description) == 1
    # Sending again (another tab, a retry after a lost answer) must not duplicate it.
    page.evaluate("import('/static/js/outbox.js').then(o => o.flush())")
    page.reload()
    page.wait_for_selector(".part-reports .item")
    assert report_count(live, description) == 1
    assert page.locator(".item-pending").count() == 0


def test_push_shows_notification_and_tap_opens_report(page, live, world, browser):
    live.require(*REPORTS)
    report_id = world.report_id
    sign_in(page, live, world.member)
    payload = {"type": "report.feedback", "title": "Je melding is gezien", "body": "Een professional heeft gereageerd.",
               "url": f"/reports/{report_id}", "tag": f"report-{report_id}", "report_id": report_id}
    notes = deliver_push(page, browser, live, payload)
    assert {"title": "Je melding is gezien", "body": "Een professional heeft gereageerd.", "tag": f"report-{report_id}",
            "url": f"/reports/{report_id}", "actions": []} in notes
    page.goto(live.url("/"))
    started(page)
    tap_notification(browser, f"report-{report_id}")
    page.wait_for_url(f"**/reports/{report_id}")
    page.wait_for_selector(".timeline")


def test_opens_offline_with_last_loaded_data(page, live, world, browser):
    live.require(*REPORTS)
    sign_in(page, live, world.member)
    page.goto(live.url(f"/groups/{world.group_id}"))
    page.wait_for_selector(".part-reports .item")
    page.goto(live.url("/"))
    page.wait_for_selector(".list .item")
    browser.set_offline(True)
    try:
        response = page.reload()
        assert response.from_service_worker
        page.wait_for_selector(".notice-stale")
        assert "Buurtpreventie Merelbuurt" in page.locator("main").inner_text()
        page.goto(live.url(f"/groups/{world.group_id}"))
        page.wait_for_selector(".part-reports .item")
        assert "Mogelijk verouderd" in page.locator("main").inner_text()
        assert page.locator("#banner").is_visible()
        shot(page, "10-offline-group")
    finally:
        browser.set_offline(False)
    sign_out(page, live)


def test_nothing_typed_is_lost_when_the_app_closes(page, live, world):
    live.require(*REPORTS)
    sign_in(page, live, world.member)
    page.goto(live.url(f"/groups/{world.group_id}/reports/new"))
    page.get_by_role("button", name="Nee, geen spoed").click()
    page.get_by_label("Beschrijving").fill("Half getypt: er staat een busje met draaiende motor")
    page.wait_for_timeout(400)  # drafts are saved a moment after typing stops
    page.close()
    tab = page.context.new_page()
    tab.goto(live.url(f"/groups/{world.group_id}/reports/new"))
    started(tab)
    description = tab.get_by_label("Beschrijving")
    description.wait_for()
    assert description.input_value() == "Half getypt: er staat een busje met draaiende motor"
    tab.close()


def test_answer_the_safety_survey_one_question_at_a_time(page, live, world):
    live.require("/api/v1/groups/<group_id>/surveys")
    from api.models import SurveyResponse

    sign_in(page, live, world.member)
    page.goto(live.url(f"/groups/{world.group_id}"))
    page.get_by_role("link", name="Vul de korte vragenlijst over veiligheid in (2 minuten).").click()
    page.get_by_role("button", name="Beginnen").click()
    page.get_by_label("Ja").check()
    shot(page, "21-survey-question")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Overslaan").click()  # "how often": skipped
    thanks = page.locator("text=Dank je wel! Je antwoorden zijn verstuurd.")
    for _ in range(20):
        progress = page.locator(".survey .hint").inner_text()
        page.locator("fieldset input[type=radio]").first.check()
        last = page.locator(".survey .btn-primary").inner_text() == "Versturen"
        page.locator(".survey .btn-primary").click()
        if last:
            break
        page.wait_for_selector(f".survey .hint:not(:text-is('{progress}'))")
    thanks.wait_for()
    with live.app.app_context():
        response = live.scalar(select(SurveyResponse).where(SurveyResponse.respondent_id == world.member["id"]))
        assert response.answers["feels_unsafe_ever"] == "yes" and "unsafe_frequency" not in response.answers
