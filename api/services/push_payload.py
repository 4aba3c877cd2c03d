"""What a push message says: title and body in the recipient's language, a deep link into the PWA, the
tag that lets a newer message replace an older one, the type and ids.

Payloads never carry personal data: no names, no description text, no addresses. They are encrypted
for the device, but still pass through a push service run by someone else.
"""

import json

MAX_PAYLOAD_BYTES = 3 * 1024

CATEGORY_LABELS = {
    "suspicious_situation": ("verdachte situatie", "suspicious situation"),
    "suspicious_person": ("verdacht persoon", "suspicious person"),
    "suspicious_vehicle": ("verdacht voertuig", "suspicious vehicle"),
    "burglary": ("inbraak", "burglary"),
    "attempted_burglary": ("poging tot inbraak", "attempted burglary"),
    "theft": ("diefstal", "theft"),
    "vandalism": ("vandalisme", "vandalism"),
    "fire_or_danger": ("brand of gevaar", "fire or danger"),
    "nuisance": ("overlast", "nuisance"),
    "other": ("overig", "other"),
}
HELP_KIND_LABELS = {
    "lend_request": ("Iemand wil iets lenen", "Someone would like to borrow something"),
    "lend_offer": ("Iemand biedt iets te leen aan", "Someone offers something to lend"),
    "event": ("Nieuwe buurtactiviteit", "New neighbourhood event"),
    "favour": ("Een buur vraagt om hulp", "A neighbour asks for help"),
    "other": ("Nieuw bericht bij Burenhulp", "New neighbour help post"),
}
FEEDBACK_TITLES = {
    "acknowledgement": ("Je melding is gezien", "Your report has been seen"),
    "update": ("Update over een melding", "Update on a report"),
    "outcome": ("Afloop van een melding", "Outcome of a report"),
}
TEXTS = {
    "report.urgent": (
        ("Spoedmelding in je buurt", "Urgent report in your neighbourhood"),
        ("Spoed: {category}. Bel 112 bij direct gevaar. Open de app voor details.",
         "Urgent: {category}. Call 112 in an emergency. Open the app for details."),
    ),
    "report.normal": (
        ("Nieuwe melding in je buurt", "New report in your neighbourhood"),
        ("Melding: {category}. Open de app voor details.", "Report: {category}. Open the app for details."),
    ),
    "report.feedback": (
        None,
        ("Een professional of beheerder heeft gereageerd. Bekijk de melding.",
         "A professional or moderator has responded. Open the report."),
    ),
    "report.escalated": (
        ("Reactietijd verstreken", "Response time passed"),
        ("Een melding wacht nog op een reactie. Open de app om te reageren.",
         "A report is still waiting for a response. Open the app to respond."),
    ),
    "checkin.task_created": (
        ("Nieuwe check-in taak", "New check-in task"),
        ("Een melding vraagt om een bezoek of check-in bij buren.",
         "A report asks for a visit or check-in with neighbours."),
    ),
    "help.created": (
        None,
        ("Open Burenhulp in de app om te reageren.", "Open neighbour help in the app to respond."),
    ),
    "help.digest": (
        ("Burenhulp vandaag", "Neighbour help today"),
        ("{count} nieuwe berichten bij Burenhulp.", "{count} new neighbour help posts."),
    ),
    "survey.follow_up_due": (
        ("Korte vragenlijst", "Short survey"),
        ("Hoe veilig voelt je buurt nu? Het duurt twee minuten.",
         "How safe does your neighbourhood feel now? It takes two minutes."),
    ),
}


def _pick(pair: tuple[str, str], locale: str) -> str:
    return pair[1] if locale == "en" else pair[0]


def build(message_type: str, locale: str, *, subject_id: int | None = None, group_id: int | None = None,
          data: dict | None = None, can_acknowledge: bool = False) -> dict:
    """The JSON payload for one message type in one language."""
    data = data or {}
    title_pair, body_pair = TEXTS[message_type]
    category = _pick(CATEGORY_LABELS.get(data.get("category"), CATEGORY_LABELS["other"]), locale)
    if message_type == "report.feedback":
        title_pair = FEEDBACK_TITLES.get(data.get("kind"), FEEDBACK_TITLES["update"])
    elif message_type == "help.created":
        title_pair = HELP_KIND_LABELS.get(data.get("kind"), HELP_KIND_LABELS["other"])
    body = _pick(body_pair, locale).format(category=category, count=int(data.get("count", 0)))

    if message_type.startswith("report."):
        url, tag, ids = f"/reports/{subject_id}", f"report-{subject_id}", {"report_id": subject_id}
    elif message_type == "checkin.task_created":
        # Its own tag: it must not replace the moderator's notification of the report itself.
        url, tag, ids = f"/reports/{subject_id}", f"checkin-{subject_id}", {"report_id": subject_id}
    elif message_type == "help.created":
        url, tag, ids = f"/help/{subject_id}", f"help-{subject_id}", {"help_id": subject_id}
    elif message_type == "help.digest":
        url, tag, ids = "/help", "help-digest", {}
    else:
        # The follow-up survey of this group opens straight from the notification.
        url, tag, ids = f"/groups/{group_id}/survey", f"survey-{group_id}", {}
    payload = {
        "type": message_type,
        "title": _pick(title_pair, locale),
        "body": body,
        "url": url,
        "tag": tag,
        "group_id": group_id,
        **ids,
    }
    if message_type == "report.urgent":
        payload["urgent"] = True
    if can_acknowledge:
        # The service worker shows an "acknowledge" action for professionals.
        payload["actions"] = ["acknowledge"]
    if len(encode(payload)) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"push payload for {message_type} exceeds {MAX_PAYLOAD_BYTES} bytes")
    return payload


def encode(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
