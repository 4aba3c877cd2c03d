"""A group's survey results: cells per wave and respondent type, paired change and difference-in-differences.

Non-participants answer anonymously, so they cannot be paired. Their answers are placed in the period of
the group's life in which they were given, matching the participants' waves:
    month 0  = before the group started or in its first 3 months   (compared with participants' baseline)
    month 3  = from 3 to 12 months after the start                  (compared with the 3-month follow-up)
    month 12 = 12 months after the start or later                   (compared with the 12-month follow-up)
The difference-in-differences for round r compares participants' paired change (baseline → follow-up r)
with the change among non-participants from month 0 to month r.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from api import surveys as questionnaire
from api.extensions import db
from api.models import Group, SurveyResponse, SurveyWave
from api.services import survey_stats as stats
from api.services.survey_stats import Measures
from api.services.surveys import FOLLOW_UP_START_DAYS

ROUNDS = (3, 12)


def measures(response: SurveyResponse) -> Measures:
    answers = response.answers or {}
    return Measures(
        feels_unsafe=questionnaire.feels_unsafe(answers),
        unsafe_after_dark=questionnaire.unsafe_after_dark(answers),
        cohesion=questionnaire.cohesion_score(answers, response.questionnaire_version),
    )


def group_start(group: Group) -> datetime:
    return group.activated_at or group.created_at


def non_participant_month(group: Group, submitted_at: datetime) -> int:
    elapsed = submitted_at - group_start(group)
    month = 0
    for r in ROUNDS:
        if elapsed >= timedelta(days=FOLLOW_UP_START_DAYS[r]):
            month = r
    return month


def group_results(group: Group) -> dict:
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.group_id == group.id, SurveyResponse.withdrawn.is_(False))
    ).all()
    participant: dict[int, dict[int, Measures]] = {0: {}, 3: {}, 12: {}}
    others: dict[int, list[Measures]] = {0: [], 3: [], 12: []}
    for response in responses:
        if response.wave == SurveyWave.non_participant:
            others[non_participant_month(group, response.submitted_at)].append(measures(response))
        else:
            participant[response.follow_up_month][response.respondent_id] = measures(response)

    cells = []
    for month in (0, *ROUNDS):
        wave = SurveyWave.baseline if month == 0 else SurveyWave.follow_up
        cells.append({"respondent_type": "participant", "wave": wave.value, "month": month,
                      **stats.cell(list(participant[month].values()))})
        cells.append({"respondent_type": "non_participant", "wave": SurveyWave.non_participant.value,
                      "month": month, **stats.cell(others[month])})

    paired, did = [], []
    for r in ROUNDS:
        pairs = [(participant[0][uid], after) for uid, after in participant[r].items() if uid in participant[0]]
        paired.append({"follow_up_month": r, **stats.paired_change(pairs)})
        did.append({"follow_up_month": r, **stats.diff_in_diff(pairs, others[0], others[r])})
    return {
        "group_id": group.id,
        "questionnaire_version": questionnaire.current_version(),
        "min_cell": stats.MIN_CELL,
        "cells": cells,
        "paired_change": paired,
        "difference_in_differences": did,
    }
