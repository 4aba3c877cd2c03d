"""Response-time statistics of a group: how fast professionals answer its reports."""

from sqlalchemy import select

from api.extensions import db
from api.models import Report, ReportStatus
from api.services import clock, response_clock
from api.services.access import group_access


def response_times(group_id: int, period: dict) -> dict:
    """Over the reports filed in the period (withdrawn ones left out): minutes to the first professional
    answer (median, p90), the share answered within target of those whose target is decided, and how many
    went overdue. Computed from stored timestamps, so it is right without the sweep."""
    access = group_access(group_id).require_report_reader()
    now = clock.now()
    stmt = select(Report.created_at, Report.feedback_due_at, Report.first_feedback_at, Report.status,
                  Report.closed_at).where(Report.group_id == group_id, Report.status != ReportStatus.withdrawn)
    if period.get("from_"):
        stmt = stmt.where(Report.created_at >= period["from_"])
    if period.get("to"):
        stmt = stmt.where(Report.created_at < period["to"])
    minutes, decided, met, overdue, count = [], 0, 0, 0, 0
    for created_at, due_at, first_at, status, closed_at in db.session.execute(stmt):
        count += 1
        stopped_at = closed_at if status == ReportStatus.closed else None
        state = response_clock.state(created_at, due_at, first_at, stopped_at, now)
        if state.response_minutes is not None:
            minutes.append(state.response_minutes)
        if state.feedback_overdue:
            overdue += 1
        if state.target_met is not None:
            decided += 1
            met += state.target_met
    return {
        "from_": period.get("from_"),
        "to": period.get("to"),
        "target_minutes": access.group.feedback_target_minutes,
        "count": count,
        "answered_count": len(minutes),
        "median_minutes": response_clock.median(minutes),
        "p90_minutes": response_clock.percentile(minutes, 0.9),
        "within_target_share": round(met / decided, 3) if decided else None,
        "overdue_count": overdue,
    }
