"""Liveness and database reachability, for load balancers and monitoring."""

from importlib.metadata import PackageNotFoundError, version

from flask.views import MethodView
from sqlalchemy import text

from api.extensions import Blueprint, db
from api.schemas.user import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="Service health")


def app_version() -> str:
    try:
        return version("buurtwacht")
    except PackageNotFoundError:
        return "unknown"


@blp.route("")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database is not reachable.")
    def get(self):
        """Is the service up and its database reachable?"""
        try:
            db.session.execute(text("SELECT 1"))
            database = "ok"
        except Exception:  # any failure means "unreachable"; details stay in the server log
            db.session.rollback()
            database = "unreachable"
        body = {"status": "ok" if database == "ok" else "degraded", "database": database, "version": app_version()}
        return body, (200 if database == "ok" else 503)
