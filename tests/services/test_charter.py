"""What a charter needs before a group goes live, and how postcodes are read."""

import pytest

from api.models import Contact, ContactKind, Group, GroupPostcode
from api.schemas.group import normalise_postcode
from api.services.charter import SAAR_HOUSE_RULES, default_contacts, missing_for_activation


def complete_group() -> Group:
    group = Group(name="Test", problem="Inbraken", goals=["Minder inbraken"], house_rules=SAAR_HOUSE_RULES)
    group.postcodes = [GroupPostcode(postcode="3011")]
    group.contacts = default_contacts() + [Contact(kind=ContactKind.community_officer, label="Wijkagent")]
    return group


def test_a_complete_charter_misses_nothing():
    assert missing_for_activation(complete_group(), moderator_count=1) == {}


def test_blank_goals_and_whitespace_do_not_count():
    group = complete_group()
    group.problem, group.goals = "   ", ["  "]
    assert set(missing_for_activation(group, moderator_count=0)) == {"problem", "goals", "moderators"}


def test_the_national_numbers_are_not_a_local_contact():
    group = complete_group()
    group.contacts = default_contacts()
    assert missing_for_activation(group, 1) == {"contacts": [
        "Add at least one named local contact, such as your community officer or the municipality."]}


def test_saar_rules_are_dutch_and_name_112_and_0900_8844():
    for words in ("Signaleer", "Alarmeer", "112", "0900-8844", "App", "Reageer", "eigenrichting", "discriminatie",
                  "foto"):
        assert words in SAAR_HOUSE_RULES


@pytest.mark.parametrize("given, expected", [
    ("3011 ab", "3011AB"), ("3011AB", "3011AB"), (" 3011\tab ", "3011AB"), ("3011", "3011"),
    ("0123AB", None), ("301", None), ("3011A", None), ("3011ABC", None), ("ABCD", None), ("3011 a b", "3011AB"),
])
def test_postcodes_are_normalised_or_refused(given, expected):
    assert normalise_postcode(given) == expected
