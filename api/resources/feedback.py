"""Answers to a report by linked professionals and moderators."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.resources.paths import id_param
from api.schemas.report import FeedbackCreateSchema, FeedbackSchema
from api.services import reports
from api.services.idempotency import idempotent

blp = Blueprint("feedback", __name__, url_prefix="/api/v1", description="Feedback on reports")


@blp.route(f"/reports/{id_param('report_id')}/feedback")
class ReportFeedback(MethodView):
    @blp.auth_required
    @blp.response(200, FeedbackSchema(many=True))
    @blp.errors(404)
    def get(self, report_id):
        """The report's feedback, oldest first"""
        return reports.feedback_list(report_id)

    @blp.auth_required
    @idempotent(blp)
    @blp.arguments(FeedbackCreateSchema)
    @blp.response(201, FeedbackSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, report_id):
        """Answer a report

        Linked professionals and moderators. A professional's first answer stops the response clock and
        acknowledges the report; a moderator's answer is shown but does not stop the clock. An `outcome`
        resolves the report.
        """
        feedback = reports.give_feedback(report_id, data, current_user)
        db.session.commit()
        return feedback
