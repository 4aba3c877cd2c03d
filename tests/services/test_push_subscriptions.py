"""The endpoint allowlist and key checks: our server POSTs to whatever is stored, so little is accepted."""

import pytest

from api.services import push_subscriptions
from api.services.errors import Invalid
from tests.push_fake import Browser


@pytest.fixture
def app_config():
    return {"PUSH_ENDPOINT_ALLOWLIST": ["http://127.0.0.1:9999", "https://*.push.example.org"]}


ACCEPTED = [
    "https://fcm.googleapis.com/fcm/send/abc:APA91b",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
    "https://web.push.apple.com/QGuQyavXutnMH",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    "https://FCM.googleapis.com:443/fcm/send/x",
    "http://127.0.0.1:9999/push/abc",
    "https://eu.push.example.org/x",
]
REFUSED = [
    "http://fcm.googleapis.com/fcm/send/abc",  # not https
    "https://fcm.googleapis.com:8443/fcm/send/abc",  # odd port
    "https://fcm.googleapis.com.evil.example/x",
    "https://evilfcm.googleapis.com/x",
    "https://push.services.mozilla.com.attacker.net/x",
    "https://user:pw@fcm.googleapis.com/x",
    "https://fcm.googleapis.com/x#frag",
    "https://127.0.0.1/push",
    "https://localhost/push",
    "http://127.0.0.1:8000/api/v1/admin",  # loopback, other port than the configured one
    "http://127.0.0.1/push",
    "https://[::1]/push",
    "https://10.0.0.5/push",
    "https://192.168.1.1/push",
    "https://169.254.169.254/latest/meta-data",
    "https://2130706433/push",  # 127.0.0.1 as a number
    "https://example.com/push",
    "file:///etc/passwd",
    "ftp://fcm.googleapis.com/x",
    "javascript:alert(1)",
    "fcm.googleapis.com/x",
    "https://",
    "https://fcm.googleapis.com:notaport/x",
    "https://push.example.org/x",  # the wildcard needs a sub-domain
]


@pytest.mark.parametrize("endpoint", ACCEPTED)
def test_known_push_services_and_configured_origins_are_accepted(app, endpoint):
    with app.app_context():
        assert push_subscriptions.check_endpoint(endpoint) == endpoint


@pytest.mark.parametrize("endpoint", REFUSED)
def test_loopback_private_and_odd_endpoints_are_refused(app, endpoint):
    with app.app_context(), pytest.raises(Invalid) as raised:
        push_subscriptions.check_endpoint(endpoint)
    assert "endpoint" in raised.value.errors


def test_without_configuration_only_public_push_services_pass(app):
    app.config["PUSH_ENDPOINT_ALLOWLIST"] = []
    with app.app_context(), pytest.raises(Invalid):
        push_subscriptions.check_endpoint("http://127.0.0.1:9999/push/abc")


def test_keys_must_be_a_p256_point_and_a_16_byte_secret():
    browser = Browser("b", "https://fcm.googleapis.com/x")
    push_subscriptions.check_keys(browser.p256dh, browser.auth)
    push_subscriptions.check_keys(browser.p256dh + "=", browser.auth + "==")  # padding is tolerated
    bad = [
        (browser.p256dh[:-4], browser.auth),  # short
        ("C" + browser.p256dh[1:], browser.auth),  # not an uncompressed point
        ("BA" + "A" * 85, browser.auth),  # 65 bytes but not on the curve
        (browser.p256dh, "/" + browser.auth[1:]),  # base64, not base64url
        (browser.p256dh, browser.auth[:-2]),
        (browser.p256dh, "!!!!"),
    ]
    for p256dh, auth in bad:
        with pytest.raises(Invalid) as raised:
            push_subscriptions.check_keys(p256dh, auth)
        assert "keys" in raised.value.errors
