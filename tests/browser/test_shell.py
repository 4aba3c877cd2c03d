"""The installable, offline-capable shell: manifest, service worker, offline reload, push display."""

import json
import os

import pytest

from bench import shell_weight
from tests.browser.conftest import shot

pytestmark = pytest.mark.browser
# Served outside the shell cache, fetched on first use, or shell entries under another URL.
NOT_PRECACHED = {"index.html", "sw.js", "manifest.webmanifest", "icon-512.png", "icon-maskable-512.png", "en.js"}
STATIC = os.path.join(os.path.dirname(__file__), "..", "..", "pwa", "static")


def test_installable_without_errors(page, browser):
    cdp = browser.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    data = json.loads(manifest["data"])
    assert data["lang"] == "nl" and data["display"] == "standalone" and data["name"] == "Buurtwacht"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    assert page.errors == []


def test_shell_is_precached_and_api_never_cached(page, live):
    names = page.evaluate("caches.keys()")
    shell = [n for n in names if n.startswith("buurtwacht-shell-")]
    assert len(shell) == 1
    urls = page.evaluate(f"caches.open('{shell[0]}').then(c => c.keys()).then(rs => rs.map(r => r.url))")
    paths = {u.removeprefix(live.origin) for u in urls}
    on_disk = {"/static/" + os.path.relpath(os.path.join(root, f), STATIC).replace(os.sep, "/")
               for root, _, files in os.walk(STATIC) for f in files
               if f not in NOT_PRECACHED}
    # Surveys, group health and the vendored chart library are cached on first use, not at install.
    on_disk -= {"/static/" + name for name in shell_weight.ON_DEMAND}
    on_disk = {p for p in on_disk if not p.startswith("/static/vendor/")}
    assert on_disk <= paths, on_disk - paths
    assert "/" in paths and not any(p.startswith("/api/") for p in paths)


def test_reloads_offline_and_routes_deep_links(page, browser, live):
    page.goto(live.url("/register"))
    page.wait_for_selector("h1:has-text('Account maken')")
    browser.set_offline(True)
    try:
        response = page.reload()
        assert response.ok and response.from_service_worker
        page.wait_for_selector("h1:has-text('Account maken')")
        response = page.goto(live.url("/reports/12345"))
        assert response.from_service_worker
    finally:
        browser.set_offline(False)


def test_skip_link_and_landmarks(page):
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-link"
    assert page.locator("main#main").count() == 1
    assert page.locator("header nav[aria-label]").count() == 1
    assert page.get_attribute("html", "lang") == "nl"
    shot(page, "01-login")
