"""The PWA's files, checked without a browser: catalogues complete, CSP-safe markup, no innerHTML, shell weight,
and the server side of the shell (deep links, service-worker headers, a versioned cache name)."""

import json
import os
import re

import pytest

from bench import shell_weight

STATIC = os.path.join(os.path.dirname(__file__), "..", "..", "pwa", "static")
JS_FILES = [os.path.join(root, f) for root, _, files in os.walk(os.path.join(STATIC, "js")) for f in files]


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def catalogue(lang: str) -> set[str]:
    return set(re.findall(r"'([a-z0-9_.-]+)':", read(os.path.join(STATIC, "js", "i18n", f"{lang}.js"))))


def test_both_catalogues_hold_the_same_keys():
    assert catalogue("nl") == catalogue("en")


def test_every_string_the_code_asks_for_is_in_the_catalogue():
    used = set()
    for path in JS_FILES:
        used |= set(re.findall(r"\bt\('([a-z0-9_.]+)'", read(path)))
    assert used - catalogue("nl") == set()


def test_markup_obeys_the_content_security_policy():
    html = read(os.path.join(STATIC, "index.html"))
    assert "style=" not in html and "<style" not in html
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html)), "inline script"
    for path in JS_FILES:
        source = read(path)
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "eval(" not in source, path


def test_shell_weight_within_budget(capsys):
    assert shell_weight.main() == 0
    print(capsys.readouterr().out.splitlines()[-2])


def test_every_shell_file_exists_and_every_module_is_precached():
    listed = shell_weight.shell_files()
    for name in listed:
        assert os.path.exists(os.path.join(STATIC, name)), name
    for name in shell_weight.ON_DEMAND:
        assert os.path.exists(os.path.join(STATIC, name)), name
    modules = {os.path.relpath(p, STATIC).replace(os.sep, "/") for p in JS_FILES}
    assert modules - set(shell_weight.ON_DEMAND) <= set(listed)


def test_manifest_is_dutch_standalone_with_icons():
    manifest = json.loads(read(os.path.join(STATIC, "manifest.webmanifest")))
    assert manifest["lang"] == "nl" and manifest["display"] == "standalone" and manifest["name"] == "Buurtwacht"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        path = os.path.join(STATIC, icon["src"].removeprefix("/static/"))
        with open(path, "rb") as f:
            head = f.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(head[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"]


@pytest.mark.parametrize("path", ["/groups/3/join?code=ABC", "/reports/12", "/help/7", "/settings"])
def test_app_routes_open_the_shell(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and b'src="/static/js/app.js"' in response.data


def test_service_worker_is_served_with_scope_and_a_versioned_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert re.search(r"const VERSION = '[0-9a-f]{12}';", response.get_data(as_text=True))


def test_api_paths_never_fall_back_to_the_shell(client):
    assert client.get("/api/v1/nothing-here", headers={"Accept": "text/html"}).status_code == 404
