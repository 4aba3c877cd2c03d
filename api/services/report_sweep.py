"""Sweep jobs for reports: escalate overdue clocks, close resolved reports, anonymise old ones.

Each job is idempotent (running it twice changes nothing the second time) and returns how many
reports it handled; ``api/sweep.py`` runs them every minute in the worker and on ``flask sweep``.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, or_, select, update

from api.extensions import db
from api.models import (
    CheckIn,
    Escalation,
    MemberRole,
    Membership,
    MembershipStatus,
    ProfessionalLink,
    Report,
    ReportFeedback,
    ReportStatus,
    ReportTransition,
)
from api.models.report import ACTIVE_STATUSES, REMOVED_TEXT
from api.services import clock, events
from api.services.reports import change_status


def escalate_overdue() -> int:
    """One escalation per report whose due time passed without a professional answer.

    Who should be told is stored with it (the group's moderators and linked professionals); the
    ``report.escalated`` event is what push delivers.
    """
    now = clock.now()
    overdue = db.session.scalars(
        select(Report).where(
            Report.status.in_(ACTIVE_STATUSES),
            Report.first_feedback_at.is_(None),
            Report.feedback_due_at <= now,
            Report.anonymised_at.is_(None),
            ~exists().where(Escalation.report_id == Report.id),
        ).order_by(Report.id)
    ).all()
    for report in overdue:
        moderators = list(db.session.scalars(select(Membership.user_id).where(
            Membership.group_id == report.group_id, Membership.role == MemberRole.moderator,
            Membership.status == MembershipStatus.active,
        )))
        professionals = list(db.session.scalars(
            select(ProfessionalLink.user_id).where(ProfessionalLink.group_id == report.group_id)
        ))
        db.session.add(Escalation(
            report_id=report.id, group_id=report.group_id, notify_user_ids=sorted(set(moderators + professionals)),
            moderators_count=len(moderators), professionals_count=len(professionals), created_at=now,
        ))
        report.escalated_at = now
        db.session.flush()
        events.record("report.escalated", group_id=report.group_id, subject_type="report", subject_id=report.id)
    return len(overdue)


def auto_close_resolved() -> int:
    """Resolved reports close by themselves after REPORT_AUTO_CLOSE_DAYS (0 turns this off).

    Without it a resolved report would never reach the retention period, and its description would
    be kept for ever; a moderator can still reopen it.
    """
    days = current_app.config["REPORT_AUTO_CLOSE_DAYS"]
    if days <= 0:
        return 0
    now = clock.now()
    reports = db.session.scalars(
        select(Report).where(Report.status == ReportStatus.resolved, Report.resolved_at <= now - timedelta(days=days))
    ).all()
    for report in reports:
        change_status(report, ReportStatus.closed, None, now)
    return len(reports)


def anonymise_old_reports() -> int:
    """Closed and withdrawn reports older than REPORT_RETENTION_DAYS lose what could identify people.

    The author is unlinked, the description, feedback messages and check-in notes become "[verwijderd]"
    and the coordinates are dropped; category, urgency, the street range, counts and timings stay for
    the statistics. Routine check-ins (without a report) lose their notes after the same period.
    """
    now = clock.now()
    cutoff = now - timedelta(days=current_app.config["REPORT_RETENTION_DAYS"])
    reports = db.session.scalars(
        select(Report).where(
            Report.anonymised_at.is_(None),
            or_(
                (Report.status == ReportStatus.closed) & (Report.closed_at <= cutoff),
                (Report.status == ReportStatus.withdrawn) & (Report.withdrawn_at <= cutoff),
            ),
        )
    ).all()
    ids = [report.id for report in reports]
    for report in reports:
        author_id = report.author_id
        if author_id is not None:
            db.session.execute(update(ReportTransition).where(
                ReportTransition.report_id == report.id, ReportTransition.actor_id == author_id
            ).values(actor_id=None))
        report.author_id = None
        report.description = REMOVED_TEXT
        report.lat = None
        report.lon = None
        report.anonymised_at = now
        # The count stays on the report; who called does not.
        report.called_112_marks.clear()
    if ids:
        db.session.execute(
            update(ReportFeedback).where(ReportFeedback.report_id.in_(ids)).values(message=REMOVED_TEXT)
        )
        db.session.execute(
            update(CheckIn).where(CheckIn.report_id.in_(ids)).values(note=REMOVED_TEXT, anonymised_at=now)
        )
    routine = db.session.execute(
        update(CheckIn).where(CheckIn.report_id.is_(None), CheckIn.anonymised_at.is_(None),
                              CheckIn.created_at <= cutoff).values(note=REMOVED_TEXT, anonymised_at=now)
    )
    db.session.flush()
    return len(ids) + (routine.rowcount or 0)
