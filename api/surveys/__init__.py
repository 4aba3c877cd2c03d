"""The safety questionnaire as data: ``questionnaire_v<N>.json`` files, the highest version is current.

Questions change only by adding a new file with a higher version; stored answers keep the version they
were given under, so results are never mixed across wordings without saying so.
"""

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
COHESION_ITEMS_REQUIRED = 4


@cache
def questionnaires() -> dict[int, dict]:
    found = {}
    for path in HERE.glob("questionnaire_v*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[int(data["version"])] = data
    return found


def current_version() -> int:
    return max(questionnaires())


def questionnaire(version: int | None = None) -> dict | None:
    return questionnaires().get(current_version() if version is None else version)


def answer_errors(version: int, answers: dict) -> dict[str, list[str]]:
    """Field errors for answers that are not in the questionnaire; every question may be skipped."""
    form = questionnaire(version)
    questions = {q["id"]: q for q in form["questions"]}
    errors: dict[str, list[str]] = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            errors[key] = ["Not a question of this questionnaire."]
            continue
        allowed = _allowed_values(form, question)
        if value not in allowed or isinstance(value, bool):
            errors[key] = ["Must be one of: " + ", ".join(str(v) for v in allowed) + "."]
            continue
        for other, needed in question.get("show_if", {}).items():
            if answers.get(other) != needed:
                errors[key] = [f"Only asked when {other} is {needed}."]
    return errors


def _allowed_values(form: dict, question: dict) -> list:
    if question["type"] == "scale":
        return [option["value"] for option in form["scales"][question["scale"]]]
    return [option["value"] for option in question["options"]]


def cohesion_score(answers: dict, version: int) -> float | None:
    """The CBS-style social cohesion score on 0–10, or None when too few statements were answered.

    Each statement is answered on 1 (strongly disagree) … 5 (strongly agree). Recoded to 0–4 so that a
    higher number always means more cohesion:
        positive statement:  item = answer - 1
        reverse statement ("people hardly know each other"):  item = 5 - answer
    score = mean(items answered) * 10 / 4        (0 = no cohesion at all, 10 = the most)
    A score needs at least 4 of the 5 statements answered: a mean of one or two items would swing on a
    single opinion, and skipping is always allowed.
    """
    form = questionnaire(version)
    items = []
    for question in form["questions"]:
        direction = question.get("cohesion")
        value = answers.get(question["id"])
        if direction is None or value is None:
            continue
        items.append(value - 1 if direction == "positive" else 5 - value)
    if len(items) < COHESION_ITEMS_REQUIRED:
        return None
    return sum(items) / len(items) * 10 / 4


def feels_unsafe(answers: dict) -> bool | None:
    value = answers.get("feels_unsafe_ever")
    return None if value is None else value == "yes"


def unsafe_after_dark(answers: dict) -> bool | None:
    value = answers.get("unsafe_neighbourhood_dark")
    return None if value is None else value == "yes"
