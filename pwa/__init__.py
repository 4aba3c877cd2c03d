"""Serves the installable PWA from pwa/static: the shell at /, the service worker at /sw.js."""

import os

from flask import Blueprint, abort, request, send_from_directory

STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")

pwa_blueprint = Blueprint("pwa", __name__, static_folder=None)


@pwa_blueprint.get("/")
def shell():
    return _no_cache(send_from_directory(STATIC_DIR, "index.html"))


@pwa_blueprint.get("/sw.js")
def service_worker():
    response = send_from_directory(STATIC_DIR, "sw.js", mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return _no_cache(response)


@pwa_blueprint.get("/manifest.webmanifest")
def manifest():
    return send_from_directory(STATIC_DIR, "manifest.webmanifest", mimetype="application/manifest+json")


@pwa_blueprint.get("/static/<path:filename>")
def static_file(filename: str):
    return send_from_directory(STATIC_DIR, filename)


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
