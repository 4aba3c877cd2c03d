# ruff: noqa: F811 - pytest fixtures imported from their modules share their names with arguments
"""Push end to end through the real API: reports, feedback and help posts reach the right devices."""

from tests.report_fixtures import file_report, world  # noqa: F401
from tests.services.push_support import app_config, drain, fake_push  # noqa: F401

SUBSCRIPTIONS = "/api/v1/push/subscriptions"
PEOPLE = ("moderator", "reporter", "neighbour", "neighbour2", "pending", "professional", "unlinked_professional",
          "admin", "outsider")


def test_urgent_report_then_feedback_reach_the_right_devices(app, client, fake_push, world):
    for name in PEOPLE:
        browser = fake_push.browser(name)
        response = client.post(SUBSCRIPTIONS, headers=world.actor(name).headers, json=browser.subscription_json())
        assert response.status_code == 201

    description = "Twee mannen proberen een achterdeur open te breken."
    created = file_report(client, world, category="burglary", urgency="urgent", called_112=True,
                          description=description)
    assert created.status_code == 201, created.get_json()
    report_id = created.get_json()["id"]
    drain(app)

    urgent = [r for r in fake_push.delivered() if r.payload["type"] == "report.urgent"]
    assert {r.browser for r in urgent} == {"moderator", "neighbour", "neighbour2", "professional"}
    assert all(r.payload["report_id"] == report_id and r.headers["urgency"] == "high" for r in urgent)
    assert all(description not in str(r.payload) and "Sanne" not in str(r.payload) for r in fake_push.received)
    checkins = [r for r in fake_push.delivered() if r.payload["type"] == "checkin.task_created"]
    assert {r.browser for r in checkins} == {"moderator"}
    assert checkins[0].headers["urgency"] == "low"

    fake_push.received.clear()
    feedback = client.post(f"/api/v1/reports/{report_id}/feedback", headers=world.professional.headers,
                           json={"kind": "acknowledgement", "message": "Collega's zijn onderweg."})
    assert feedback.status_code == 201, feedback.get_json()
    drain(app)
    answered = [r for r in fake_push.delivered() if r.payload["type"] == "report.feedback"]
    assert {r.browser for r in answered} == {"moderator", "reporter", "neighbour", "neighbour2"}
    reporter = next(r for r in answered if r.browser == "reporter")
    assert reporter.headers["topic"] == f"report-{report_id}"
    assert reporter.payload["title"] == "Your report has been seen"  # the reporter reads English

    counts = client.get(f"/api/v1/reports/{report_id}/deliveries", headers=world.moderator.headers).get_json()
    assert counts["sent"] == counts["total"] >= 9 and counts["pending"] == counts["failed"] == 0


def test_help_post_through_the_api_follows_preferences(app, client, fake_push, make_user):
    from tests.help_support import ladder_request, make_neighbourhood, post_help

    hood = make_neighbourhood(app, make_user)
    for name in ("moderator", "alice", "bob", "carol"):
        browser = fake_push.browser(name)
        assert client.post(SUBSCRIPTIONS, headers=getattr(hood, name).headers,
                           json=browser.subscription_json()).status_code == 201
    client.put("/api/v1/me/notification-preferences", headers=hood.carol.headers,
               json={"help": {"lend_request": "off"}})

    post = post_help(client, hood.alice, hood.group_id, ladder_request())
    drain(app)
    assert {r.browser for r in fake_push.delivered()} == {"moderator", "bob"}
    for received in fake_push.delivered():
        assert received.payload["url"] == f"/help/{post['id']}" and received.headers["urgency"] == "low"
        assert "ladder" not in str(received.payload).lower() and "Alice" not in str(received.payload)
