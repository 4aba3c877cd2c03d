# ruff: noqa: F811 - pytest fixtures imported from push_support share their names with arguments
"""Push routes: the public key, my subscriptions, my notification preferences, delivery counts per report."""

import pytest

from api.models import Role
from tests.factories import make_group
from tests.helpers import assert_error
from tests.services.push_support import app_config, drain, fake_push, record  # noqa: F401

SUBSCRIPTIONS = "/api/v1/push/subscriptions"
PREFERENCES = "/api/v1/me/notification-preferences"


def test_public_key_is_the_instance_vapid_key(app, client):
    response = client.get("/api/v1/push/public-key")
    assert response.status_code == 200
    assert response.get_json() == {"public_key": app.config["VAPID_PUBLIC_KEY"]}


def test_subscribe_list_update_and_remove(client, fake_push, resident, make_user):
    browser = fake_push.browser("phone")
    created = client.post(SUBSCRIPTIONS, headers=resident.headers,
                          json=browser.subscription_json(device_label="Telefoon"))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["endpoint"] == browser.endpoint and body["device_label"] == "Telefoon"
    assert "keys" not in body and body["last_success_at"] is None

    again = client.post(SUBSCRIPTIONS, headers=resident.headers, json=browser.subscription_json(device_label="Mijn"))
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert again.get_json()["device_label"] == "Mijn"

    listed = client.get(SUBSCRIPTIONS, headers=resident.headers)
    assert [s["id"] for s in listed.get_json()] == [body["id"]]
    assert "X-Pagination" in listed.headers

    other = make_user()
    assert client.get(SUBSCRIPTIONS, headers=other.headers).get_json() == []
    assert_error(client.delete(f"{SUBSCRIPTIONS}/{body['id']}", headers=other.headers), 404)
    assert_error(client.delete(f"{SUBSCRIPTIONS}/999999", headers=resident.headers), 404)
    assert client.delete(f"{SUBSCRIPTIONS}/{body['id']}", headers=resident.headers).status_code == 204
    assert client.get(SUBSCRIPTIONS, headers=resident.headers).get_json() == []


def test_a_device_signed_in_as_someone_else_moves_to_them(client, fake_push, resident, make_user):
    browser = fake_push.browser("shared")
    client.post(SUBSCRIPTIONS, headers=resident.headers, json=browser.subscription_json())
    other = make_user()
    assert client.post(SUBSCRIPTIONS, headers=other.headers, json=browser.subscription_json()).status_code == 200
    assert client.get(SUBSCRIPTIONS, headers=resident.headers).get_json() == []
    assert len(client.get(SUBSCRIPTIONS, headers=other.headers).get_json()) == 1


@pytest.mark.parametrize("change, field", [
    ({"endpoint": "https://example.com/push/1"}, "endpoint"),
    ({"endpoint": "http://127.0.0.1:1/push/1"}, "endpoint"),
    ({"endpoint": "https://10.0.0.1/push"}, "endpoint"),
    ({"endpoint": "x" * 1001}, "endpoint"),
    ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys"),
    ({"keys": {"p256dh": None, "auth": "x"}}, "keys"),
    ({"keys": None}, "keys"),
    ({"device_label": "x" * 81}, "device_label"),
    ({"role": "admin"}, "role"),
])
def test_bad_subscriptions_are_refused_with_the_field(client, fake_push, resident, change, field):
    body = {**fake_push.browser("b").subscription_json(), **change}
    assert_error(client.post(SUBSCRIPTIONS, headers=resident.headers, json=body), 422, field)


def test_subscriptions_need_a_sign_in(client, fake_push):
    assert_error(client.get(SUBSCRIPTIONS), 401)
    assert_error(client.post(SUBSCRIPTIONS, json=fake_push.browser("b").subscription_json()), 401)
    assert_error(client.delete(f"{SUBSCRIPTIONS}/1"), 401)
    assert_error(client.get(PREFERENCES), 401)
    assert_error(client.put(PREFERENCES, json={}), 401)
    assert_error(client.get("/api/v1/reports/1/deliveries"), 401)


def test_notification_preferences_default_and_change(client, resident):
    defaults = client.get(PREFERENCES, headers=resident.headers).get_json()
    assert defaults == {
        "help": {"lend_request": "immediate", "lend_offer": "immediate", "event": "immediate",
                 "favour": "immediate", "other": "immediate"},
        "normal_reports": True, "quiet_hours_start": None, "quiet_hours_end": None,
        "timezone": "Europe/Amsterdam",
    }
    changed = client.put(PREFERENCES, headers=resident.headers, json={
        "help": {"event": "digest", "favour": "off"}, "quiet_hours_start": "22:30", "quiet_hours_end": "07:00",
    })
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["help"]["event"] == "digest" and body["help"]["favour"] == "off"
    assert body["help"]["lend_request"] == "immediate"
    assert (body["quiet_hours_start"], body["quiet_hours_end"]) == ("22:30", "07:00")

    later = client.put(PREFERENCES, headers=resident.headers, json={"normal_reports": False,
                                                                     "timezone": "Europe/London"}).get_json()
    assert later["normal_reports"] is False and later["help"]["event"] == "digest"
    assert later["quiet_hours_start"] == "22:30" and later["timezone"] == "Europe/London"
    cleared = client.put(PREFERENCES, headers=resident.headers,
                         json={"quiet_hours_start": None, "quiet_hours_end": None}).get_json()
    assert cleared["quiet_hours_start"] is None
    assert client.get(PREFERENCES, headers=resident.headers).get_json() == cleared


@pytest.mark.parametrize("body, field", [
    ({"help": {"event": "sometimes"}}, "help"),
    ({"help": {"party": "off"}}, "help"),
    ({"quiet_hours_start": "25:00", "quiet_hours_end": "07:00"}, "quiet_hours_start"),
    ({"quiet_hours_start": "22:00"}, "quiet_hours_end"),
    ({"quiet_hours_start": "07:00", "quiet_hours_end": "07:00"}, "quiet_hours_end"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"normal_reports": "maybe"}, "normal_reports"),
    ({"urgent_reports": False}, "urgent_reports"),
])
def test_bad_preferences_are_refused_with_the_field(client, resident, body, field):
    assert_error(client.put(PREFERENCES, headers=resident.headers, json=body), 422, field)


@pytest.fixture
def report_scene(app, fake_push, make_user):
    people = {
        "outsider": make_user(),
        "pending": make_user(),
        "member": make_user(),
        "moderator": make_user(),
        "linked professional": make_user(Role.professional),
        "unlinked professional": make_user(Role.professional),
        "admin": make_user(Role.admin),
    }
    group_id = make_group(app, moderators=[people["moderator"]], members=[people["member"]],
                          pending=[people["pending"]], professionals=[people["linked professional"]])
    client = app.test_client()
    for key in ("member", "moderator", "linked professional"):
        browser = fake_push.browser(key.replace(" ", "_"))
        client.post(SUBSCRIPTIONS, headers=people[key].headers, json=browser.subscription_json())
    fake_push.script("linked_professional", (500, {}))
    record(app, "report.created", group_id, actor=people["member"], subject_id=77, data={"urgency": "urgent"})
    drain(app)
    return people


def test_moderators_see_how_a_reports_notifications_fared(client, report_scene):
    response = client.get("/api/v1/reports/77/deliveries", headers=report_scene["moderator"].headers)
    assert response.status_code == 200
    assert response.get_json() == {"report_id": 77, "sent": 1, "pending": 1, "failed": 0, "gone": 0, "total": 2}


@pytest.mark.parametrize("who, status", [
    ("outsider", 404), ("pending", 404), ("member", 403), ("moderator", 200),
    ("linked professional", 403), ("unlinked professional", 404), ("admin", 200),
])
def test_delivery_counts_permissions(client, report_scene, who, status):
    response = client.get("/api/v1/reports/77/deliveries", headers=report_scene[who].headers)
    if status == 200:
        assert response.status_code == 200
    else:
        body = assert_error(response, status)
        if status == 404:
            assert body["message"] == "Report not found."


def test_delivery_counts_of_an_unknown_report_are_404(client, report_scene):
    body = assert_error(client.get("/api/v1/reports/78/deliveries", headers=report_scene["admin"].headers), 404)
    assert body["message"] == "Report not found."
