"""Build groups straight in the database, so tests of reports, help or push need not replay the
whole group set-up through the API (the groups tests do that)."""

from datetime import timedelta

from api.extensions import db
from api.models import (
    Contact,
    ContactKind,
    Group,
    GroupPostcode,
    GroupStatus,
    MemberRole,
    Membership,
    MembershipStatus,
    ProfessionalLink,
    utcnow,
)
from tests.helpers import Actor


def make_group(
    app,
    *,
    moderators: list[Actor],
    members: list[Actor] = (),
    pending: list[Actor] = (),
    professionals: list[Actor] = (),
    status: GroupStatus = GroupStatus.active,
    name: str = "Buurtpreventie Merelbuurt",
    feedback_target_minutes: int = 10,
    postcodes: tuple[str, ...] = ("3011AB", "3012"),
) -> int:
    """An active group with a complete charter; returns its id."""
    with app.app_context():
        group = Group(
            name=name,
            area_description="Merelstraat en omgeving",
            problem="Een golf van inbraken in de winter.",
            goals=["Minder inbraken", "Buren kennen elkaar"],
            house_rules="SAAR: Signaleer, Alarmeer 112, App, Reageer.",
            feedback_target_minutes=feedback_target_minutes,
            review_at=utcnow() + timedelta(days=365),
            status=status,
            activated_at=utcnow() if status != GroupStatus.draft else None,
        )
        group.postcodes = [GroupPostcode(postcode=p) for p in postcodes]
        group.contacts = [
            Contact(kind=ContactKind.emergency, label="Noodnummer", phone="112", position=0),
            Contact(kind=ContactKind.police_non_urgent, label="Politie geen spoed", phone="0900-8844", position=1),
            Contact(kind=ContactKind.community_officer, label="Wijkagent Jansen", phone="0900-8844", position=2),
        ]
        db.session.add(group)
        db.session.flush()
        for actor in moderators:
            db.session.add(Membership(group_id=group.id, user_id=actor.id, role=MemberRole.moderator,
                                      status=MembershipStatus.active, confirmed_adult=True,
                                      confirmed_in_area=True, approved_at=utcnow()))
        for actor in members:
            db.session.add(Membership(group_id=group.id, user_id=actor.id, role=MemberRole.member,
                                      status=MembershipStatus.active, confirmed_adult=True,
                                      confirmed_in_area=True, approved_at=utcnow()))
        for actor in pending:
            db.session.add(Membership(group_id=group.id, user_id=actor.id, role=MemberRole.member,
                                      status=MembershipStatus.pending, confirmed_adult=True,
                                      confirmed_in_area=True))
        for actor in professionals:
            db.session.add(ProfessionalLink(group_id=group.id, user_id=actor.id))
        db.session.commit()
        return group.id
