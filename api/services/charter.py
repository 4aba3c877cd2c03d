"""What a group starts with, and what its charter needs before the group may go live."""

from api.models import Contact, ContactKind, Group

SAAR_HOUSE_RULES = """Huisregels (SAAR)
1. Signaleer: zie je iets verdachts, let goed op: wie, wat, waar en wanneer.
2. Alarmeer: bel eerst 112 bij spoed, of 0900-8844 als het geen spoed heeft.
3. App: meld het daarna in de groep en zeg erbij dat je 112 hebt gebeld.
4. Reageer: kom alleen in actie als het veilig is en volg de aanwijzingen van de politie.

Geen eigenrichting: we houden niemand zelf aan en gaan niemand achterna.
Geen discriminatie: we melden gedrag, niet iemands uiterlijk of afkomst.
Geen herkenbare foto's of video's van personen: opsporen is het werk van de politie.
Blijf bij het onderwerp: deze groep gaat over veiligheid in de buurt."""

EMERGENCY_PHONE = "112"
POLICE_NON_URGENT_PHONE = "0900-8844"

# Contacts that are not the national numbers: someone in or near the neighbourhood to reach by name.
LOCAL_CONTACT_KINDS = {ContactKind.community_officer, ContactKind.municipality, ContactKind.moderator,
                       ContactKind.other}


def default_contacts() -> list[Contact]:
    return [
        Contact(kind=ContactKind.emergency, label="Alarmnummer (spoed)", phone=EMERGENCY_PHONE,
                hours="Altijd", position=0),
        Contact(kind=ContactKind.police_non_urgent, label="Politie, geen spoed", phone=POLICE_NON_URGENT_PHONE,
                hours="Altijd", position=1),
    ]


def missing_for_activation(group: Group, moderator_count: int) -> dict[str, list[str]]:
    """What still has to be filled in, keyed by field, in words a moderator understands."""
    missing: dict[str, list[str]] = {}
    if not group.problem.strip():
        missing["problem"] = ["Describe the problem this group exists for, for example a wave of burglaries."]
    if not [goal for goal in group.goals if goal.strip()]:
        missing["goals"] = ["Add at least one concrete goal."]
    if not group.house_rules.strip():
        missing["house_rules"] = ["Write down the house rules (the SAAR rules are a good start)."]
    if not group.postcodes:
        missing["area"] = ["Add at least one postcode the group covers."]
    if moderator_count < 1:
        missing["moderators"] = ["The group needs at least one moderator."]
    kinds = {contact.kind for contact in group.contacts}
    contacts = []
    if ContactKind.emergency not in kinds:
        contacts.append("Add the emergency number (112) to the contacts.")
    if ContactKind.police_non_urgent not in kinds:
        contacts.append("Add the police non-urgent number (0900-8844) to the contacts.")
    if not kinds & LOCAL_CONTACT_KINDS:
        contacts.append("Add at least one named local contact, such as your community officer or the municipality.")
    if contacts:
        missing["contacts"] = contacts
    return missing
