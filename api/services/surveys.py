"""Safety surveys: which wave a resident may answer, storing answers, withdrawal, anonymous links.

Waves (counted from the day a membership became active):
- ``baseline``: the first ``BASELINE_DAYS`` days, before the group's reports shape how safe one feels.
  A baseline sent later is refused (409), not stored as a follow-up: it would no longer measure "before",
  and mixing it into the 3-month follow-up would blur the change we want to see. The app asks for it on
  joining, so only someone who waited a week misses it.
- ``follow_up``: months 3 and 12, each open for ``SURVEY_FOLLOW_UP_WINDOW_DAYS`` days, so all answers in a
  round describe the same stage of membership.
- ``non_participant``: anonymous, through a link per group (see ``submit_public``).

One answer per resident per wave and round. Withdrawing erases the answers but keeps the empty row, so the
wave is not offered again (answering again after withdrawing would look like a second opinion).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_jwt_extended import current_user
from sqlalchemy import select

from api import surveys as questionnaire
from api.extensions import db
from api.models import Event, Group, Membership, MembershipStatus, SurveyLink, SurveyResponse, SurveyWave, User, utcnow
from api.services import audit, events, tasks
from api.services.access import GroupAccess, group_access
from api.services.errors import Conflict, Forbidden, Invalid, NotFound

BASELINE_DAYS = 7
FOLLOW_UP_START_DAYS = {3: 91, 12: 365}
RESPONSE_NOT_FOUND = "Survey response not found."
LINK_NOT_FOUND = "This survey link does not exist or is no longer open."
FOLLOW_UP_DUE = "survey.follow_up_due"


@dataclass(frozen=True)
class OpenWave:
    wave: SurveyWave
    follow_up_month: int | None
    opens_at: datetime
    closes_at: datetime


def membership_start(membership: Membership) -> datetime:
    return membership.approved_at or membership.joined_at


def wave_windows(membership: Membership) -> list[OpenWave]:
    """Every wave a membership has, open or not, in time order."""
    start = membership_start(membership)
    window = timedelta(days=current_app.config["SURVEY_FOLLOW_UP_WINDOW_DAYS"])
    waves = [OpenWave(SurveyWave.baseline, None, start, start + timedelta(days=BASELINE_DAYS))]
    for month, days in FOLLOW_UP_START_DAYS.items():
        opens = start + timedelta(days=days)
        waves.append(OpenWave(SurveyWave.follow_up, month, opens, opens + window))
    return waves


def _answered(group_id: int, user_id: int) -> set[tuple[str, int]]:
    rows = db.session.execute(
        select(SurveyResponse.wave, SurveyResponse.follow_up_month).where(
            SurveyResponse.group_id == group_id, SurveyResponse.respondent_id == user_id
        )
    )
    return {(wave, month) for wave, month in rows}


def open_waves(membership: Membership | None, now: datetime | None = None,
               done: set[tuple[str, int]] | None = None) -> list[OpenWave]:
    if membership is None or membership.status != MembershipStatus.active:
        return []
    now = now or utcnow()
    if done is None:
        done = _answered(membership.group_id, membership.user_id)
    return [
        w for w in wave_windows(membership)
        if w.opens_at <= now < w.closes_at and (w.wave, w.follow_up_month or 0) not in done
    ]


def my_surveys(group_id: int) -> dict:
    access = group_access(group_id).require_member()
    responses = db.session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.group_id == group_id, SurveyResponse.respondent_id == access.user.id)
        .order_by(SurveyResponse.submitted_at)
    ).all()
    return {
        "group_id": group_id,
        "questionnaire_version": questionnaire.current_version(),
        "open": open_waves(access.membership if access.is_member else None),
        "responses": responses,
    }


def _checked_answers(data: dict) -> tuple[int, dict]:
    version = data["questionnaire_version"]
    if questionnaire.questionnaire(version) is None:
        raise Invalid("Unknown questionnaire version.", {"questionnaire_version": ["No such version."]})
    answers = data["answers"]
    errors = questionnaire.answer_errors(version, answers)
    if errors:
        raise Invalid("Some answers are not valid; see errors.", {"answers": errors})
    return version, answers


def submit(group_id: int, data: dict) -> SurveyResponse:
    access = group_access(group_id).require_writable()
    if not access.is_member:
        raise Forbidden("Only members of this group answer its survey.")
    version, answers = _checked_answers(data)
    wave = SurveyWave(data["wave"])
    candidates = [w for w in open_waves(access.membership) if w.wave == wave]
    if not candidates:
        if wave == SurveyWave.baseline:
            raise Conflict("The starting survey is open only in your first week in the group, once.")
        raise Conflict("No follow-up survey is open for you now (they open after 3 and 12 months, once each).")
    response = SurveyResponse(
        group_id=group_id, wave=wave, follow_up_month=candidates[0].follow_up_month or 0,
        questionnaire_version=version, respondent_id=access.user.id, answers=answers,
    )
    db.session.add(response)
    db.session.flush()
    return response


def withdraw(response_id: int) -> None:
    """Withdraw my own answers (GDPR): they are erased, not just hidden."""
    response = db.session.get(SurveyResponse, response_id)
    if response is None or response.respondent_id != current_user.id:
        # Someone else's response is as invisible as a missing one.
        raise NotFound(RESPONSE_NOT_FOUND)
    if response.withdrawn:
        return
    response.answers = {}
    response.withdrawn = True
    response.withdrawn_at = utcnow()
    db.session.flush()


# --- Anonymous links for non-participants --------------------------------------------------------------


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def device_hash(link_id: int, device_token: str) -> str:
    """Keyed with the server secret and the link, so the stored value cannot be matched to anything else."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{link_id}:{device_token}".encode(), hashlib.sha256).hexdigest()


def link_url(token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/survey/" + token


def create_link(group_id: int, data: dict) -> dict:
    access = group_access(group_id).require_moderator().require_writable()
    token = secrets.token_urlsafe(18)
    days = data.get("expires_in_days") or current_app.config["SURVEY_LINK_DAYS"]
    link = SurveyLink(group_id=group_id, token_hash=_sha256(token), created_by_id=access.user.id,
                      expires_at=utcnow() + timedelta(days=days))
    db.session.add(link)
    db.session.flush()
    audit.record("survey.link_created", actor_id=access.user.id, group_id=group_id,
                 subject_type="survey_link", subject_id=link.id)
    return {"id": link.id, "group_id": group_id, "token": token, "url": link_url(token),
            "expires_at": link.expires_at}


def open_link(token: str) -> tuple[SurveyLink, Group]:
    link = db.session.scalar(select(SurveyLink).where(SurveyLink.token_hash == _sha256(token)))
    group = db.session.get(Group, link.group_id) if link is not None else None
    # An archived group measures nothing any more; its links die with it.
    if link is None or not link.is_open or group is None or group.is_archived:
        raise NotFound(LINK_NOT_FOUND)
    return link, group


def public_survey(token: str) -> dict:
    link, group = open_link(token)
    return {"group_name": group.name, "expires_at": link.expires_at, "questionnaire": questionnaire.questionnaire()}


def submit_public(token: str, data: dict) -> SurveyResponse:
    """A non-participant's answers: no account, no IP address; only a keyed hash of the device token."""
    link, _group = open_link(token)
    version, answers = _checked_answers(data)
    hashed = device_hash(link.id, data["device_token"])
    exists = select(SurveyResponse.id).where(SurveyResponse.link_id == link.id,
                                             SurveyResponse.device_token_hash == hashed)
    if db.session.scalar(exists) is not None:
        raise Conflict("This device has already answered this survey.")
    response = SurveyResponse(group_id=link.group_id, wave=SurveyWave.non_participant, follow_up_month=0,
                              questionnaire_version=version, link_id=link.id, device_token_hash=hashed,
                              answers=answers)
    db.session.add(response)
    db.session.flush()
    return response


# --- Follow-up reminders ---------------------------------------------------------------------------------


def due_follow_ups(user_id: int | None = None, now: datetime | None = None) -> list[tuple[Membership, OpenWave]]:
    now = now or utcnow()
    query = select(Membership).where(Membership.status == MembershipStatus.active)
    if user_id is not None:
        query = query.where(Membership.user_id == user_id)
    due = []
    for membership in db.session.scalars(query):
        for wave in open_waves(membership, now):
            if wave.wave == SurveyWave.follow_up:
                due.append((membership, wave))
    return due


TASK_TITLES = {
    "nl": {0: "Korte vragenlijst: hoe veilig voelt u zich in de buurt?",
           3: "Vragenlijst na 3 maanden: hoe veilig voelt u zich nu?",
           12: "Vragenlijst na een jaar: hoe veilig voelt u zich nu?"},
    "en": {0: "Short questionnaire: how safe do you feel in the neighbourhood?",
           3: "Questionnaire after 3 months: how safe do you feel now?",
           12: "Questionnaire after a year: how safe do you feel now?"},
}


@tasks.provider
def survey_tasks(user: User, now: datetime) -> list[tasks.Task]:
    """Surveys I can answer now, for ``/me/tasks`` (two queries whatever the number of groups)."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.status == MembershipStatus.active)
    ).all()
    if not memberships:
        return []
    answered: dict[int, set[tuple[str, int]]] = {}
    for group_id, wave, month in db.session.execute(
        select(SurveyResponse.group_id, SurveyResponse.wave, SurveyResponse.follow_up_month)
        .where(SurveyResponse.respondent_id == user.id)
    ):
        answered.setdefault(group_id, set()).add((wave, month))
    titles = TASK_TITLES.get(user.locale.value, TASK_TITLES["nl"])
    return [
        tasks.Task(type="survey", group_id=m.group_id, subject_type="survey_wave",
                   subject_id=wave.follow_up_month or 0, title=titles[wave.follow_up_month or 0],
                   created_at=wave.opens_at, due_at=wave.closes_at)
        for m in memberships
        for wave in open_waves(m, now, done=answered.get(m.group_id, set()))
    ]


def record_follow_ups_due() -> int:
    """Sweep job: one ``survey.follow_up_due`` event per member and follow-up round (push delivers it)."""
    done = set()
    for subject_id, data in db.session.execute(
        select(Event.subject_id, Event.data).where(Event.kind == FOLLOW_UP_DUE)
    ):
        done.add((subject_id, (data or {}).get("follow_up_month")))
    count = 0
    for membership, wave in due_follow_ups():
        if (membership.id, wave.follow_up_month) in done:
            continue
        events.record(FOLLOW_UP_DUE, group_id=membership.group_id, subject_type="membership",
                      subject_id=membership.id,
                      data={"user_id": membership.user_id, "follow_up_month": wave.follow_up_month})
        count += 1
    return count


def results_access(group_id: int) -> GroupAccess:
    access = group_access(group_id)
    if not (access.can_moderate or access.linked_professional):
        raise Forbidden("Only moderators, linked professionals and the municipality see survey results.")
    return access
