"""The signed-in user's report inbox and task list."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint
from api.pagination import SQLPage
from api.schemas.report import InboxQuerySchema, ReportSchema
from api.schemas.task import TaskSchema
from api.services import checkins, clock, reports, tasks  # noqa: F401  checkins registers its task provider

blp = Blueprint("me_reports", __name__, url_prefix="/api/v1/me", description="My inbox and tasks")


@blp.route("/reports")
class MyReports(MethodView):
    @blp.auth_required
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, ReportSchema(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Reports waiting for my answer

        Open and acknowledged reports of the groups where I answer reports (a professional's linked groups,
        a moderator's groups; admins: all). `due=soonest` (default): unanswered first, earliest due time
        first; `due=newest`: newest first.
        """
        return reports.inbox(current_user, query["due"])


@blp.route("/tasks")
class MyTasks(MethodView):
    @blp.auth_required
    @blp.response(200, TaskSchema(many=True))
    def get(self):
        """My tasks: check-ins after reports in groups I moderate (and what other modules add)"""
        return tasks.tasks_for(current_user, clock.now())
