"""A realistic active group in Rotterdam's Oude Noorden, set up through the same services as the API.

Going through the services means the demo group passes the same activation rules, and its audit
trail and events look like those of a group a moderator built by hand.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from api.extensions import db
from api.models import Contact, ContactKind, Group, Invite, Membership, User, utcnow
from api.services import groups, invites, memberships, professionals
from api.services.access import group_access

CHARTER = {
    "name": "Buurtpreventie Oude Noorden",
    "area": {
        "postcodes": ["3031", "3032", "3033AB"],
        "description": "Oude Noorden: tussen de Noordsingel, de Zaagmolenkade en de Bergweg, rond het Noordplein.",
    },
    "problem": "Sinds de zomer is in schuurtjes en bergingen aan de achterkant van de Zwaanshals en de "
               "Bergweg ingebroken, en fietsen verdwijnen uit portieken. Buren wisten niet van elkaar wat er "
               "gebeurde en niet wie ze moesten bellen.",
    "goals": [
        "Minder inbraken in schuurtjes en bergingen",
        "Verdachte situaties binnen 10 minuten bij de wijkagent",
        "Buren kennen elkaar en weten wie ze moeten bellen",
        "Donkere plekken in de achterpaden melden bij de gemeente",
    ],
    "feedback_target_minutes": 15,
    "member_limit": 250,
}

LOCAL_CONTACTS = [
    {"kind": ContactKind.community_officer, "label": "Wijkagent Jansen (Politie Rotterdam)", "phone": "0900-8844",
     "url": "https://www.politie.nl/mijn-buurt", "hours": "ma-vr 9:00-17:00", "categories": []},
    {"kind": ContactKind.municipality, "label": "Gemeente Rotterdam, meldingen openbare ruimte", "phone": "14 010",
     "url": "https://www.rotterdam.nl/melden", "hours": "ma-vr 8:00-20:00",
     "categories": ["lighting", "vandalism", "other"]},
    {"kind": ContactKind.moderator, "label": "Fatima, beheerder van de groep", "phone": None, "url": None,
     "hours": "via de app", "categories": []},
]

# (key, email, display name, postcode, house number)
NEIGHBOURS = [
    ("resident_joost", "joost@demo.buurtwacht.nl", "Joost Bakker", "3031AB", "14"),
    ("resident_ayse", "ayse@demo.buurtwacht.nl", "Ayşe Yılmaz", "3032CD", "87B"),
    ("resident_kees", "kees@demo.buurtwacht.nl", "Kees van Dijk", "3033AB", "3"),
    ("resident_naima", "naima@demo.buurtwacht.nl", "Naima El Amrani", "3031XK", "211"),
]
LATECOMER = ("resident_priya", "priya@demo.buurtwacht.nl", "Priya Ramdin", "3032EH", "56")


@dataclass
class DemoGroup:
    group: Group
    moderator: User
    residents: list[User]
    professional: User
    pending: User | None
    invite: Invite
    memberships: dict[str, Membership] = field(default_factory=dict)


def load_groups(people) -> DemoGroup:
    """The Oude Noorden group with its moderator, residents, a pending request and the linked community officer."""
    moderator, resident = people.by_key["moderator"], people.by_key["resident"]
    admin, officer = people.by_key["admin"], people.by_key["professional"]

    view = groups.create_group(moderator, CHARTER)
    group = view.group
    as_moderator = group_access(group.id, user=moderator)
    for position, contact in enumerate(LOCAL_CONTACTS, start=len(group.contacts)):
        group.contacts.append(Contact(position=position, **contact))
    db.session.flush()
    groups.activate(as_moderator)
    group.activated_at = utcnow() - timedelta(days=120)

    invite = invites.create(as_moderator, {"max_uses": 50, "expires_at": utcnow() + timedelta(days=30)})
    demo = DemoGroup(group=group, moderator=moderator, residents=[resident], professional=officer,
                     pending=None, invite=invite)
    demo.memberships["moderator"] = as_moderator.membership
    neighbours = [("resident", resident.email, resident.display_name, "3032AB", "41")] + NEIGHBOURS
    for key, email, name, postcode, house_number in neighbours:
        user = people.by_key.get(key) or people.add(key, email, name, show=False)
        membership = _join(group, user, invite, postcode, house_number)
        memberships.approve(as_moderator, membership.id)
        demo.memberships[key] = membership
        if user is not resident:
            demo.residents.append(user)
    # A second moderator, so the group does not hang on one person.
    memberships.promote(as_moderator, demo.memberships["resident_joost"].id)

    key, email, name, postcode, house_number = LATECOMER
    demo.pending = people.add(key, email, name, show=False)
    demo.memberships[key] = _join(group, demo.pending, invite, postcode, house_number)

    professionals.link(group_access(group.id, user=admin), officer.id)
    db.session.flush()
    return demo


def _join(group: Group, user: User, invite: Invite, postcode: str, house_number: str) -> Membership:
    return memberships.join(group.id, user, {
        "code": invite.code, "confirm_adult": True, "confirm_lives_or_works_in_area": True,
        "postcode": postcode, "house_number": house_number,
    })
