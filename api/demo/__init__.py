"""A demo neighbourhood for trying Buurtwacht: ``make demo`` or ``flask --app wsgi demo``.

Passwords are random per load and printed once; nothing here is a default credential.
"""

import secrets

from sqlalchemy import func, select

from api.demo.groups import load_groups
from api.demo.help import load_help_demo
from api.demo.history import load_history
from api.demo.reports import load_demo_reports
from api.demo.surveys import load_surveys
from api.extensions import db
from api.models import Role, User
from api.services import accounts


def demo_password() -> str:
    return "demo-" + secrets.token_urlsafe(12)


def load_demo(force: bool = False) -> list[tuple[str, str, str]] | None:
    if not force and db.session.scalar(select(func.count(User.id))):
        return None
    people = DemoPeople()
    people.add("admin", "gemeente@demo.buurtwacht.nl", "Gemeente Rotterdam", Role.admin)
    people.add("professional", "wijkagent@demo.buurtwacht.nl", "Wijkagent Jansen", Role.professional,
               organisation="Politie Rotterdam")
    people.add("moderator", "moderator@demo.buurtwacht.nl", "Fatima (beheerder)")
    people.add("resident", "bewoner@demo.buurtwacht.nl", "Sanne de Vries")
    db.session.flush()
    demo = load_groups(people)
    load_demo_reports(demo.group.id, reporter=people.by_key["resident"], neighbour=demo.residents[1],
                      moderator=demo.moderator, professional=demo.professional)
    load_help_demo(demo.group.id, organiser=demo.moderator, neighbours=demo.residents)
    # A year of history behind the group for the health view, then the survey waves (they need it).
    moderators = [demo.moderator] + [r for r in demo.residents if r.email.startswith("joost@")]
    load_history(demo.group, moderators=moderators, professional=demo.professional, residents=demo.residents)
    load_surveys(demo.group)
    db.session.commit()
    return people.credentials


class DemoPeople:
    def __init__(self):
        self.credentials: list[tuple[str, str, str]] = []
        self.by_key: dict[str, User] = {}

    def add(self, key: str, email: str, name: str, role: Role = Role.resident, organisation: str | None = None,
            show: bool = True):
        """An account by key; ``show=False`` for neighbours who fill the demo but need not sign in."""
        password = demo_password()
        existing = accounts.find_by_email(email)
        if existing is not None:
            self.by_key[key] = existing
            return existing
        user = accounts.create_user(email=email, password=password, display_name=name, role=role,
                                    organisation=organisation)
        self.by_key[key] = user
        if show:
            self.credentials.append((key, email, password))
        return user
