"""Filing reports, their life cycle, 112 marks, professional feedback and the report timeline."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from api.extensions import db
from api.models import (
    Called112Mark,
    CheckIn,
    ContactKind,
    FeedbackKind,
    Group,
    Locale,
    MemberRole,
    Membership,
    MembershipStatus,
    ProfessionalLink,
    Report,
    ReportFeedback,
    ReportStatus,
    ReportTransition,
    Urgency,
    User,
)
from api.services import clock, events, response_clock
from api.services.access import GroupAccess, group_access
from api.services.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests

REPORT_NOT_FOUND = "Report not found."
# Phones' clocks drift; a report "from the future" by a minute or two is not a mistake worth refusing.
CLOCK_SKEW = timedelta(minutes=5)
EMERGENCY_CONTACT_KINDS = (ContactKind.emergency, ContactKind.police_non_urgent)
REMINDER = {
    Locale.nl: "Is er nu gevaar of een heterdaad? Bel eerst 112, meld het daarna hier.",
    Locale.en: "Is there danger or a crime in progress right now? Call 112 first, then report it here.",
}


def round_coordinate(value: float | None) -> float | None:
    """Three decimals is about 100 m: enough to find the street, not one house."""
    return None if value is None else round(value, 3)


# Access -----------------------------------------------------------------------------------------


def load_report(report_id: int) -> tuple[Report, GroupAccess]:
    """The report and the caller's access; 404 for missing reports and for groups the caller cannot see."""
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound(REPORT_NOT_FOUND)
    try:
        access = group_access(report.group_id)
    except NotFound:
        raise NotFound(REPORT_NOT_FOUND) from None
    if not access.can_read_reports:
        # Pending members see the group's public face, not its reports; they do not learn the id exists.
        raise NotFound(REPORT_NOT_FOUND)
    return report, access


# Filing -----------------------------------------------------------------------------------------


def check_rate_limit(user: User, now) -> None:
    """Every report alarms the whole group, so one member files at most REPORTS_PER_HOUR an hour."""
    limit = current_app.config["REPORTS_PER_HOUR"]
    since = now - timedelta(hours=1)
    recent = db.session.execute(
        select(func.count(Report.id), func.min(Report.created_at)).where(
            Report.author_id == user.id, Report.created_at > since
        )
    ).one()
    if recent[0] >= limit:
        retry_after = max(1, int((recent[1] + timedelta(hours=1) - now).total_seconds()) + 1)
        raise TooManyRequests(
            f"You can file at most {limit} reports an hour. Try again later.",
            headers={"Retry-After": str(retry_after)},
        )


def file_report(group_id: int, data: dict, user: User) -> Report:
    access = group_access(group_id, user).require_member().require_writable()
    now = clock.now()
    occurred_at = data.get("occurred_at") or now
    if occurred_at > now + CLOCK_SKEW:
        raise Invalid("A report cannot be about the future.", {"occurred_at": ["Must not be in the future."]})
    check_rate_limit(user, now)
    location = data["location"]
    report = Report(
        group_id=group_id,
        author_id=user.id,
        category=data["category"],
        urgency=data["urgency"],
        description=data["description"],
        location_text=location["text"],
        lat=round_coordinate(location.get("lat")),
        lon=round_coordinate(location.get("lon")),
        occurred_at=occurred_at,
        called_112=data["called_112"],
        called_112_count=1 if data["called_112"] else 0,
        status=ReportStatus.open,
        created_at=now,
        feedback_due_at=response_clock.feedback_due_at(now, access.group.feedback_target_minutes),
    )
    report.author = user
    db.session.add(report)
    db.session.flush()
    if data["called_112"]:
        db.session.add(Called112Mark(report_id=report.id, user_id=user.id, created_at=now))
    db.session.add(ReportTransition(report_id=report.id, actor_id=user.id, from_status=None,
                                    to_status=ReportStatus.open, created_at=now))
    events.record("report.created", group_id=group_id, actor_id=user.id, subject_type="report",
                  subject_id=report.id, data={"urgency": report.urgency.value, "category": report.category.value})
    # The moderators' check-in task is derived from the report (see services/checkins.py); the event lets
    # push tell them.
    events.record("checkin.task_created", group_id=group_id, actor_id=user.id, subject_type="report",
                  subject_id=report.id)
    if report.urgency == Urgency.urgent and not report.called_112:
        report.emergency_contacts = emergency_contacts(access.group)
        report.reminder = REMINDER.get(user.locale, REMINDER[Locale.nl])
    return report


def emergency_contacts(group: Group) -> list:
    return [contact for contact in group.contacts if contact.kind in EMERGENCY_CONTACT_KINDS]


def mark_called_112(report_id: int, user: User) -> Report:
    report, access = load_report(report_id)
    access.require_member().require_writable()
    if report.is_finished:
        raise Conflict("This report is closed.")
    already = db.session.scalar(
        select(Called112Mark.id).where(Called112Mark.report_id == report.id, Called112Mark.user_id == user.id)
    )
    if already is not None:
        raise Conflict("You already marked that you called 112 for this report.")
    db.session.add(Called112Mark(report_id=report.id, user_id=user.id, created_at=clock.now()))
    # Counted in SQL so two neighbours marking at once both count.
    report.called_112_count = Report.called_112_count + 1
    db.session.flush()
    db.session.refresh(report, ["called_112_count"])
    report.called_112_by_me = True
    return report


# Lists ------------------------------------------------------------------------------------------


def _list_options():
    # One extra query for the reporters' names whatever the page size.
    return selectinload(Report.author)


def _filtered(stmt, filters: dict):
    if filters.get("status"):
        stmt = stmt.where(Report.status == filters["status"])
    if filters.get("category"):
        stmt = stmt.where(Report.category == filters["category"])
    if filters.get("urgency"):
        stmt = stmt.where(Report.urgency == filters["urgency"])
    if filters.get("from_"):
        stmt = stmt.where(Report.created_at >= filters["from_"])
    if filters.get("to"):
        stmt = stmt.where(Report.created_at < filters["to"])
    return stmt


def group_reports(group_id: int, filters: dict):
    """A select() of the group's reports, newest first, for SQLPage."""
    group_access(group_id).require_report_reader()
    stmt = select(Report).where(Report.group_id == group_id).options(_list_options())
    return _filtered(stmt, filters).order_by(Report.created_at.desc(), Report.id.desc())


def inbox(user: User, due: str):
    """Reports waiting for an answer in the groups where the caller answers reports.

    Professionals: their linked groups; moderators: the groups they moderate; admins: every group.
    ``soonest``: unanswered ones first, by due time (overdue first), urgent before normal on a tie.
    """
    stmt = select(Report).where(Report.status.in_([ReportStatus.open, ReportStatus.acknowledged]))
    if not user.is_admin:
        linked = select(ProfessionalLink.group_id).where(ProfessionalLink.user_id == user.id)
        moderated = select(Membership.group_id).where(
            Membership.user_id == user.id, Membership.role == MemberRole.moderator,
            Membership.status == MembershipStatus.active,
        )
        groups = moderated.union(linked) if user.is_professional else moderated
        stmt = stmt.where(Report.group_id.in_(groups))
    stmt = stmt.options(_list_options())
    if due == "newest":
        return stmt.order_by(Report.created_at.desc(), Report.id.desc())
    return stmt.order_by(
        Report.first_feedback_at.is_not(None),
        Report.feedback_due_at,
        (Report.urgency != Urgency.urgent),
        Report.id,
    )


# Detail and timeline ----------------------------------------------------------------------------


def report_detail(report_id: int, user: User) -> Report:
    report, access = load_report(report_id)
    db.session.execute(
        select(Report).where(Report.id == report.id).options(
            selectinload(Report.author),
            selectinload(Report.transitions).selectinload(ReportTransition.actor),
            selectinload(Report.feedback).selectinload(ReportFeedback.author),
            selectinload(Report.check_ins).selectinload(CheckIn.moderator),
            selectinload(Report.escalation),
        )
    ).unique().all()
    report.timeline = timeline(report, show_notes=access.can_moderate)
    report.called_112_by_me = db.session.scalar(
        select(Called112Mark.id).where(Called112Mark.report_id == report.id, Called112Mark.user_id == user.id)
    ) is not None
    return report


def _transition_actor(report: Report, transition: ReportTransition) -> dict | None:
    actor = transition.actor
    if actor is None:
        return None
    if actor.id == report.author_id:
        return {"display_name": actor.display_name, "role": "reporter"}
    if actor.is_professional:
        return {"display_name": actor.display_name, "organisation": actor.organisation, "role": "professional"}
    return {"display_name": actor.display_name, "role": "admin" if actor.is_admin else "moderator"}


def timeline(report: Report, *, show_notes: bool) -> list[dict]:
    """Transitions, feedback, check-ins and the escalation in time order; check-in notes for moderators."""
    entries: list[tuple] = []
    for t in report.transitions:
        entries.append((t.created_at, 0, t.id, {
            "type": "status_changed", "at": t.created_at, "actor": _transition_actor(report, t),
            "from_status": t.from_status, "to_status": t.to_status,
        }))
    for f in report.feedback:
        entries.append((f.created_at, 1, f.id, {
            "type": "feedback", "at": f.created_at, "actor": f.author_person, "kind": f.kind.value,
            "message": f.message, "professional": f.by_professional,
        }))
    for c in report.check_ins:
        entry = {
            "type": "check_in", "at": c.occurred_at, "actor": c.moderator_person, "kind": c.kind.value,
            "households_reached": c.households_reached, "outcome": c.outcome,
        }
        if show_notes:
            entry["note"] = c.note
        entries.append((c.occurred_at, 2, c.id, entry))
    if report.escalation is not None:
        e = report.escalation
        entries.append((e.created_at, 3, e.id, {
            "type": "escalation", "at": e.created_at, "actor": None,
            "moderators_count": e.moderators_count, "professionals_count": e.professionals_count,
        }))
    # A status change caused by feedback is recorded right after it; feedback sorts first on a tie.
    entries.sort(key=lambda item: (item[0], item[1] != 1, item[1], item[2]))
    return [entry for *_ignored, entry in entries]


# Life cycle -------------------------------------------------------------------------------------


def change_status(report: Report, to_status: ReportStatus, actor_id: int | None, now) -> None:
    from_status = report.status
    report.status = to_status
    if to_status == ReportStatus.resolved:
        report.resolved_at = now
    elif to_status == ReportStatus.closed:
        report.closed_at = now
    elif to_status == ReportStatus.withdrawn:
        report.withdrawn_at = now
    db.session.add(ReportTransition(report_id=report.id, actor_id=actor_id, from_status=from_status,
                                    to_status=to_status, created_at=now))
    db.session.flush()
    events.record("report.status_changed", group_id=report.group_id, actor_id=actor_id, subject_type="report",
                  subject_id=report.id, data={"from": from_status.value, "to": to_status.value})


def close(report_id: int, user: User) -> Report:
    report, access = load_report(report_id)
    access.require_moderator().require_writable()
    if report.is_finished:
        raise Conflict(f"This report is already {report.status.value}.")
    change_status(report, ReportStatus.closed, user.id, clock.now())
    return report


def reopen(report_id: int, user: User) -> Report:
    report, access = load_report(report_id)
    access.require_moderator().require_writable()
    if report.status not in (ReportStatus.resolved, ReportStatus.closed):
        raise Conflict("Only a resolved or closed report can be reopened.")
    if report.anonymised_at is not None:
        raise Conflict("This report was anonymised and cannot be reopened.")
    back_to = ReportStatus.acknowledged if report.first_feedback_at else ReportStatus.open
    report.resolved_at = None
    report.closed_at = None
    change_status(report, back_to, user.id, clock.now())
    return report


def withdraw(report_id: int, user: User) -> Report:
    report, access = load_report(report_id)
    if report.author_id != user.id:
        raise Forbidden("Only the member who filed a report can withdraw it.")
    access.require_writable()
    if report.status not in (ReportStatus.open, ReportStatus.acknowledged):
        raise Conflict("A report can be withdrawn only while it is open or acknowledged.")
    change_status(report, ReportStatus.withdrawn, user.id, clock.now())
    return report


# Feedback ---------------------------------------------------------------------------------------


def give_feedback(report_id: int, data: dict, user: User) -> ReportFeedback:
    """Professionals' and moderators' answers; only a linked professional's answer stops the clock."""
    report, access = load_report(report_id)
    access.require_feedback_giver().require_writable()
    if report.is_finished:
        raise Conflict(f"This report is {report.status.value}; reopen it first.")
    now = clock.now()
    by_professional = access.linked_professional
    feedback = ReportFeedback(report_id=report.id, author_id=user.id, kind=data["kind"], message=data["message"],
                              by_professional=by_professional, created_at=now)
    feedback.author = user
    db.session.add(feedback)
    if by_professional and report.first_feedback_at is None:
        report.first_feedback_at = now
    db.session.flush()
    events.record("report.feedback", group_id=report.group_id, actor_id=user.id, subject_type="report",
                  subject_id=report.id, data={"kind": feedback.kind.value, "professional": by_professional})
    if feedback.kind == FeedbackKind.outcome and report.status != ReportStatus.resolved:
        change_status(report, ReportStatus.resolved, user.id, now)
    elif by_professional and report.status == ReportStatus.open:
        change_status(report, ReportStatus.acknowledged, user.id, now)
    return feedback


def feedback_list(report_id: int) -> list[ReportFeedback]:
    report, _access = load_report(report_id)
    return list(db.session.scalars(
        select(ReportFeedback).where(ReportFeedback.report_id == report.id)
        .options(selectinload(ReportFeedback.author)).order_by(ReportFeedback.created_at, ReportFeedback.id)
    ))

