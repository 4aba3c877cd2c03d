"""Activity counts, the sweep job that closes ended events, and the demo data."""

from datetime import timedelta

from sqlalchemy import select

from api.demo.help import load_help_demo
from api.extensions import db
from api.models import HelpKind, HelpPost, HelpReply, HelpStatus, Rsvp, User, utcnow
from api.services.help import activity_counts, close_ended_events
from tests.factories import make_group


def add_post(group_id: int, author_id: int, kind=HelpKind.favour, age=timedelta(0), **fields) -> HelpPost:
    post = HelpPost(group_id=group_id, author_id=author_id, kind=kind, title="Hulp", created_at=utcnow() - age,
                    **fields)
    db.session.add(post)
    db.session.flush()
    return post


def test_activity_counts_by_group_and_period(app, make_user):
    moderator, member = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    other_group = make_group(app, moderators=[member], name="Andere buurt")
    now = utcnow()
    with app.app_context():
        recent = add_post(group_id, member.id, age=timedelta(days=2))
        add_post(group_id, member.id, age=timedelta(days=40))
        add_post(other_group, member.id, age=timedelta(days=2))
        db.session.add(HelpReply(post_id=recent.id, author_id=moderator.id, body="Ik help", created_at=now))
        held = dict(kind=HelpKind.event, starts_at=now - timedelta(days=3, hours=3), ends_at=now - timedelta(days=3))
        add_post(group_id, moderator.id, age=timedelta(days=20), **held)
        add_post(group_id, moderator.id, age=timedelta(days=20), status=HelpStatus.cancelled, **held)
        add_post(group_id, moderator.id, kind=HelpKind.event, starts_at=now + timedelta(days=1),
                 ends_at=now + timedelta(days=1, hours=2))
        db.session.commit()

        assert activity_counts(group_id, now - timedelta(days=30), now + timedelta(minutes=1)) == {
            "posts": 4, "replies": 1, "events_held": 1,
        }
        # An event that has not ended yet is not "held", even when the period reaches past it.
        assert activity_counts(group_id, now - timedelta(days=1), now + timedelta(days=5))["events_held"] == 0
        assert activity_counts(group_id, now - timedelta(days=60), now - timedelta(days=30)) == {
            "posts": 1, "replies": 0, "events_held": 0,
        }


def test_sweep_stores_done_for_ended_events_only(app, make_user):
    moderator = make_user()
    group_id = make_group(app, moderators=[moderator])
    now = utcnow()
    with app.app_context():
        ended = add_post(group_id, moderator.id, kind=HelpKind.event, starts_at=now - timedelta(hours=3),
                         ends_at=now - timedelta(hours=1))
        cancelled = add_post(group_id, moderator.id, kind=HelpKind.event, starts_at=now - timedelta(hours=3),
                             ends_at=now - timedelta(hours=1), status=HelpStatus.cancelled)
        upcoming = add_post(group_id, moderator.id, kind=HelpKind.event, starts_at=now + timedelta(hours=1),
                            ends_at=now + timedelta(hours=3))
        favour = add_post(group_id, moderator.id)
        db.session.commit()
        assert ended.effective_status == HelpStatus.done and ended.status == HelpStatus.open

        assert close_ended_events() == 1
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(HelpPost, ended.id).status == HelpStatus.done
        assert db.session.get(HelpPost, ended.id).closed_at == db.session.get(HelpPost, ended.id).ends_at
        assert db.session.get(HelpPost, cancelled.id).status == HelpStatus.cancelled
        assert db.session.get(HelpPost, upcoming.id).status == HelpStatus.open
        assert db.session.get(HelpPost, favour.id).status == HelpStatus.open


def test_demo_shows_loans_a_favour_and_an_upcoming_street_party(app, make_user):
    organiser, *neighbours = [make_user() for _ in range(4)]
    group_id = make_group(app, moderators=[organiser], members=neighbours)
    with app.app_context():
        load_help_demo(group_id, db.session.get(User, organiser.id), [db.session.get(User, n.id) for n in neighbours])
        db.session.commit()
        posts = list(db.session.scalars(select(HelpPost).where(HelpPost.group_id == group_id)))
        loans = [p for p in posts if p.is_lending]
        assert len(loans) >= 3 and sum(p.returned_at is not None for p in loans) == 1
        assert any(p.kind == HelpKind.favour for p in posts)
        party = next(p for p in posts if p.is_event)
        assert party.starts_at > utcnow() and party.effective_status == HelpStatus.open
        assert db.session.scalar(select(Rsvp.id).where(Rsvp.post_id == party.id)) is not None
        assert all(p.author_id in {organiser.id, *(n.id for n in neighbours)} for p in posts)


def test_demo_works_with_the_smallest_street(app, make_user):
    organiser, first, second = make_user(), make_user(), make_user()
    group_id = make_group(app, moderators=[organiser], members=[first, second])
    with app.app_context():
        posts = load_help_demo(group_id, db.session.get(User, organiser.id),
                               [db.session.get(User, first.id), db.session.get(User, second.id)])
        db.session.commit()
        for post in posts:
            assert post.arranged_with_id is None or post.arranged_with_id != post.author_id


def test_load_demo_gives_the_demo_group_a_street_party_and_loans(app):
    from api.demo import load_demo
    from api.models import Group

    with app.app_context():
        load_demo()
        group = db.session.scalar(select(Group))
        posts = list(db.session.scalars(select(HelpPost).where(HelpPost.group_id == group.id)))
        assert {p.kind for p in posts} == set(HelpKind) - {HelpKind.other}
        assert any(p.is_event and p.starts_at > utcnow() for p in posts)
        assert db.session.scalar(select(HelpReply.id).limit(1)) is not None
