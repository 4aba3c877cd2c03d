"""One group with a person in every relation to it, for the access matrices of the groups tests."""

from dataclasses import dataclass

from sqlalchemy import select

from api.extensions import db
from api.models import Contact, ContactKind, Membership, Role
from tests.factories import make_group
from tests.helpers import Actor

ROLES = ["outsider", "pending", "member", "moderator", "linked_professional", "unlinked_professional", "admin"]

# Contact details that only the group's moderators may ever see.
MEMBER_POSTCODE = "3012CD"
MEMBER_HOUSE_NUMBER = "221B"
PENDING_POSTCODE = "3012EF"
PENDING_HOUSE_NUMBER = "7C"


@dataclass
class World:
    group_id: int
    people: dict[str, Actor]
    member_membership_id: int
    pending_membership_id: int
    moderator_membership_id: int
    extra_contact_id: int

    def __getitem__(self, role: str) -> Actor:
        return self.people[role]

    def private_values(self) -> list[str]:
        """Strings that must not appear in responses to anyone but moderators (and the person themselves)."""
        emails = [self.people[r].email for r in ("pending", "member", "moderator")]
        return emails + [MEMBER_POSTCODE, MEMBER_HOUSE_NUMBER, PENDING_POSTCODE, PENDING_HOUSE_NUMBER]


def build_world(app, make_user, **group_kwargs) -> World:
    people = {
        "outsider": make_user(Role.resident, name="Olaf Buiten"),
        "pending": make_user(Role.resident, name="Petra Wacht"),
        "member": make_user(Role.resident, name="Mark Lid"),
        "moderator": make_user(Role.resident, name="Mona Beheer"),
        "linked_professional": make_user(Role.professional, name="Wijkagent Jansen"),
        "unlinked_professional": make_user(Role.professional, name="Wijkagent Elders"),
        "admin": make_user(Role.admin, name="Gemeente"),
    }
    group_id = make_group(app, moderators=[people["moderator"]], members=[people["member"]],
                          pending=[people["pending"]], professionals=[people["linked_professional"]], **group_kwargs)
    with app.app_context():
        by_user = {m.user_id: m for m in db.session.scalars(select(Membership).where(Membership.group_id == group_id))}
        member = by_user[people["member"].id]
        member.postcode, member.house_number = MEMBER_POSTCODE, MEMBER_HOUSE_NUMBER
        pending = by_user[people["pending"].id]
        pending.postcode, pending.house_number = PENDING_POSTCODE, PENDING_HOUSE_NUMBER
        extra = Contact(group_id=group_id, kind=ContactKind.municipality, label="Gemeente, meldingen", phone="14 010",
                        position=3)
        db.session.add(extra)
        db.session.commit()
        return World(group_id, people, member.id, pending.id, by_user[people["moderator"].id].id, extra.id)


def assert_no_private(world: World, response, allowed: tuple[str, ...] = ()) -> None:
    text = response.get_data(as_text=True)
    for value in world.private_values():
        if value not in allowed:
            assert value not in text, f"{value!r} leaked in {text}"
