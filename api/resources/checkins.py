"""Moderators' check-ins after a report or on a routine round, and the group's moderator activity."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import id_param
from api.schemas.report import CheckInCreateSchema, CheckInSchema, ModeratorActivitySchema, PeriodQuerySchema
from api.services import checkins
from api.services.idempotency import idempotent

blp = Blueprint("checkins", __name__, url_prefix="/api/v1", description="Moderator check-ins")


@blp.route(f"/reports/{id_param('report_id')}/check-ins")
class ReportCheckIns(MethodView):
    @blp.auth_required
    @blp.response(200, CheckInSchema(many=True))
    @blp.errors(404)
    def get(self, report_id):
        """The report's check-ins, oldest first

        Members, linked professionals and admins; the `note` is left out for all but moderators and admins.
        """
        return checkins.report_check_ins(report_id)

    @blp.auth_required
    @idempotent(blp)
    @blp.arguments(CheckInCreateSchema)
    @blp.response(201, CheckInSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, report_id):
        """Log a check-in after a report

        Moderators and admins. Members see it in the report's timeline without the note.
        """
        check_in = checkins.log_for_report(report_id, data, current_user)
        db.session.commit()
        return check_in


@blp.route(f"/groups/{id_param('group_id')}/check-ins")
class GroupCheckIns(MethodView):
    @blp.auth_required
    @blp.response(200, CheckInSchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403, 404)
    def get(self, group_id):
        """The group's check-ins, newest first (moderators and admins)"""
        return checkins.group_check_ins(group_id)

    @blp.auth_required
    @idempotent(blp)
    @blp.arguments(CheckInCreateSchema)
    @blp.response(201, CheckInSchema)
    @blp.errors(403, 404)
    def post(self, data, group_id):
        """Log a routine check-in (a round without a report)"""
        check_in = checkins.log_routine(group_id, data, current_user)
        db.session.commit()
        return check_in


@blp.route(f"/groups/{id_param('group_id')}/moderator-activity")
class ModeratorActivity(MethodView):
    @blp.auth_required
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, ModeratorActivitySchema)
    @blp.errors(403, 404)
    def get(self, period, group_id):
        """Check-ins per report and per moderator, and days since the last one

        Moderators and admins. The period `from`/`to` defaults to the last 30 days.
        """
        return checkins.moderator_activity(group_id, period)
