"""Reports filed to a group, their life cycle, "112 is already called" marks and response-time stats."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import id_param
from api.schemas.report import (
    Called112Schema,
    PeriodQuerySchema,
    ReportCreateSchema,
    ReportDetailSchema,
    ReportQuerySchema,
    ReportSchema,
    ResponseTimeStatsSchema,
)
from api.services import report_stats, reports
from api.services.idempotency import idempotent

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports and the response clock")


@blp.route(f"/groups/{id_param('group_id')}/reports")
class GroupReports(MethodView):
    @blp.auth_required
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403, 404)
    def get(self, filters, group_id):
        """The group's reports, newest first

        Members, linked professionals and admins. Filter by `status`, `category`, `urgency` and the period
        `from`/`to` (filing time).
        """
        return reports.group_reports(group_id, filters)

    @blp.auth_required
    @idempotent(blp)
    @blp.arguments(ReportCreateSchema)
    @blp.response(201, ReportSchema)
    @blp.errors(403, 404, 429)
    def post(self, data, group_id):
        """File a report to the group

        Active members only. An urgent report without `called_112` answers with the group's
        `emergency_contacts` and a `reminder` to call 112 first. Coordinates are stored rounded to
        3 decimals (about 100 m). At most `REPORTS_PER_HOUR` reports per member per hour (429 with
        `Retry-After`).
        """
        report = reports.file_report(group_id, data, current_user)
        db.session.commit()
        return report


@blp.route(f"/reports/{id_param('report_id')}")
class ReportById(MethodView):
    @blp.auth_required
    @blp.response(200, ReportDetailSchema)
    @blp.errors(404)
    def get(self, report_id):
        """A report with its response clock and timeline

        The `timeline` lists status changes, feedback, check-ins and the escalation in time order.
        Check-in notes are shown to moderators only.
        """
        return reports.report_detail(report_id, current_user)


@blp.route(f"/reports/{id_param('report_id')}/close")
class CloseReport(MethodView):
    @blp.auth_required
    @blp.response(200, ReportSchema)
    @blp.errors(403, 404, 409)
    def post(self, report_id):
        """Close a report

        Moderators and admins, from any state but closed or withdrawn. Resolved reports also close by
        themselves after `REPORT_AUTO_CLOSE_DAYS`; closed reports are anonymised after the retention period.
        """
        report = reports.close(report_id, current_user)
        db.session.commit()
        return report


@blp.route(f"/reports/{id_param('report_id')}/reopen")
class ReopenReport(MethodView):
    @blp.auth_required
    @blp.response(200, ReportSchema)
    @blp.errors(403, 404, 409)
    def post(self, report_id):
        """Reopen a resolved or closed report

        Moderators and admins. It goes back to `acknowledged` when a professional answered, else to `open`.
        """
        report = reports.reopen(report_id, current_user)
        db.session.commit()
        return report


@blp.route(f"/reports/{id_param('report_id')}/withdraw")
class WithdrawReport(MethodView):
    @blp.auth_required
    @blp.response(200, ReportSchema)
    @blp.errors(403, 404, 409)
    def post(self, report_id):
        """Withdraw my report filed by mistake

        Only the member who filed it, while it is `open` or `acknowledged`. The response clock stops.
        """
        report = reports.withdraw(report_id, current_user)
        db.session.commit()
        return report


@blp.route(f"/reports/{id_param('report_id')}/called-112")
class Called112(MethodView):
    @blp.auth_required
    @blp.response(201, Called112Schema)
    @blp.errors(403, 404, 409)
    def post(self, report_id):
        """Add that I called 112 too

        Once per member (409 the second time), so neighbours see how many called and neither flood
        the emergency room nor assume someone else called.
        """
        report = reports.mark_called_112(report_id, current_user)
        db.session.commit()
        return {"report_id": report.id, "called_112_count": report.called_112_count, "called_112_by_me": True}


@blp.route(f"/groups/{id_param('group_id')}/stats/response-times")
class ResponseTimes(MethodView):
    @blp.auth_required
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, ResponseTimeStatsSchema)
    @blp.errors(403, 404)
    def get(self, period, group_id):
        """How fast professionals answer this group's reports

        Over reports filed in `from`/`to` (both optional): `median_minutes` and `p90_minutes` to the first
        professional answer, `within_target_share` and `overdue_count`. Members, linked professionals, admins.
        """
        return report_stats.response_times(group_id, period)
