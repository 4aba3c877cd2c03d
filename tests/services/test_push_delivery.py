# ruff: noqa: F811 - pytest fixtures imported from push_support share their names with arguments
"""Fan-out and delivery end to end: event -> outbox -> worker -> fake push service -> decrypted payload."""

import logging
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update

from api.extensions import db
from api.models import (
    Delivery,
    DeliveryStatus,
    DigestEntry,
    NotificationPreference,
    PushHostBackoff,
    PushSubscription,
    Role,
    utcnow,
)
from api.services import events, notifications
from tests.factories import make_group
from tests.services.push_support import app_config, drain, fake_push, names, record, subscribe  # noqa: F401


def deliveries(app, **where):
    with app.app_context():
        statement = select(Delivery)
        for key, value in where.items():
            statement = statement.where(getattr(Delivery, key) == value)
        rows = db.session.scalars(statement.order_by(Delivery.id)).all()
        db.session.expunge_all()
        return rows


def cast(make_user):
    """Everyone who can relate to a group, each with their own language."""
    return {
        "moderator": make_user(Role.resident, name="Fatima Moderator", locale="en"),
        "author": make_user(Role.resident, name="Anna Auteur"),
        "member": make_user(Role.resident, name="Bram Buur"),
        "pending": make_user(Role.resident, name="Piet Pending"),
        "linked": make_user(Role.professional, name="Wijkagent Jansen"),
        "unlinked": make_user(Role.professional, name="Andere Agent"),
        "outsider": make_user(Role.resident, name="Olga Outsider"),
        "admin": make_user(Role.admin, name="Gemeente"),
    }


def group_with_everyone(app, fake_push, make_user):
    people = cast(make_user)
    group_id = make_group(app, moderators=[people["moderator"]], members=[people["author"], people["member"]],
                          pending=[people["pending"]], professionals=[people["linked"]])
    for key, actor in people.items():
        subscribe(app, fake_push, actor, name=key)
    return people, group_id


def test_urgent_report_reaches_members_moderators_and_professionals_in_their_language(app, fake_push, make_user):
    people, group_id = group_with_everyone(app, fake_push, make_user)
    record(app, "report.created", group_id, actor=people["author"], subject_id=41,
           data={"urgency": "urgent", "category": "burglary"})

    assert drain(app) == 3
    assert names(fake_push.received) == {"moderator", "member", "linked"}
    assert all(r.error is None for r in fake_push.received), [r.error for r in fake_push.received]
    for received in fake_push.received:
        headers = received.headers
        assert headers["urgency"] == "high" and headers["ttl"] == "1800" and headers["topic"] == "report-41"
        assert headers["content-type"] == "application/octet-stream"
        assert headers["content-encoding"] == "aes128gcm"
        assert received.vapid_claims["aud"] == fake_push.origin
        assert received.vapid_claims["sub"].startswith("mailto:")
        payload = received.payload
        assert payload["type"] == "report.urgent" and payload["report_id"] == 41 and payload["group_id"] == group_id
        assert payload["url"] == "/reports/41" and payload["tag"] == "report-41"
        text = str(payload)
        assert not any(p.display_name.split()[0] in text for p in people.values())
    assert fake_push.to("linked")[0].payload["actions"] == ["acknowledge"]
    assert "actions" not in fake_push.to("member")[0].payload
    english = fake_push.to("moderator")[0].payload
    dutch = fake_push.to("member")[0].payload
    assert english["title"] == "Urgent report in your neighbourhood" and "burglary" in english["body"]
    assert dutch["title"] == "Spoedmelding in je buurt" and "inbraak" in dutch["body"]
    assert {d.status for d in deliveries(app)} == {DeliveryStatus.sent}
    with app.app_context():
        assert all(s.last_success_at for s in db.session.scalars(
            select(PushSubscription).where(PushSubscription.endpoint.contains("/member"))))


def test_deliveries_are_written_in_the_events_transaction(app, fake_push, make_user):
    people, group_id = group_with_everyone(app, fake_push, make_user)
    with app.app_context():
        events.record("report.created", group_id=group_id, actor_id=people["author"].id, subject_type="report",
                      subject_id=3, data={"urgency": "urgent", "category": "theft"})
        db.session.rollback()
    assert deliveries(app) == []
    record(app, "report.created", group_id, actor=people["author"], subject_id=3, data={"urgency": "urgent"})
    assert len(deliveries(app, status=DeliveryStatus.pending)) == 3


def test_every_device_of_a_member_gets_it(app, fake_push, make_user):
    member, moderator = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    subscribe(app, fake_push, member, name="phone")
    subscribe(app, fake_push, member, name="laptop")
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})
    drain(app)
    assert names(fake_push.delivered()) == {"phone", "laptop"}


def set_preferences(app, actor, **values):
    with app.app_context():
        preference = db.session.get(NotificationPreference, actor.id) or NotificationPreference(
            user_id=actor.id, help_modes={}, normal_reports=True, timezone="Europe/Amsterdam")
        for key, value in values.items():
            setattr(preference, key, value)
        db.session.add(preference)
        db.session.commit()


def quiet_now() -> dict:
    """Quiet hours that cover the current moment in Amsterdam, ending in about two hours."""
    from zoneinfo import ZoneInfo

    local = datetime.now(ZoneInfo("Europe/Amsterdam"))
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    return {"quiet_hours_start": start, "quiet_hours_end": end}


def test_normal_report_waits_for_the_end_of_quiet_hours_but_urgent_comes_through(app, fake_push, make_user):
    moderator, sleeper, awake, opted_out = make_user(), make_user(), make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[sleeper, awake, opted_out])
    for actor, name in ((sleeper, "sleeper"), (awake, "awake"), (opted_out, "opted_out")):
        subscribe(app, fake_push, actor, name=name)
    set_preferences(app, sleeper, **quiet_now())
    set_preferences(app, opted_out, normal_reports=False)

    record(app, "report.created", group_id, actor=moderator, subject_id=5, data={"urgency": "normal"})
    drain(app)
    assert names(fake_push.delivered()) == {"awake"}
    assert fake_push.delivered()[0].headers["urgency"] == "normal"
    held = deliveries(app, status=DeliveryStatus.pending)
    assert len(held) == 1 and held[0].user_id == sleeper.id
    assert held[0].next_attempt_at > utcnow() + timedelta(minutes=50)

    record(app, "report.created", group_id, actor=moderator, subject_id=6, data={"urgency": "urgent"})
    drain(app)
    urgent = [r for r in fake_push.delivered() if r.payload["report_id"] == 6]
    assert names(urgent) == {"sleeper", "awake", "opted_out"}

    # When the quiet hours are over, the held report goes out.
    with app.app_context():
        db.session.execute(update(Delivery).where(Delivery.id == held[0].id).values(next_attempt_at=utcnow()))
        db.session.commit()
    drain(app)
    assert [r.payload["report_id"] for r in fake_push.to("sleeper")] == [6, 5]


def test_quiet_hours_across_midnight():
    preference = NotificationPreference(quiet_hours_start=time(22), quiet_hours_end=time(7),
                                        timezone="Europe/Amsterdam")
    # 23:30 in Amsterdam in winter (UTC+1) -> held until 07:00 the next morning.
    late = datetime(2026, 1, 10, 22, 30, tzinfo=UTC)
    assert notifications.quiet_hours_end(preference, late) == datetime(2026, 1, 11, 6, 0, tzinfo=UTC)
    early = datetime(2026, 1, 11, 5, 0, tzinfo=UTC)
    assert notifications.quiet_hours_end(preference, early) == datetime(2026, 1, 11, 6, 0, tzinfo=UTC)
    assert notifications.quiet_hours_end(preference, datetime(2026, 1, 11, 12, 0, tzinfo=UTC)) is None


def test_feedback_goes_to_every_member_and_replaces_the_report_notification(app, fake_push, make_user):
    people, group_id = group_with_everyone(app, fake_push, make_user)
    record(app, "report.feedback", group_id, actor=people["linked"], subject_id=9,
           data={"kind": "outcome", "professional": True})
    drain(app)
    assert names(fake_push.delivered()) == {"moderator", "author", "member"}
    for received in fake_push.delivered():
        assert received.headers["topic"] == "report-9" and received.payload["tag"] == "report-9"
    assert fake_push.to("author")[0].payload["title"] == "Afloop van een melding"
    assert fake_push.to("moderator")[0].payload["title"] == "Outcome of a report"


def test_escalation_checkin_and_survey_audiences(app, fake_push, make_user):
    people, group_id = group_with_everyone(app, fake_push, make_user)
    record(app, "report.escalated", group_id, subject_id=11)
    drain(app)
    assert names(fake_push.delivered()) == {"moderator", "linked"}
    fake_push.received.clear()

    record(app, "checkin.task_created", group_id, actor=people["member"], subject_id=11)
    drain(app)
    assert names(fake_push.delivered()) == {"moderator"}
    checkin = fake_push.delivered()[0]
    assert checkin.payload["tag"] == "checkin-11" and checkin.headers["topic"] == "checkin-11"
    assert checkin.headers["urgency"] == "low" and checkin.payload["url"] == "/reports/11"
    fake_push.received.clear()

    record(app, "survey.follow_up_due", group_id, subject_type=None, subject_id=None,
           data={"user_id": people["member"].id})
    drain(app)
    assert names(fake_push.delivered()) == {"member"}
    survey = fake_push.delivered()[0].payload
    assert survey["type"] == "survey.follow_up_due" and survey["url"] == f"/groups/{group_id}/survey"


def test_help_posts_follow_each_members_preference_and_never_reach_the_author(app, fake_push, make_user):
    author, instant, digest, off, moderator = (make_user() for _ in range(5))
    group_id = make_group(app, moderators=[moderator], members=[author, instant, digest, off])
    for actor, name in ((author, "author"), (instant, "instant"), (digest, "digest"), (off, "off")):
        subscribe(app, fake_push, actor, name=name)
    set_preferences(app, digest, help_modes={"lend_request": "digest"})
    set_preferences(app, off, help_modes={"lend_request": "off", "event": "immediate"})

    record(app, "help.created", group_id, actor=author, subject_type="help", subject_id=21,
           data={"kind": "lend_request"})
    drain(app)
    assert names(fake_push.delivered()) == {"instant"}
    received = fake_push.delivered()[0]
    assert received.headers["urgency"] == "low"
    assert received.payload["url"] == "/help/21" and received.payload["type"] == "help.created"

    record(app, "help.created", group_id, actor=author, subject_type="help", subject_id=22,
           data={"kind": "event"})
    drain(app)
    assert names(r for r in fake_push.delivered() if r.payload.get("help_id") == 22) == {"instant", "digest", "off"}

    # The digest: one summary once the daily moment (18:00 local) after the first waiting post has passed.
    with app.app_context():
        assert notifications.send_help_digests() == 0
        db.session.execute(update(DigestEntry).values(created_at=utcnow() - timedelta(days=1)))
        db.session.commit()
        assert notifications.send_help_digests() == 1
        db.session.commit()
        assert db.session.scalars(select(DigestEntry)).all() == []
    drain(app)
    summary = [r for r in fake_push.to("digest") if r.payload["type"] == "help.digest"]
    assert len(summary) == 1 and summary[0].payload["body"] == "1 nieuwe berichten bij Burenhulp."


def test_gone_subscription_is_deleted(app, fake_push, make_user):
    member, moderator = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    subscribe(app, fake_push, member, name="old")
    subscribe(app, fake_push, moderator, name="lost")
    fake_push.script("old", (410, {}))
    fake_push.script("lost", (404, {}))
    record(app, "report.created", group_id, data={"urgency": "urgent"})
    drain(app)
    with app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []
    assert {d.status for d in deliveries(app)} == {DeliveryStatus.gone}


def test_429_backs_off_the_whole_push_host_as_retry_after_says(app, fake_push, make_user):
    members = [make_user() for _ in range(3)]
    group_id = make_group(app, moderators=members[:1], members=members[1:])
    for i, actor in enumerate(members):
        subscribe(app, fake_push, actor, name=f"m{i}")
    for i in range(3):
        fake_push.script(f"m{i}", (429, {"Retry-After": "120"}))
    record(app, "report.created", group_id, data={"urgency": "urgent"})
    drain(app)
    assert fake_push.delivered() == []
    # One 429 stops the rest of the run for that host: the others may not even have been tried.
    assert 1 <= len(fake_push.received) <= 3
    fake_push.scripts.clear()
    with app.app_context():
        backoff = db.session.get(PushHostBackoff, fake_push.origin)
        assert backoff.retry_after > utcnow() + timedelta(seconds=100)
    pending = deliveries(app)
    assert {d.status for d in pending} == {DeliveryStatus.pending}
    assert all(d.next_attempt_at > utcnow() + timedelta(seconds=100) for d in pending)

    # Due again but the host still asks us to wait: nothing is sent.
    with app.app_context():
        db.session.execute(update(Delivery).values(next_attempt_at=utcnow()))
        db.session.commit()
    before = len(fake_push.received)
    drain(app)
    assert len(fake_push.received) == before

    with app.app_context():
        db.session.execute(update(PushHostBackoff).values(retry_after=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    drain(app)
    assert names(fake_push.delivered()) == {"m0", "m1", "m2"}


def test_server_errors_retry_with_backoff_then_fail(app, fake_push, make_user):
    member, moderator = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    subscribe(app, fake_push, member, name="flaky")
    subscribe(app, fake_push, moderator, name="broken")
    fake_push.script("flaky", (500, {}))
    fake_push.script("broken", *[(503, {})] * 10)
    record(app, "report.created", group_id, data={"urgency": "urgent"})
    drain(app)
    rows = {d.subscription_id: d for d in deliveries(app)}
    assert all(d.status == DeliveryStatus.pending and d.attempts == 1 for d in rows.values())
    assert all(d.next_attempt_at > utcnow() + timedelta(seconds=25) for d in rows.values())

    for _ in range(app.config["PUSH_MAX_ATTEMPTS"]):
        with app.app_context():
            db.session.execute(update(Delivery).where(Delivery.status == DeliveryStatus.pending)
                               .values(next_attempt_at=utcnow()))
            db.session.commit()
        drain(app)
    assert names(fake_push.delivered()) == {"flaky"}
    failed = deliveries(app, status=DeliveryStatus.failed)
    assert len(failed) == 1 and failed[0].attempts == app.config["PUSH_MAX_ATTEMPTS"]
    assert "503" in failed[0].last_error


def test_payload_too_large_is_logged_as_our_bug(app, fake_push, make_user, caplog):
    member, moderator = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    subscribe(app, fake_push, member, name="picky")
    fake_push.script("picky", (413, {}))
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})
    with caplog.at_level(logging.ERROR):
        drain(app)
    assert [d.status for d in deliveries(app)] == [DeliveryStatus.failed]
    assert any("too large" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)


def test_a_worker_killed_mid_fan_out_loses_nothing(app, fake_push, make_user):
    from api.push.worker import Worker

    moderator = make_user()
    members = [make_user() for _ in range(6)]
    group_id = make_group(app, moderators=[moderator], members=members)
    for i, actor in enumerate(members):
        subscribe(app, fake_push, actor, name=f"m{i}")
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})

    doomed = Worker(app, name="doomed")
    doomed.batch_size = 4
    with app.app_context():
        _, jobs = doomed.claim()  # ...and the process dies before sending
    doomed.close()
    assert len(jobs) == 4

    # Another worker meanwhile takes only what is not claimed.
    assert drain(app) == 2
    assert len(fake_push.delivered()) == 2
    # Once the dead worker's claims expire, they are taken again.
    with app.app_context():
        db.session.execute(update(Delivery).where(Delivery.status == DeliveryStatus.sending)
                           .values(claimed_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert drain(app) == 4
    assert sorted(r.browser for r in fake_push.delivered()) == [f"m{i}" for i in range(6)]
    assert {d.status for d in deliveries(app)} == {DeliveryStatus.sent}


def test_payloads_stay_small():
    from api.services import push_payload

    for message_type in push_payload.TEXTS:
        for locale in ("nl", "en"):
            payload = push_payload.build(message_type, locale, subject_id=2**31, group_id=2**31,
                                         data={"category": "suspicious_vehicle", "kind": "lend_request", "count": 99})
            assert len(push_payload.encode(payload)) <= push_payload.MAX_PAYLOAD_BYTES


def test_settled_deliveries_are_purged_after_the_retention_period(app, fake_push, make_user):
    member, moderator = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    subscribe(app, fake_push, member, name="phone")
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})
    drain(app)
    with app.app_context():
        old = utcnow() - timedelta(days=app.config["REPORT_RETENTION_DAYS"] + 1)
        first = db.session.scalars(select(Delivery.id).order_by(Delivery.id)).first()
        db.session.execute(update(Delivery).where(Delivery.id == first).values(created_at=old))
        db.session.commit()
        assert notifications.purge_settled_deliveries() == 1
        db.session.commit()
    assert len(deliveries(app)) == 1


def test_redirects_are_not_followed_and_unreachable_hosts_retry(app, fake_push, make_user):
    member, moderator = make_user(), make_user()
    group_id = make_group(app, moderators=[moderator], members=[member])
    subscribe(app, fake_push, member, name="moved")
    fake_push.script("moved", (301, {"Location": f"{fake_push.origin}/push/elsewhere"}))
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})
    drain(app)
    assert [r.browser for r in fake_push.received] == ["moved"]
    assert [d.status for d in deliveries(app)] == [DeliveryStatus.failed]

    # The push service goes away: a connection error is retried later, not lost.
    fake_push.close()
    record(app, "report.created", group_id, actor=moderator, data={"urgency": "urgent"})
    drain(app)
    retried = deliveries(app, status=DeliveryStatus.pending)
    assert len(retried) == 1 and retried[0].attempts == 1 and retried[0].last_error
