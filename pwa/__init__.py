"""Serves the installable PWA from pwa/static: the shell at /, the service worker at /sw.js."""

import hashlib
import os

from flask import Blueprint, abort, current_app, request, send_from_directory

STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")

pwa_blueprint = Blueprint("pwa", __name__, static_folder=None)

_version_cache: dict[str, str] = {}


def shell_version() -> str:
    """A short hash of every shell file: a changed file means a new service worker and a fresh cache."""
    if "v" in _version_cache and not current_app.debug:
        return _version_cache["v"]
    digest = hashlib.sha256()
    for root, _dirs, files in sorted(os.walk(STATIC_DIR)):
        for name in sorted(files):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, STATIC_DIR).encode())
            with open(path, "rb") as f:
                digest.update(f.read())
    _version_cache["v"] = digest.hexdigest()[:12]
    return _version_cache["v"]


@pwa_blueprint.get("/")
def shell():
    return _no_cache(send_from_directory(STATIC_DIR, "index.html"))


@pwa_blueprint.get("/sw.js")
def service_worker():
    with open(os.path.join(STATIC_DIR, "sw.js"), encoding="utf-8") as f:
        source = f.read().replace("__SHELL_VERSION__", shell_version())
    response = current_app.response_class(source, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return _no_cache(response)


@pwa_blueprint.get("/manifest.webmanifest")
def manifest():
    return send_from_directory(STATIC_DIR, "manifest.webmanifest", mimetype="application/manifest+json")


@pwa_blueprint.get("/static/<path:filename>")
def static_file(filename: str):
    return _no_cache(send_from_directory(STATIC_DIR, filename))


@pwa_blueprint.get("/<path:route>")
def app_route(route: str):
    """Deep links (``/groups/3/join?code=...``, ``/reports/12``) open the shell; the app routes them."""
    if route.startswith(("api/", "static/")) or "." in route.rsplit("/", 1)[-1]:
        abort(404)
    if "text/html" not in request.headers.get("Accept", ""):
        abort(404)
    return shell()


def _no_cache(response):
    # The service worker decides about caching; the browser must always revalidate these.
    response.headers["Cache-Control"] = "no-cache"
    return response
