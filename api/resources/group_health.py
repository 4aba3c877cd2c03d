"""Group health: is a group doing what makes watch groups work? Per group, and all groups for the municipality."""

from flask import Response
from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint
from api.resources.paths import id_param
from api.schemas.group_health import GroupHealthSchema, HealthOverviewQuerySchema
from api.services import group_health, health_export

blp = Blueprint("group_health", __name__, url_prefix="/api/v1", description="Group health")

CSV_DOC = {
    "responses": {
        "200": {
            "description": "JSON by default; with `format=csv` a CSV file (UTF-8 with BOM, one row per group).",
            "content": {
                "application/json": {"schema": GroupHealthSchema(many=True)},
                "text/csv": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


@blp.route(f"/groups/{id_param('group_id')}/health")
class GroupHealth(MethodView):
    @blp.auth_required
    @blp.response(200, GroupHealthSchema)
    @blp.errors(403, 404)
    def get(self, group_id):
        """The group's health: charter, moderators, feedback times, neighbour contact, participation, safety

        For moderators, linked professionals and admins. Each indicator has a value, a status (good /
        attention / problem, or null without enough data) and advice in plain language.
        """
        access = group_health.health_access(group_id)
        return group_health.group_health(access.group, current_user.locale.value)


@blp.route("/admin/groups/health")
class AllGroupsHealth(MethodView):
    @blp.auth_required
    @blp.arguments(HealthOverviewQuerySchema, location="query")
    @blp.response(200, GroupHealthSchema(many=True))
    @blp.doc(**CSV_DOC)
    @blp.errors(403)
    def get(self, query):
        """Every group's health side by side, as JSON or CSV (admins)

        Filter by overall `status` and by `area` (postcode prefix). `format=csv` returns a download that
        opens cleanly in a spreadsheet; add `sep=;` for Dutch Excel.
        """
        rows = group_health.all_groups_health(current_user, status=query.get("status"), area=query.get("area"),
                                              group_status=query.get("group_status"))
        if query["format"] == "csv":
            return Response(
                health_export.to_csv(rows, query["sep"]),
                mimetype="text/csv",
                headers={"Content-Disposition": 'attachment; filename="buurtwacht-groepen-gezondheid.csv"'},
            )
        return rows
