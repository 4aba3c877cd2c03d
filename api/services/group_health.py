"""Group health: is the group doing what the research says makes a watch group work?

Indicators are computed from the group's charter, memberships, reports with their response clock (the same
functions as ``/groups/{id}/stats/response-times``, so both views agree), check-ins, help activity
(``help.activity_counts``) and the survey results. Figures cover the last ``WINDOW_DAYS`` days unless named
otherwise; the monthly response-time series covers the last 12 months (for the chart against the target).
A fixed number of queries per group, whatever its size.

Thresholds are deliberately simple and written here, next to the advice they trigger.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select

from api.extensions import db
from api.models import (
    CheckIn,
    ContactKind,
    Group,
    GroupStatus,
    Membership,
    MembershipStatus,
    Report,
    ReportStatus,
    User,
)
from api.models.report import FINISHED_STATUSES
from api.services import clock, help, response_clock, survey_results
from api.services.access import GroupAccess, group_access
from api.services.errors import Forbidden
from api.services.health_advice import advice

WINDOW_DAYS = 90
ACTIVE_DAYS = 30
SERIES_MONTHS = 12
STATUS_ORDER = {"good": 0, "attention": 1, "problem": 2}


def worst(statuses) -> str | None:
    known = [s for s in statuses if s is not None]
    return max(known, key=STATUS_ORDER.__getitem__) if known else None


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _months_back(now: datetime, count: int) -> list[str]:
    year, month = now.year, now.month
    labels = []
    for _ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return labels[::-1]


# --- Indicators ---------------------------------------------------------------------------------------------


def charter(group: Group, now: datetime) -> tuple[str, dict]:
    missing = [name for name, present in [
        ("problem", bool(group.problem.strip())),
        ("goals", bool(group.goals)),
        ("house_rules", bool(group.house_rules.strip())),
        ("feedback_target_minutes", bool(group.feedback_target_minutes)),
        ("emergency_contact", any(c.kind == ContactKind.emergency for c in group.contacts)),
    ] if not present]
    days_to_review = (group.review_at - now).days
    past_review = group.review_at <= now
    if missing or past_review:
        status = "problem"
    elif days_to_review <= 30:
        status = "attention"
    else:
        status = "good"
    return status, {"complete": not missing, "missing": missing, "review_at": group.review_at.isoformat(),
                    "past_review": past_review, "days_to_review": days_to_review}


def moderator_activity(group: Group, since: datetime, now: datetime) -> tuple[str | None, dict]:
    """Check-ins after reports filed in the period, per report, and days since the last check-in of any kind."""
    reports = db.session.scalar(
        select(func.count(Report.id)).where(Report.group_id == group.id, Report.created_at >= since,
                                            Report.status != ReportStatus.withdrawn)
    )
    check_ins, after_reports = db.session.execute(
        select(func.count(CheckIn.id), func.count(CheckIn.id).filter(CheckIn.report_id.is_not(None)))
        .where(CheckIn.group_id == group.id, CheckIn.occurred_at >= since)
    ).one()
    last_check_in = db.session.scalar(select(func.max(CheckIn.occurred_at)).where(CheckIn.group_id == group.id))
    group_start = group.activated_at or group.created_at
    per_report = after_reports / reports if reports else None
    days_since = (now - last_check_in).days if last_check_in else None
    value = {"reports": reports, "check_ins": check_ins, "check_ins_after_reports": after_reports,
             "check_ins_per_report": _round(per_report, 2),
             "last_check_in_at": last_check_in.isoformat() if last_check_in else None,
             "days_since_last_check_in": days_since}
    idle_days = days_since if days_since is not None else (now - group_start).days
    if reports == 0 and check_ins == 0 and last_check_in is None and idle_days <= 60:
        return None, value
    if idle_days > 60:
        return "problem", value
    if idle_days > 21 or (per_report is not None and per_report < 0.5):
        return "attention", value
    return "good", value


def report_timings(group_id: int, since: datetime, now: datetime) -> list[dict]:
    """The response clock of every report filed since ``since`` (withdrawn ones have no clock), computed the
    same way as ``/groups/{id}/stats/response-times`` so both views agree."""
    rows = db.session.execute(
        select(Report.id, Report.created_at, Report.feedback_due_at, Report.first_feedback_at, Report.status,
               Report.closed_at)
        .where(Report.group_id == group_id, Report.created_at >= since, Report.status != ReportStatus.withdrawn)
    )
    timings = []
    for report_id, created_at, due_at, first_at, status, closed_at in rows:
        stopped_at = closed_at if status == ReportStatus.closed else None
        state = response_clock.state(created_at, due_at, first_at, stopped_at, now)
        timings.append({
            "report_id": report_id, "filed_at": created_at, "minutes": state.response_minutes,
            "target_met": state.target_met, "overdue": state.feedback_overdue,
            # Still waiting for a first professional answer after the due time: the actionable case.
            "waiting": first_at is None and state.feedback_overdue and status not in FINISHED_STATUSES,
        })
    return timings


def _clock_figures(timings: list[dict]) -> dict:
    minutes = [t["minutes"] for t in timings if t["minutes"] is not None]
    decided = [t["target_met"] for t in timings if t["target_met"] is not None]
    return {
        "reports": len(timings), "answered": len(minutes),
        "median_minutes": response_clock.median(minutes),
        "p90_minutes": response_clock.percentile(minutes, 0.9),
        "within_target_share": _round(sum(decided) / len(decided), 3) if decided else None,
        "overdue": sum(t["overdue"] for t in timings),
        "waiting_overdue": sum(t["waiting"] for t in timings),
    }


def professional_feedback(timings: list[dict], target: int, now: datetime) -> tuple[str | None, dict]:
    since = now - timedelta(days=WINDOW_DAYS)
    value = {"target_minutes": target, **_clock_figures([t for t in timings if t["filed_at"] >= since]),
             "by_month": _by_month(timings, now)}
    share = value["within_target_share"]
    if share is None:
        return None, value
    if share >= 0.8 and value["waiting_overdue"] == 0:
        return "good", value
    if share >= 0.5:
        return "attention", value
    return "problem", value


def _by_month(timings: list[dict], now: datetime) -> list[dict]:
    buckets: dict[str, list[dict]] = defaultdict(list)
    for t in timings:
        buckets[t["filed_at"].strftime("%Y-%m")].append(t)
    series = []
    for label in _months_back(now, SERIES_MONTHS):
        figures = _clock_figures(buckets.get(label, []))
        series.append({"month": label, **{k: figures[k] for k in
                                          ("reports", "median_minutes", "p90_minutes", "within_target_share")}})
    return series


def neighbour_contact(activity: dict, reports: int) -> tuple[str, dict]:
    """Help posts, replies and events held next to the reports: a group that only alarms does worse."""
    posts, replies, gatherings = activity["posts"], activity["replies"], activity["events_held"]
    contact = posts + replies
    total = contact + reports
    share = contact / total if total else None
    months = WINDOW_DAYS / 30
    value = {"help_posts": posts, "replies": replies, "events": gatherings, "reports": reports,
             "help_posts_per_month": _round(posts / months), "replies_per_month": _round(replies / months),
             "events_per_month": _round(gatherings / months), "share_of_activity": _round(share, 3)}
    if share is None or share < 0.10:
        return ("attention" if share is None else "problem"), value
    return ("good" if share >= 0.25 else "attention"), value


def participation(group: Group, now: datetime) -> tuple[str, dict]:
    since = now - timedelta(days=ACTIVE_DAYS)
    rows = db.session.execute(
        select(Membership.status, Membership.approved_at, Membership.ended_at, User.last_seen_at)
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id)
    ).all()
    active = [r for r in rows if r.status == MembershipStatus.active]
    seen = sum(r.last_seen_at is not None and r.last_seen_at >= since for r in active)
    joins = sum(r.approved_at is not None and r.approved_at >= since for r in rows)
    leaves = sum(r.status in (MembershipStatus.left, MembershipStatus.removed) and r.ended_at is not None
                 and r.ended_at >= since for r in rows)
    share = seen / len(active) if active else None
    value = {"members": len(active), "joins_last_30_days": joins, "leaves_last_30_days": leaves,
             "active_last_30_days": seen, "active_share": _round(share, 3)}
    if share is None or share < 0.25:
        return "problem", value
    if share < 0.5 or leaves > joins:
        return "attention", value
    return "good", value


def feeling_of_safety(group: Group) -> tuple[str | None, dict]:
    results = survey_results.group_results(group)
    value = {"follow_up_month": None, "direction": None, "cohesion_change": None, "cohesion_change_ci": None,
             "unsafe_change": None, "cohesion_mean": None, "unsafe_share": None,
             "difference_in_differences": None}
    latest = [c for c in results["cells"] if c["respondent_type"] == "participant" and not c["suppressed"]]
    if latest:
        cell = latest[-1]
        value["cohesion_mean"] = None if cell["cohesion"]["suppressed"] else _round(cell["cohesion"]["mean"], 2)
        value["unsafe_share"] = None if cell["unsafe"]["suppressed"] else _round(cell["unsafe"]["share"], 3)
    direction = None
    for change, did in zip(reversed(results["paired_change"]), reversed(results["difference_in_differences"]),
                           strict=True):
        cohesion, unsafe = change["cohesion"], change["unsafe"]
        if cohesion["suppressed"] and unsafe["suppressed"]:
            continue
        value["follow_up_month"] = change["follow_up_month"]
        if not cohesion["suppressed"]:
            value["cohesion_change"] = _round(cohesion["mean"], 2)
            value["cohesion_change_ci"] = [_round(cohesion["ci_low"], 2), _round(cohesion["ci_high"], 2)]
            if cohesion["ci_low"] > 0:
                direction = "improving"
            elif cohesion["ci_high"] < 0:
                direction = "worsening"
        if not unsafe["suppressed"]:
            value["unsafe_change"] = _round(unsafe["change"], 3)
            if unsafe["change"] >= 0.10:
                direction = "worsening"
            elif direction is None and unsafe["change"] <= -0.10:
                direction = "improving"
        direction = direction or "stable"
        if not did["cohesion"]["suppressed"]:
            value["difference_in_differences"] = _round(did["cohesion"]["estimate"], 2)
        break
    value["direction"] = direction
    status = {"improving": "good", "stable": "attention", "worsening": "problem", None: None}[direction]
    return status, value


# --- Assembly -----------------------------------------------------------------------------------------------


def group_health(group: Group, locale: str = "nl", now: datetime | None = None) -> dict:
    now = now or clock.now()
    since = now - timedelta(days=WINDOW_DAYS)
    series_since = now - timedelta(days=31 * SERIES_MONTHS)
    target = group.feedback_target_minutes
    moderators = moderator_activity(group, since, now)
    computed = {
        "charter": charter(group, now),
        "moderator_activity": moderators,
        "professional_feedback": professional_feedback(report_timings(group.id, series_since, now), target, now),
        "neighbour_contact": neighbour_contact(help.activity_counts(group.id, since, now), moderators[1]["reports"]),
        "participation": participation(group, now),
        "feeling_of_safety": feeling_of_safety(group),
    }
    indicators = [{"key": key, "status": status, "value": value, "advice": advice(key, status, locale)}
                  for key, (status, value) in computed.items()]
    return {
        "group_id": group.id,
        "group_name": group.name,
        "group_status": group.status.value,
        "postcodes": [p.postcode for p in group.postcodes],
        "status": worst(i["status"] for i in indicators),
        "period_days": WINDOW_DAYS,
        "generated_at": now,
        "indicators": indicators,
    }


def health_access(group_id: int) -> GroupAccess:
    access = group_access(group_id)
    if not (access.can_moderate or access.linked_professional):
        raise Forbidden("Only moderators, linked professionals and the municipality see the group's health.")
    return access


def all_groups_health(user: User, *, status: str | None = None, area: str | None = None,
                      group_status: str | None = None) -> list[dict]:
    if not user.is_admin:
        raise Forbidden("Only the municipality (admins) sees every group.")
    query = select(Group).order_by(Group.id)
    if group_status:
        query = query.where(Group.status == GroupStatus(group_status))
    area = area.upper().replace(" ", "") if area else None
    rows = []
    for group in db.session.scalars(query):
        if area and not any(p.postcode.startswith(area) or area.startswith(p.postcode) for p in group.postcodes):
            continue
        health = group_health(group, user.locale.value)
        if status and health["status"] != status:
            continue
        rows.append(health)
    return rows
