"""The demo neighbourhood holds a realistic, active group built through the real services."""

from sqlalchemy import select

from api.demo import load_demo
from api.demo.groups import load_groups
from api.extensions import db
from api.models import Group, GroupStatus, MembershipStatus, ProfessionalLink
from api.services import memberships
from api.services.charter import missing_for_activation


def test_demo_has_an_active_group_with_members_contacts_and_a_linked_officer(app):
    with app.app_context():
        credentials = load_demo()
        assert {key for key, _, _ in credentials} == {"admin", "professional", "moderator", "resident"}
        group = db.session.scalar(select(Group))
        assert group.name == "Buurtpreventie Oude Noorden" and group.status == GroupStatus.active
        assert missing_for_activation(group, memberships.moderator_count(group.id)) == {}
        # The survey demo adds a year's worth of neighbours (buurNN@…); the named demo people are counted here.
        named = [m for m in group.memberships if not m.user.email.startswith("buur")]
        statuses = sorted(m.status.value for m in named)
        assert statuses.count(MembershipStatus.active.value) == 6 and statuses.count("pending") == 1
        assert memberships.moderator_count(group.id) == 2
        assert len(group.contacts) == 5 and not group.review_due
        link = db.session.scalar(select(ProfessionalLink))
        assert link.group_id == group.id and link.user.email == "wijkagent@demo.buurtwacht.nl"


def test_load_groups_returns_what_later_demo_modules_need(app):
    from api.demo import DemoPeople
    from api.models import Role

    with app.app_context():
        people = DemoPeople()
        people.add("admin", "a@demo.example", "Gemeente", Role.admin)
        people.add("professional", "p@demo.example", "Wijkagent", Role.professional, organisation="Politie")
        people.add("moderator", "m@demo.example", "Fatima")
        people.add("resident", "r@demo.example", "Sanne")
        demo = load_groups(people)
        db.session.commit()
        assert demo.group.id and demo.moderator.email == "m@demo.example"
        assert len(demo.residents) == 5 and demo.residents[0].email == "r@demo.example"
        assert demo.pending.display_name == "Priya Ramdin" and demo.invite.uses == 6
        assert demo.memberships["resident"].status == MembershipStatus.active
