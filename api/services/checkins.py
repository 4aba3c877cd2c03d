"""Moderators' check-ins (a doorbell visit after a report, a routine round) and their tasks.

A check-in task is not stored: every active report in a group someone moderates, filed in the last
``CHECKIN_TASK_DAYS`` days and without a check-in yet, is a task for that group's moderators. It
disappears when any moderator logs a check-in for the report, or the report is closed or withdrawn.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import selectinload

from api.extensions import db
from api.models import (
    CheckIn,
    MemberRole,
    Membership,
    MembershipStatus,
    Report,
    User,
)
from api.models.report import ACTIVE_STATUSES
from api.services import clock, events, tasks
from api.services.access import group_access
from api.services.errors import Conflict, Invalid
from api.services.reports import CLOCK_SKEW, load_report

CATEGORY_TITLES = {
    "nl": "Check-in na melding: {category}",
    "en": "Check-in after report: {category}",
}


def _occurred_at(data: dict, now: datetime) -> datetime:
    occurred_at = data.get("occurred_at") or now
    if occurred_at > now + CLOCK_SKEW:
        raise Invalid("A check-in cannot be in the future.", {"occurred_at": ["Must not be in the future."]})
    return occurred_at


def _log(group_id: int, report: Report | None, data: dict, user: User) -> CheckIn:
    now = clock.now()
    check_in = CheckIn(
        group_id=group_id,
        report_id=report.id if report else None,
        moderator_id=user.id,
        kind=data["kind"],
        households_reached=data["households_reached"],
        note=data["note"],
        outcome=data["outcome"],
        occurred_at=_occurred_at(data, now),
        created_at=now,
    )
    check_in.moderator = user
    db.session.add(check_in)
    db.session.flush()
    events.record("checkin.logged", group_id=group_id, actor_id=user.id, subject_type="check_in",
                  subject_id=check_in.id, data={"report_id": check_in.report_id})
    return check_in


def log_for_report(report_id: int, data: dict, user: User) -> CheckIn:
    report, access = load_report(report_id)
    access.require_moderator().require_writable()
    if report.status.value == "withdrawn":
        raise Conflict("This report was withdrawn.")
    return _log(report.group_id, report, data, user)


def report_check_ins(report_id: int) -> list[CheckIn]:
    """A report's check-ins, oldest first; the notes are marked hidden for everyone but moderators."""
    report, access = load_report(report_id)
    found = list(db.session.scalars(
        select(CheckIn).where(CheckIn.report_id == report.id).options(selectinload(CheckIn.moderator))
        .order_by(CheckIn.occurred_at, CheckIn.id)
    ))
    for check_in in found:
        check_in.note_hidden = not access.can_moderate
    return found


def log_routine(group_id: int, data: dict, user: User) -> CheckIn:
    access = group_access(group_id).require_moderator().require_writable()
    return _log(access.group.id, None, data, user)


def group_check_ins(group_id: int):
    """A select() of the group's check-ins, newest first (moderators and admins: notes included)."""
    group_access(group_id).require_moderator()
    return (
        select(CheckIn).where(CheckIn.group_id == group_id).options(selectinload(CheckIn.moderator))
        .order_by(CheckIn.occurred_at.desc(), CheckIn.id.desc())
    )


@tasks.provider
def check_in_tasks(user: User, now: datetime) -> list[tasks.Task]:
    since = now - timedelta(days=current_app.config["CHECKIN_TASK_DAYS"])
    moderated = select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.role == MemberRole.moderator,
        Membership.status == MembershipStatus.active,
    )
    reports = db.session.scalars(
        select(Report).where(
            Report.group_id.in_(moderated),
            Report.status.in_(ACTIVE_STATUSES),
            Report.created_at >= since,
            ~exists().where(CheckIn.report_id == Report.id),
        ).order_by(Report.created_at)
    )
    title = CATEGORY_TITLES.get(user.locale.value, CATEGORY_TITLES["nl"])
    return [
        tasks.Task(type="check_in", group_id=r.group_id, subject_type="report", subject_id=r.id,
                   title=title.format(category=r.category.value), created_at=r.created_at,
                   due_at=r.created_at + timedelta(days=1))
        for r in reports
    ]


def moderator_activity(group_id: int, period: dict) -> dict:
    """Check-ins per report and per moderator, and how long ago the last one was."""
    group_access(group_id).require_moderator()
    now = clock.now()
    start = period.get("from_") or now - timedelta(days=30)
    end = period.get("to") or now
    in_period = and_(CheckIn.group_id == group_id, CheckIn.occurred_at >= start, CheckIn.occurred_at < end)

    last_ever = db.session.scalar(select(func.max(CheckIn.occurred_at)).where(CheckIn.group_id == group_id))
    totals = db.session.execute(
        select(func.count(CheckIn.id), func.coalesce(func.sum(CheckIn.households_reached), 0),
               func.count(CheckIn.id).filter(CheckIn.report_id.is_(None))).where(in_period)
    ).one()
    per_report_rows = db.session.execute(
        select(Report.id, func.count(CheckIn.id), func.max(CheckIn.occurred_at))
        .outerjoin(CheckIn, CheckIn.report_id == Report.id)
        .where(Report.group_id == group_id, Report.created_at >= start, Report.created_at < end)
        .group_by(Report.id).order_by(Report.id.desc())
    ).all()
    per_moderator_rows = db.session.execute(
        select(User.display_name, func.count(CheckIn.id), func.max(CheckIn.occurred_at))
        .join(CheckIn, CheckIn.moderator_id == User.id).where(in_period)
        .group_by(User.id, User.display_name).order_by(func.count(CheckIn.id).desc(), User.display_name)
    ).all()
    return {
        "from_": start,
        "to": end,
        "check_ins": totals[0],
        "households_reached": int(totals[1]),
        "routine_check_ins": totals[2],
        "last_check_in_at": last_ever,
        "days_since_last_check_in": None if last_ever is None else (now - last_ever).days,
        "reports": len(per_report_rows),
        "reports_with_check_in": sum(1 for row in per_report_rows if row[1]),
        "per_report": [
            {"report_id": rid, "check_ins": n, "last_check_in_at": last} for rid, n, last in per_report_rows
        ],
        "per_moderator": [
            {"moderator": {"display_name": name, "role": "moderator"}, "check_ins": n, "last_check_in_at": last}
            for name, n, last in per_moderator_rows
        ],
    }
