"""A year of safety-survey waves on the demo group: residents before and after joining, and neighbours who
did not join answering through anonymous links. Deterministic (fixed seed), so the demo always shows the
same figures.

The story it tells matches the research: participants' sense of cohesion rises and fewer feel unsafe, a
little more than among their neighbours outside the group.
"""

import hashlib
import logging
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from api.demo.history import start_of_history
from api.extensions import db
from api.models import (
    Group,
    GroupStatus,
    MemberRole,
    Membership,
    MembershipStatus,
    SurveyLink,
    SurveyResponse,
    SurveyWave,
    User,
    utcnow,
)
from api.services.surveys import FOLLOW_UP_START_DAYS

log = logging.getLogger(__name__)

SEED = 8
NEIGHBOURS = 40
FOUNDING = 28
# Argon2 never produces this, so these demo neighbours can never sign in.
UNUSABLE_PASSWORD = "!demo-neighbour-without-login"
POSITIVE = ("cohesion_know_each_other", "cohesion_pleasant", "cohesion_close_knit", "cohesion_at_home")
# (participants, non-participants): shift of latent cohesion (0–10) and chance of feeling unsafe, per month.
COHESION_SHIFT = {0: (0.0, 0.0), 3: (0.6, 0.1), 12: (1.1, 0.2)}
UNSAFE_CHANCE = {0: (0.45, 0.45), 3: (0.36, 0.44), 12: (0.28, 0.42)}


def demo_group() -> Group | None:
    return db.session.scalar(select(Group).where(Group.status == GroupStatus.active).order_by(Group.id))


def load_surveys(group: Group | None = None, now: datetime | None = None) -> int:
    """Add the survey history to the demo group (the first active group if none is given); returns the
    number of responses made."""
    group = group or demo_group()
    if group is None:
        log.warning("demo surveys skipped: there is no active demo group")
        return 0
    now = now or utcnow()
    rng = random.Random(SEED)
    start = start_of_history(group, now)
    made = 0
    for n in range(NEIGHBOURS):
        made += _participant(rng, group, start, now, n)
    made += _non_participants(rng, group, start, now)
    db.session.flush()
    return made


def _answers(rng: random.Random, latent: float, unsafe_chance: float) -> dict:
    answers = {}
    unsafe = rng.random() < unsafe_chance
    answers["feels_unsafe_ever"] = "yes" if unsafe else "no"
    if unsafe and rng.random() < 0.9:
        answers["unsafe_frequency"] = rng.choice(["often", "sometimes", "sometimes", "rarely", "rarely"])
    if rng.random() < 0.95:
        answers["unsafe_neighbourhood_dark"] = "yes" if rng.random() < unsafe_chance * 0.8 else "no"

    def item() -> int:
        return max(1, min(5, round(1 + latent / 2.5 + rng.gauss(0, 0.6))))

    for key in POSITIVE:
        if rng.random() < 0.95:  # a few statements skipped, as real people do
            answers[key] = item()
    if rng.random() < 0.95:
        answers["cohesion_hardly_know"] = 6 - item()
    answers["trust_report_answered"] = rng.choice(["certainly", "probably", "probably", "probably_not", "dont_know"])
    answers["crime_change"] = rng.choice(["increased", "same", "same", "decreased", "dont_know"])
    return answers


def _participant(rng: random.Random, group: Group, start: datetime, now: datetime, n: int) -> int:
    email = f"buur{n + 1:02d}@demo.buurtwacht.nl"
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, password_hash=UNUSABLE_PASSWORD, display_name=f"Buur {n + 1}",
                    created_at=start)
        db.session.add(user)
        db.session.flush()
    offset = rng.uniform(0, 30) if n < FOUNDING else rng.uniform(30, 330)
    joined = start + timedelta(days=offset)
    user.created_at = min(user.created_at, joined)
    user.last_seen_at = now - timedelta(days=rng.choice([0, 1, 2, 5, 9, 14, 20, 45, 80]))
    if db.session.scalar(select(Membership).where(Membership.group_id == group.id,
                                                  Membership.user_id == user.id)) is None:
        db.session.add(Membership(group_id=group.id, user_id=user.id, role=MemberRole.member,
                                  status=MembershipStatus.active, confirmed_adult=True, confirmed_in_area=True,
                                  joined_at=joined, approved_at=joined))
    latent = min(9.0, max(1.0, rng.gauss(4.8, 1.3)))
    made = 0
    moments = [(0, joined + timedelta(days=rng.uniform(0, 6)), 0.85)]
    for month, days in FOLLOW_UP_START_DAYS.items():
        moments.append((month, joined + timedelta(days=days + rng.uniform(0, 40)), 0.75 if month == 3 else 0.65))
    for month, at, chance in moments:
        if at >= now or rng.random() >= chance:
            continue
        wave = SurveyWave.baseline if month == 0 else SurveyWave.follow_up
        answers = _answers(rng, latent + COHESION_SHIFT[month][0], UNSAFE_CHANCE[month][0])
        db.session.add(SurveyResponse(group_id=group.id, wave=wave, follow_up_month=month, questionnaire_version=1,
                                      respondent_id=user.id, answers=answers, submitted_at=at))
        made += 1
    return made


def _non_participants(rng: random.Random, group: Group, start: datetime, now: datetime) -> int:
    """Three flyer rounds in the area: at the start, around month 5 and after a year."""
    made = 0
    for month, first_day, count in ((0, 5, 26), (3, 140, 22), (12, 370, 21)):
        opened = start + timedelta(days=first_day)
        if opened >= now:
            continue
        link = SurveyLink(group_id=group.id, token_hash=hashlib.sha256(rng.randbytes(18)).hexdigest(),
                          created_at=opened, expires_at=opened + timedelta(days=30))
        db.session.add(link)
        db.session.flush()
        for _ in range(count):
            at = opened + timedelta(days=rng.uniform(0, 25))
            if at >= now:
                continue
            latent = min(9.0, max(1.0, rng.gauss(4.6, 1.3))) + COHESION_SHIFT[month][1]
            db.session.add(SurveyResponse(
                group_id=group.id, wave=SurveyWave.non_participant, questionnaire_version=1, link_id=link.id,
                device_token_hash=hashlib.sha256(rng.randbytes(16)).hexdigest(),
                answers=_answers(rng, latent, UNSAFE_CHANCE[month][1]), submitted_at=at,
            ))
            made += 1
    return made
