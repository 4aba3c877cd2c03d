"""Group health: is the group doing what the research says makes a watch group work?

Indicators are computed from the group's charter, memberships and the domain events every feature records
(``report.created``, ``report.feedback``, ``checkin.logged``, ``help.created`` …), so the view does not depend
on how reports or help posts are stored. Figures cover the last ``WINDOW_DAYS`` days unless named otherwise;
the monthly response-time series covers the last 12 months (for the chart against the target).

Thresholds are deliberately simple and written here, next to the advice they trigger.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select

from api.extensions import db
from api.models import ContactKind, Event, Group, GroupStatus, Membership, MembershipStatus, User, utcnow
from api.services import survey_results
from api.services.errors import Forbidden
from api.services.health_advice import advice
from api.services.survey_stats import median_or_none, percentile

WINDOW_DAYS = 90
ACTIVE_DAYS = 30
SERIES_MONTHS = 12
STATUS_ORDER = {"good": 0, "attention": 1, "problem": 2}
ENDED_WITHOUT_CLOCK = {"withdrawn"}
REPORT_KINDS = ("report.created", "report.feedback", "report.status_changed")
ACTIVITY_KINDS = (*REPORT_KINDS, "checkin.logged", "help.created", "help.reply_created")


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


def moderator_activity(reports: int, check_ins: int, last_check_in: datetime | None, now: datetime,
                       group_start: datetime) -> tuple[str | None, dict]:
    per_report = check_ins / reports if reports else None
    days_since = (now - last_check_in).days if last_check_in else None
    value = {"reports": reports, "check_ins": check_ins, "check_ins_per_report": _round(per_report, 2),
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


def report_timings(events: list[Event], target: int, since: datetime, now: datetime) -> list[dict]:
    """Per report filed since ``since``: minutes to the first professional answer, or overdue."""
    filed, first_answer, withdrawn = {}, {}, set()
    for e in events:
        if e.kind == "report.created" and e.created_at >= since:
            filed[e.subject_id] = e.created_at
        elif e.kind == "report.feedback" and (e.data or {}).get("professional"):
            if e.subject_id not in first_answer or e.created_at < first_answer[e.subject_id]:
                first_answer[e.subject_id] = e.created_at
        elif e.kind == "report.status_changed" and (e.data or {}).get("to") in ENDED_WITHOUT_CLOCK:
            withdrawn.add(e.subject_id)
    timings = []
    for report_id, at in filed.items():
        answered = first_answer.get(report_id)
        minutes = (answered - at).total_seconds() / 60 if answered else None
        due = at + timedelta(minutes=target)
        timings.append({
            "report_id": report_id, "filed_at": at, "minutes": minutes,
            "overdue": answered is None and due <= now and report_id not in withdrawn,
            "withdrawn": report_id in withdrawn,
        })
    return timings


def professional_feedback(timings: list[dict], target: int, now: datetime) -> tuple[str | None, dict]:
    since = now - timedelta(days=WINDOW_DAYS)
    recent = [t for t in timings if t["filed_at"] >= since and not t["withdrawn"]]
    minutes = [t["minutes"] for t in recent if t["minutes"] is not None]
    overdue = sum(t["overdue"] for t in recent)
    # The clock has run its course for answered reports and for overdue ones; others are still running.
    judged = len(minutes) + overdue
    within = sum(m <= target for m in minutes)
    share = within / judged if judged else None
    value = {"reports": len(recent), "answered": len(minutes), "target_minutes": target,
             "median_minutes": _round(median_or_none(minutes)), "p90_minutes": _round(percentile(minutes, 90)),
             "within_target_share": _round(share, 3), "overdue": overdue, "by_month": _by_month(timings, target, now)}
    if share is None:
        return None, value
    if share >= 0.8 and overdue == 0:
        return "good", value
    if share >= 0.5:
        return "attention", value
    return "problem", value


def _by_month(timings: list[dict], target: int, now: datetime) -> list[dict]:
    buckets: dict[str, list[dict]] = defaultdict(list)
    for t in timings:
        if not t["withdrawn"]:
            buckets[t["filed_at"].strftime("%Y-%m")].append(t)
    series = []
    for label in _months_back(now, SERIES_MONTHS):
        rows = buckets.get(label, [])
        minutes = [t["minutes"] for t in rows if t["minutes"] is not None]
        judged = len(minutes) + sum(t["overdue"] for t in rows)
        series.append({"month": label, "reports": len(rows), "median_minutes": _round(median_or_none(minutes)),
                       "p90_minutes": _round(percentile(minutes, 90)),
                       "within_target_share": _round(sum(m <= target for m in minutes) / judged, 3)
                       if judged else None})
    return series


def neighbour_contact(events: list[Event], since: datetime) -> tuple[str, dict]:
    recent = [e for e in events if e.created_at >= since]
    posts = [e for e in recent if e.kind == "help.created"]
    replies = sum(e.kind == "help.reply_created" for e in recent)
    gatherings = sum((e.data or {}).get("kind") == "event" for e in posts)
    reports = sum(e.kind == "report.created" for e in recent)
    contact = len(posts) + replies
    total = contact + reports
    share = contact / total if total else None
    months = WINDOW_DAYS / 30
    value = {"help_posts": len(posts), "replies": replies, "events": gatherings, "reports": reports,
             "help_posts_per_month": _round(len(posts) / months), "replies_per_month": _round(replies / months),
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
    now = now or utcnow()
    since = now - timedelta(days=WINDOW_DAYS)
    series_since = now - timedelta(days=31 * SERIES_MONTHS)
    events = db.session.scalars(
        select(Event).where(Event.group_id == group.id, Event.kind.in_(ACTIVITY_KINDS),
                            Event.created_at >= series_since).order_by(Event.created_at)
    ).all()
    last_check_in = db.session.scalar(
        select(func.max(Event.created_at)).where(Event.group_id == group.id, Event.kind == "checkin.logged")
    )
    target = group.feedback_target_minutes
    recent = [e for e in events if e.created_at >= since]
    timings = report_timings(events, target, series_since, now)
    computed = {
        "charter": charter(group, now),
        "moderator_activity": moderator_activity(
            sum(e.kind == "report.created" for e in recent), sum(e.kind == "checkin.logged" for e in recent),
            last_check_in, now, group.activated_at or group.created_at),
        "professional_feedback": professional_feedback(timings, target, now),
        "neighbour_contact": neighbour_contact(events, since),
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


def health_access(group_id: int):
    from api.services.access import group_access

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
    rows = []
    for group in db.session.scalars(query):
        if area and not any(p.postcode.startswith(area) or area.startswith(p.postcode) for p in group.postcodes):
            continue
        health = group_health(group, user.locale.value)
        if status and health["status"] != status:
            continue
        rows.append(health)
    return rows
