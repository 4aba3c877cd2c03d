"""A year and a quarter of group life for the demo group: reports answered (faster as the months pass) or
not, moderators' check-ins, and neighbour help. Deterministic (fixed seed) and back-dated, so the health
view and its charts have a history to show.

Written straight to the tables (the services stamp "now"), without domain events: old history must not
set off push messages. Old closed reports are then anonymised by the real sweep job, as in production.
"""

import random
from datetime import datetime, timedelta

from api.extensions import db
from api.models import (
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    FeedbackKind,
    Group,
    HelpKind,
    HelpPost,
    HelpReply,
    HelpStatus,
    Membership,
    Report,
    ReportCategory,
    ReportFeedback,
    ReportStatus,
    ReportTransition,
    Urgency,
    User,
    utcnow,
)
from api.services import response_clock
from api.services.report_sweep import anonymise_old_reports

SEED = 2026
HISTORY_DAYS = 450
CATEGORIES = [ReportCategory.suspicious_situation] * 4 + [ReportCategory.suspicious_person] * 2 + [
    ReportCategory.suspicious_vehicle, ReportCategory.burglary, ReportCategory.attempted_burglary,
    ReportCategory.theft, ReportCategory.theft, ReportCategory.vandalism, ReportCategory.nuisance]
STREETS = ["Zwaanshals 1-40", "Bergweg 120-180", "Noordplein 1-20", "Zaagmolenkade 10-44", "Jacob Loisstraat 2-30"]
HELP_TITLES = {
    HelpKind.lend_request: ["Ladder lenen", "Boormachine nodig", "Aanhanger voor een dag", "Heggenschaar gezocht"],
    HelpKind.lend_offer: ["Partytent te leen", "Bolderkar beschikbaar", "Hogedrukreiniger te leen"],
    HelpKind.favour: ["Planten water geven", "Hulp bij het tillen van een bank", "Kat voeren in de vakantie"],
    HelpKind.event: ["Straatfeest", "Opruimochtend in de achterpaden", "Buurtborrel op het plein"],
}


def start_of_history(group: Group, now: datetime) -> datetime:
    """The demo group has more than a year behind it (the surveys' 12-month wave needs it)."""
    start = now - timedelta(days=HISTORY_DAYS)
    if (group.activated_at or now) > start:
        group.activated_at = start
        group.created_at = min(group.created_at, start)
    return start


def load_history(group: Group, *, moderators: list[User], professional: User, residents: list[User],
                 now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    rng = random.Random(SEED)
    start = start_of_history(group, now)
    # The founders were there from the start.
    for membership in db.session.query(Membership).filter(Membership.group_id == group.id,
                                                          Membership.user_id.in_([m.id for m in moderators])):
        membership.joined_at = membership.approved_at = start
    counts = {"reports": 0, "check_ins": 0, "help_posts": 0}
    day = start + timedelta(days=5)
    while day < now - timedelta(days=3):
        for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
            filed = day + timedelta(days=rng.uniform(0, 7))
            if filed >= now - timedelta(days=3):
                continue
            progress = (filed - start) / (now - start)
            _report(rng, group, filed, progress, now, moderators, professional, residents, counts)
        if rng.random() < 0.3:
            _check_in(rng, group, None, day + timedelta(days=rng.uniform(0, 7)), moderators)
            counts["check_ins"] += 1
        for _ in range(rng.choice([0, 1, 1, 2])):
            _help_post(rng, group, day + timedelta(days=rng.uniform(0, 7)), now, residents + moderators)
            counts["help_posts"] += 1
        day += timedelta(days=7)
    db.session.flush()
    anonymise_old_reports()
    return counts


def _report(rng, group, filed, progress, now, moderators, professional, residents, counts) -> None:
    answered = rng.random() < 0.8 + 0.15 * progress
    # Professionals get faster over the year: a median of ~25 minutes at the start, ~8 at the end.
    minutes = max(1.0, (25 - 17 * progress) * rng.lognormvariate(0, 0.5))
    first = filed + timedelta(minutes=minutes) if answered else None
    age = now - filed
    if answered:
        resolved = first + timedelta(minutes=rng.uniform(20, 600))
        status = ReportStatus.closed if age > timedelta(days=10) else ReportStatus.resolved
        closed = resolved + timedelta(days=7) if status == ReportStatus.closed else None
    else:
        resolved, status, closed = None, ReportStatus.closed, filed + timedelta(days=2)
    report = Report(
        group_id=group.id, author_id=rng.choice(residents).id, category=rng.choice(CATEGORIES),
        urgency=Urgency.urgent if rng.random() < 0.2 else Urgency.normal,
        description="Iets verdachts gezien in het achterpad.", location_text=rng.choice(STREETS),
        occurred_at=filed - timedelta(minutes=rng.uniform(1, 30)), created_at=filed,
        feedback_due_at=response_clock.feedback_due_at(filed, group.feedback_target_minutes),
        first_feedback_at=first, resolved_at=resolved, closed_at=closed, status=status,
    )
    db.session.add(report)
    db.session.flush()
    counts["reports"] += 1
    steps = [(None, ReportStatus.open, filed, report.author_id)]
    if answered:
        db.session.add(ReportFeedback(report_id=report.id, author_id=professional.id, by_professional=True,
                                      kind=FeedbackKind.acknowledgement, message="Gezien, we gaan kijken.",
                                      created_at=first))
        db.session.add(ReportFeedback(report_id=report.id, author_id=professional.id, by_professional=True,
                                      kind=FeedbackKind.outcome, message="Gecontroleerd; niets aan de hand.",
                                      created_at=resolved))
        steps += [(ReportStatus.open, ReportStatus.acknowledged, first, professional.id),
                  (ReportStatus.acknowledged, ReportStatus.resolved, resolved, professional.id)]
        if closed:
            steps.append((ReportStatus.resolved, ReportStatus.closed, closed, None))
    else:
        steps.append((ReportStatus.open, ReportStatus.closed, closed, moderators[0].id))
    for before, after, at, actor in steps:
        db.session.add(ReportTransition(report_id=report.id, actor_id=actor, from_status=before, to_status=after,
                                        created_at=at))
    if rng.random() < 0.55 + 0.2 * progress:
        _check_in(rng, group, report.id, filed + timedelta(minutes=rng.uniform(20, 240)), moderators)
        counts["check_ins"] += 1


def _check_in(rng, group, report_id, at, moderators) -> None:
    kind = rng.choice(list(CheckInKind)) if report_id else CheckInKind.street_walk
    db.session.add(CheckIn(group_id=group.id, report_id=report_id, moderator_id=rng.choice(moderators).id, kind=kind,
                           households_reached=rng.randint(0, 12), note="Rondje gelopen, met buren gesproken.",
                           outcome=rng.choice(list(CheckInOutcome)), occurred_at=at, created_at=at))


def _help_post(rng, group, created, now, people) -> None:
    if created >= now:
        return
    kind = rng.choice([HelpKind.lend_request, HelpKind.lend_offer, HelpKind.favour, HelpKind.favour,
                       HelpKind.event])
    fields = {}
    if kind == HelpKind.event:
        starts = created + timedelta(days=rng.randint(7, 21), hours=15)
        fields = {"starts_at": starts, "ends_at": starts + timedelta(hours=4), "place": "Noordplein"}
    elif kind in (HelpKind.lend_request, HelpKind.lend_offer):
        fields = {"item": "gereedschap", "lend_from": created + timedelta(days=1),
                  "lend_until": created + timedelta(days=rng.randint(2, 10))}
    finished = (fields.get("ends_at") or created + timedelta(days=14)) < now
    post = HelpPost(group_id=group.id, author_id=rng.choice(people).id, kind=kind,
                    title=rng.choice(HELP_TITLES[kind]), description="", created_at=created, updated_at=created,
                    status=HelpStatus.done if finished else HelpStatus.open,
                    closed_at=(fields.get("ends_at") or created + timedelta(days=14)) if finished else None,
                    **fields)
    db.session.add(post)
    db.session.flush()
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        replied = created + timedelta(hours=rng.uniform(1, 72))
        if replied < now:
            db.session.add(HelpReply(post_id=post.id, author_id=rng.choice(people).id, body="Dat kan ik doen!",
                                     created_at=replied))
