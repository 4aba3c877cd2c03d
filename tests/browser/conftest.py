"""The PWA in headless Debian Chromium, against the real app served on 127.0.0.1 from a thread.

One app (temp SQLite file) and one browser per test module keep these tests at a few seconds each.
"""

import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")

from werkzeug.serving import make_server  # noqa: E402

from api import create_app  # noqa: E402
from api.extensions import db  # noqa: E402
from api.models import Role, User  # noqa: E402
from api.services import accounts, tokens  # noqa: E402
from tests.conftest import base_test_config  # noqa: E402
from tests.helpers import PASSWORD  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
logging.getLogger("werkzeug").setLevel(logging.WARNING)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


class Live:
    """The served app plus helpers to arrange data straight in its database."""

    def __init__(self, app, origin):
        self.app = app
        self.origin = origin

    def rules(self) -> set[str]:
        # "/groups/<int(max=2147483647):group_id>" and "/groups/<int:group_id>" both read "/groups/<group_id>".
        return {re.sub(r"<(?:[^:>]+:)?(\w+)>", r"<\1>", r.rule) for r in self.app.url_map.iter_rules()}

    def require(self, *rules: str):
        """Skip until the API routes this test drives exist (other issues merge them into main)."""
        known = self.rules()
        missing = [r for r in rules if r not in known]
        if missing:
            pytest.skip("API routes not merged yet: " + ", ".join(missing))

    def user(self, role: Role = Role.resident, name: str = "Buur", locale: str = "nl"):
        with self.app.app_context():
            email = f"{role.value}-{uuid.uuid4().hex[:8]}@example.nl"
            user = accounts.create_user(email=email, password=PASSWORD, display_name=name, role=role, locale=locale)
            db.session.commit()
            return {"id": user.id, "email": email, "password": PASSWORD, "name": name}

    def url(self, path: str) -> str:
        return self.origin + path

    def api(self, method: str, path: str, user: dict, json=None, headers=None):
        """Call the API as `user` (arranging or checking what the browser cannot see)."""
        if "token" not in user:
            with self.app.app_context():
                user["token"] = tokens.start_session(db.session.get(User, user["id"]))["access_token"]
                db.session.commit()
        client = self.app.test_client()
        response = client.open("/api/v1" + path, method=method, json=json,
                               headers={"Authorization": f"Bearer {user['token']}", **(headers or {})})
        assert response.status_code < 400, (response.status_code, response.get_json())
        return response.get_json()

    def scalar(self, statement):
        with self.app.app_context():
            return db.session.scalar(statement)


@pytest.fixture(scope="module")
def live():
    tmp = tempfile.mkdtemp(prefix="bw-live-")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSTANCE_PATH", os.path.join(tmp, "instance"))
        config = base_test_config(Path(tmp), None)
        config.update({"JWT_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False, "REPORTS_PER_HOUR": 1000})
        app = create_app(config)
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    origin = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = origin
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Live(app, origin)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(live):
    profile = tempfile.mkdtemp(prefix="bw-chromium-")
    with playwright_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, viewport=PHONE,
                                                   locale="nl-NL", timezone_id="Europe/Amsterdam")
        # Generous: CI runs these next to the rest of the suite on two cores.
        ctx.set_default_timeout(15000)
        ctx.grant_permissions(["notifications"], origin=live.origin)
        yield ctx
        ctx.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, live):
    """A tab with the app loaded and its service worker in control; console errors fail the test."""
    tab = browser.new_page()
    errors = []
    # Script errors only: Chromium also logs every 4xx answer ("Failed to load resource"), which the app handles.
    tab.on("console", lambda m: errors.append(m.text)
           if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(live.url("/login"))
    wait_js(tab, "navigator.serviceWorker.controller !== null")
    started(tab)
    tab.errors = errors
    yield tab
    tab.close()


def wait_js(page, expression: str, timeout: float = 15.0):
    """Poll a JS expression until truthy. (wait_for_function evaluates strings with eval(), which our CSP forbids.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        time.sleep(0.05)


NOTIFICATIONS = """navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.map(n =>
  ({title: n.title, body: n.body, tag: n.tag, url: n.data.url, actions: n.actions.map(a => a.action)})))"""


def deliver_push(page, browser, live, payload: dict) -> list[dict]:
    """Hand a decrypted push payload to the service worker, as the browser's push stack would; return the
    notifications then shown."""
    cdp = browser.new_cdp_session(page)
    registrations = {}
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda ev: registrations.update(
        {r["scopeURL"]: r["registrationId"] for r in ev["registrations"] if not r["isDeleted"]}))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    registration = registrations[live.origin + "/"]
    try:
        # A message can get lost when it races the worker being stopped for idleness on a busy machine; a
        # resend is harmless (same tag: it replaces). Detaching CDP before the worker handled it would drop it.
        for attempt in range(3):
            cdp.send("ServiceWorker.deliverPushMessage",
                     {"origin": live.origin, "registrationId": registration, "data": json.dumps(payload)})
            try:
                return wait_js(page, NOTIFICATIONS, timeout=5.0)
            except AssertionError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
    finally:
        cdp.detach()


def tap_notification(browser, tag: str, action: str = "") -> None:
    """Run the worker's notificationclick handling for the notification with this tag."""
    browser.service_workers[0].evaluate(
        f"self.registration.getNotifications({{tag: '{tag}'}}).then(ns => handleNotificationClick(ns[0], '{action}'))")


UNLABELLED = """[...document.querySelectorAll('main input, main select, main textarea, main button, main a')]
  .filter(e => e.type !== 'hidden' && !e.closest('[hidden]'))
  .filter(e => ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName)
    ? !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
    : !e.textContent.trim() && !e.getAttribute('aria-label'))
  .map(e => e.outerHTML.slice(0, 80))"""


def assert_labelled(page) -> None:
    """WCAG basics: every form control has a label and every button or link a name."""
    assert page.evaluate(UNLABELLED) == []


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert_labelled(page)
    # Phone first: nothing may stick out sideways (no horizontal scrolling), here nor on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} at 360 px"
    finally:
        page.set_viewport_size(PHONE)
    page.evaluate("document.getElementById('toast').textContent = ''; window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def started(page) -> None:
    """Wait until the app has restored its session and drawn its first page. Leaving a page while it trades its
    refresh cookie could lose the rotated cookie; the next use of the old one then ends the whole sign-in."""
    wait_js(page, "document.body.dataset.started === '1'")


def sign_in(page, live, user) -> None:
    page.goto(live.url("/login"))
    started(page)
    page.get_by_label("E-mailadres").fill(user["email"])
    page.get_by_label("Wachtwoord").fill(user["password"])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_selector("nav#nav a[href='/settings']")
    page.wait_for_selector("#main:not([aria-busy])")


def sign_out(page, live) -> None:
    page.goto(live.url("/settings"))
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login")
