"""The API explorer at /api/docs: Swagger UI served from the installed package, no CDN.

Our own page instead of smorest's template, because that template starts Swagger UI with an
inline script, which the Content-Security-Policy forbids.
"""

from flask import Blueprint, Response, send_from_directory
from swagger_ui_bundle import swagger_ui_path

explorer_blueprint = Blueprint("explorer", __name__, url_prefix="/api/docs")

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Buurtwacht API explorer</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"></main>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/api/docs/explorer.js"></script>
</body>
</html>
"""

INIT = """window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});
"""


@explorer_blueprint.get("")
@explorer_blueprint.get("/")
def explorer_page():
    return Response(PAGE, mimetype="text/html")


@explorer_blueprint.get("/explorer.js")
def explorer_script():
    return Response(INIT, mimetype="text/javascript")


@explorer_blueprint.get("/assets/<path:filename>")
def explorer_asset(filename: str):
    return send_from_directory(swagger_ui_path, filename, max_age=86400)
