"""Neighbour help through the API: lending, events with RSVPs, favours; access, lists and bad input."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from api.extensions import db
from api.models import Event, HelpPost, Role, utcnow
from api.sweep import run_sweep
from tests.factories import make_group
from tests.help_support import at, favour, ladder_request, make_neighbourhood, post_help, reply, street_party
from tests.helpers import assert_error, counted_queries


@pytest.fixture
def hood(app, make_user):
    return make_neighbourhood(app, make_user)


def url(help_id: int, suffix: str = "") -> str:
    return f"/api/v1/help-requests/{help_id}{suffix}"


def list_url(group_id: int) -> str:
    return f"/api/v1/groups/{group_id}/help-requests"


def move_event_to_past(app, help_id: int) -> None:
    with app.app_context():
        post = db.session.get(HelpPost, help_id)
        post.starts_at = utcnow() - timedelta(hours=5)
        post.ends_at = utcnow() - timedelta(hours=1)
        db.session.commit()


# --- the "done when" scenario ---------------------------------------------------------------------------------

def test_ladder_is_asked_answered_accepted_and_returned(app, client, hood):
    ladder = post_help(client, hood.alice, hood.group_id, ladder_request())
    assert ladder["status"] == "open" and ladder["item"] == "ladder" and ladder["author"]["display_name"] == "Alice"
    assert "email" not in ladder["author"]

    from_bob = reply(client, hood.bob, ladder["id"], "Ik heb een ladder van 4 meter.")
    reply(client, hood.carol, ladder["id"], "Mijn trapje kun je ook lenen.")

    assert_error(client.post(url(ladder["id"], f"/replies/{from_bob['id']}/accept"), headers=hood.bob.headers), 403)
    assert_error(client.post(url(ladder["id"], f"/replies/{from_bob['id']}/accept"),
                             headers=hood.moderator.headers), 403)
    accepted = client.post(url(ladder["id"], f"/replies/{from_bob['id']}/accept"), headers=hood.alice.headers)
    assert accepted.status_code == 200
    body = accepted.get_json()
    assert body["status"] == "arranged" and body["arranged_with"] == {"id": hood.bob.id, "display_name": "Bob"}
    assert [r["accepted"] for r in body["replies"]] == [True, False]

    assert_error(client.post(url(ladder["id"], "/returned"), headers=hood.bob.headers), 403)
    returned = client.post(url(ladder["id"], "/returned"), headers=hood.alice.headers)
    assert returned.status_code == 200
    assert returned.get_json()["status"] == "done" and returned.get_json()["returned_at"]
    assert_error(client.post(url(ladder["id"], "/returned"), headers=hood.alice.headers), 409)

    detail = client.get(url(ladder["id"]), headers=hood.carol.headers).get_json()
    assert detail["reply_count"] == 2 and len(detail["replies"]) == 2 and detail["returned_at"]

    with app.app_context():
        kinds = db.session.execute(select(Event.kind, Event.data).where(Event.group_id == hood.group_id)).all()
    assert ("help.created", {"kind": "lend_request"}) in kinds
    assert sum(kind == "help.reply_created" for kind, _ in kinds) == 2


def test_street_party_takes_forty_and_refuses_the_forty_first(app, client, make_user):
    moderator = make_user(Role.resident, name="Fatima")
    crowd = [make_user(Role.resident) for _ in range(41)]
    group_id = make_group(app, moderators=[moderator], members=crowd)
    party = post_help(client, moderator, group_id, street_party(max_participants=40))
    assert party["places_left"] == 40 and party["rsvp_counts"] == {"going": 0, "maybe": 0, "not_going": 0}

    for neighbour in crowd[:40]:
        response = client.put(url(party["id"], "/rsvp"), headers=neighbour.headers, json={"response": "going"})
        assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"response": "going", "rsvp_counts": {"going": 40, "maybe": 0, "not_going": 0},
                                   "max_participants": 40, "places_left": 0}
    # Saying "going" again is no new place.
    again = client.put(url(party["id"], "/rsvp"), headers=crowd[0].headers, json={"response": "going"})
    assert again.status_code == 200

    last = crowd[40]
    body = assert_error(client.put(url(party["id"], "/rsvp"), headers=last.headers, json={"response": "going"}), 409)
    assert "full" in body["message"] and "40" in body["message"]
    maybe = client.put(url(party["id"], "/rsvp"), headers=last.headers, json={"response": "maybe"})
    assert maybe.get_json()["rsvp_counts"] == {"going": 40, "maybe": 1, "not_going": 0}

    # Someone drops out: the place is free again.
    client.put(url(party["id"], "/rsvp"), headers=crowd[3].headers, json={"response": "not_going"})
    assert client.put(url(party["id"], "/rsvp"), headers=last.headers, json={"response": "going"}).status_code == 200
    shown = client.get(url(party["id"]), headers=last.headers).get_json()
    assert shown["my_rsvp"] == "going" and shown["places_left"] == 0
    assert shown["rsvp_counts"] == {"going": 40, "maybe": 0, "not_going": 1}


def test_the_last_places_go_to_one_neighbour_each_when_many_answer_at_once(app, client, make_user):
    moderator = make_user(Role.resident)
    crowd = [make_user(Role.resident) for _ in range(8)]
    group_id = make_group(app, moderators=[moderator], members=crowd)
    party = post_help(client, moderator, group_id, street_party(max_participants=3))
    start = threading.Barrier(len(crowd))
    statuses = []

    def answer(neighbour):
        start.wait()
        response = app.test_client().put(url(party["id"], "/rsvp"), headers=neighbour.headers,
                                         json={"response": "going"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=answer, args=(neighbour,)) for neighbour in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] * 3 + [409] * 5
    shown = client.get(url(party["id"]), headers=moderator.headers).get_json()
    assert shown["rsvp_counts"]["going"] == 3


def test_events_close_when_they_end(app, client, hood):
    party = post_help(client, hood.moderator, hood.group_id, street_party())
    going = client.put(url(party["id"], "/rsvp"), headers=hood.bob.headers, json={"response": "going"})
    assert going.status_code == 200
    move_event_to_past(app, party["id"])

    shown = client.get(url(party["id"]), headers=hood.bob.headers).get_json()
    assert shown["status"] == "done" and shown["closed_at"]
    body = assert_error(client.put(url(party["id"], "/rsvp"), headers=hood.bob.headers, json={"response": "maybe"}),
                        409)
    assert "ended" in body["message"]
    assert_error(client.post(url(party["id"], "/replies"), headers=hood.bob.headers, json={"body": "Leuk!"}), 409)
    open_ids = [p["id"] for p in client.get(list_url(hood.group_id) + "?status=open",
                                            headers=hood.bob.headers).get_json()]
    done_ids = [p["id"] for p in client.get(list_url(hood.group_id) + "?status=done",
                                            headers=hood.bob.headers).get_json()]
    assert party["id"] not in open_ids and party["id"] in done_ids

    with app.app_context():
        assert run_sweep()["ended_help_events"] == 1
        assert db.session.get(HelpPost, party["id"]).status == "done"
        assert run_sweep()["ended_help_events"] == 0


def test_favour_is_arranged_then_done_and_cancel_is_final(client, hood):
    plants = post_help(client, hood.alice, hood.group_id, favour())
    from_carol = reply(client, hood.carol, plants["id"], "Doe ik graag.")
    client.post(url(plants["id"], f"/replies/{from_carol['id']}/accept"), headers=hood.alice.headers)
    done = client.post(url(plants["id"], "/done"), headers=hood.alice.headers)
    assert done.get_json()["status"] == "done"
    assert_error(client.post(url(plants["id"], "/cancel"), headers=hood.alice.headers), 409)
    assert_error(client.post(url(plants["id"], "/returned"), headers=hood.alice.headers), 409)

    sofa = post_help(client, hood.bob, hood.group_id, favour(title="Bank dragen"))
    cancelled = client.post(url(sofa["id"], "/cancel"), headers=hood.bob.headers)
    assert cancelled.get_json()["status"] == "cancelled"
    assert_error(client.patch(url(sofa["id"]), headers=hood.bob.headers, json={"title": "Toch wel"}), 409)
    assert_error(client.post(url(sofa["id"], "/replies"), headers=hood.carol.headers, json={"body": "Ik help"}), 409)


def test_author_and_moderator_edit_others_do_not(client, hood):
    ladder = post_help(client, hood.alice, hood.group_id, ladder_request())
    edited = client.patch(url(ladder["id"]), headers=hood.alice.headers, json={"title": "Lange ladder nodig"})
    assert edited.status_code == 200 and edited.get_json()["title"] == "Lange ladder nodig"
    assert client.patch(url(ladder["id"]), headers=hood.moderator.headers,
                        json={"description": "Aangepast door beheerder"}).status_code == 200
    assert_error(client.patch(url(ladder["id"]), headers=hood.bob.headers, json={"title": "Van Bob"}), 403)
    assert_error(client.post(url(ladder["id"], "/cancel"), headers=hood.bob.headers), 403)
    assert client.post(url(ladder["id"], "/cancel"), headers=hood.moderator.headers).status_code == 200


def test_idempotency_key_makes_retries_safe(app, client, hood):
    headers = {**hood.alice.headers, "Idempotency-Key": "8b0f6c1e-ladder"}
    body = ladder_request()
    first = client.post(list_url(hood.group_id), headers=headers, json=body)
    replayed = client.post(list_url(hood.group_id), headers=headers, json=body)
    assert first.status_code == 201
    assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.get_json()["id"] == first.get_json()["id"]
    assert_error(client.post(list_url(hood.group_id), headers=headers, json=favour()), 422, "Idempotency-Key")
    with app.app_context():
        assert db.session.query(HelpPost).count() == 1
        assert db.session.query(Event).filter(Event.kind == "help.created").count() == 1

    # A refused request does not use up its key: once the input is right, the same key works.
    retry_headers = {**hood.bob.headers, "Idempotency-Key": "party-1"}
    assert_error(client.post(list_url(hood.group_id), headers=retry_headers, json=street_party(place=None)), 422)
    assert client.post(list_url(hood.group_id), headers=retry_headers, json=street_party()).status_code == 201

    reply_headers = {**hood.bob.headers, "Idempotency-Key": "reply-1"}
    answered = client.post(url(first.get_json()["id"], "/replies"), headers=reply_headers, json={"body": "Ik!"})
    retried = client.post(url(first.get_json()["id"], "/replies"), headers=reply_headers, json={"body": "Ik!"})
    assert retried.headers["Idempotent-Replayed"] == "true" and retried.get_json()["id"] == answered.get_json()["id"]
    assert_error(client.post(url(first.get_json()["id"], "/replies"), headers=reply_headers,
                             json={"body": "Iets anders"}), 422, "Idempotency-Key")


# --- lists ----------------------------------------------------------------------------------------------------

def test_list_puts_upcoming_events_first_then_newest_and_filters(app, client, hood):
    plants = post_help(client, hood.alice, hood.group_id, favour())
    later = post_help(client, hood.moderator, hood.group_id, street_party(starts_at=at(days=10),
                                                                          ends_at=at(days=10, hours=3)))
    soon = post_help(client, hood.bob, hood.group_id, street_party(title="Opruimdag", starts_at=at(days=2),
                                                                   ends_at=at(days=2, hours=2)))
    ended = post_help(client, hood.bob, hood.group_id, street_party(title="BBQ"))
    move_event_to_past(app, ended["id"])
    ladder = post_help(client, hood.carol, hood.group_id, ladder_request())

    response = client.get(list_url(hood.group_id), headers=hood.alice.headers)
    assert [p["id"] for p in response.get_json()] == [soon["id"], later["id"], ladder["id"], ended["id"], plants["id"]]
    assert "X-Pagination" in response.headers

    events = client.get(list_url(hood.group_id) + "?kind=event", headers=hood.alice.headers).get_json()
    assert [p["id"] for p in events] == [soon["id"], later["id"], ended["id"]]
    open_events = client.get(list_url(hood.group_id) + "?kind=event&status=open", headers=hood.alice.headers)
    assert [p["id"] for p in open_events.get_json()] == [soon["id"], later["id"]]
    page = client.get(list_url(hood.group_id) + "?page=2&page_size=2", headers=hood.alice.headers).get_json()
    assert [p["id"] for p in page] == [ladder["id"], ended["id"]]


def test_list_takes_the_same_number_of_queries_for_any_page_size(app, client, hood):
    people = [hood.alice, hood.bob, hood.carol]
    for n in range(60):
        author = people[n % 3]
        body = street_party(title=f"Feest {n}") if n % 3 == 0 else ladder_request(title=f"Ladder {n}")
        post = post_help(client, author, hood.group_id, body)
        reply(client, people[(n + 1) % 3], post["id"])
        if n % 3 == 0:
            client.put(url(post["id"], "/rsvp"), headers=people[1].headers, json={"response": "going"})

    def count_queries(page_size: int) -> int:
        with counted_queries(app) as statements:
            response = client.get(list_url(hood.group_id) + f"?page_size={page_size}", headers=hood.bob.headers)
        assert response.status_code == 200 and len(response.get_json()) == page_size
        assert all(p["reply_count"] == 1 for p in response.get_json())
        return len(statements)

    small, large = count_queries(5), count_queries(50)
    # Token and membership checks, then one count and one page of posts with their counts and authors.
    assert small == large <= 8


# --- access ---------------------------------------------------------------------------------------------------

ROLES = ["outsider", "pending", "alice", "moderator", "linked_professional", "unlinked_professional", "admin"]
# Members only; outsiders and professionals without a link never learn the group exists.
MEMBERS_ONLY = {"outsider": 404, "pending": 403, "alice": 200, "moderator": 200, "linked_professional": 403,
                "unlinked_professional": 404, "admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_reading_is_for_members_only(client, hood, role):
    ladder = post_help(client, hood.bob, hood.group_id, ladder_request())
    actor = hood.actor(role)
    expected = MEMBERS_ONLY[role]
    for path in (list_url(hood.group_id), url(ladder["id"]), url(ladder["id"], "/replies")):
        response = client.get(path, headers=actor.headers)
        if expected == 200:
            assert response.status_code == 200, (path, response.get_json())
        else:
            body = assert_error(response, expected)
            if expected == 404 and "help-requests/" in path:
                assert body["message"] == "Help request not found."


@pytest.mark.parametrize("role", ROLES)
def test_posting_replying_and_rsvp_are_for_members_only(client, hood, role):
    party = post_help(client, hood.bob, hood.group_id, street_party())
    actor = hood.actor(role)
    expected = {**MEMBERS_ONLY}
    created = client.post(list_url(hood.group_id), headers=actor.headers, json=favour())
    answered = client.post(url(party["id"], "/replies"), headers=actor.headers, json={"body": "Ik kom!"})
    rsvp = client.put(url(party["id"], "/rsvp"), headers=actor.headers, json={"response": "going"})
    flagged = client.post(url(party["id"], "/flag"), headers=actor.headers, json={"reason": "Reclame"})
    for response, ok in ((created, 201), (answered, 201), (rsvp, 200), (flagged, 201)):
        if expected[role] == 200:
            assert response.status_code == ok, response.get_json()
        else:
            assert_error(response, expected[role])


CHANGERS = {"outsider": 404, "pending": 403, "alice": 403, "bob": 200, "moderator": 200, "linked_professional": 403,
            "unlinked_professional": 404, "admin": 200}


@pytest.mark.parametrize("role", sorted(CHANGERS))
def test_only_the_author_or_a_moderator_changes_a_post(client, hood, role):
    ladder = post_help(client, hood.bob, hood.group_id, ladder_request())
    actor = hood.actor(role)
    changed = client.patch(url(ladder["id"]), headers=actor.headers, json={"title": "Andere ladder"})
    cancelled = client.post(url(ladder["id"], "/cancel"), headers=actor.headers)
    for response in (changed, cancelled):
        if CHANGERS[role] == 200:
            assert response.status_code == 200, response.get_json()
        else:
            assert_error(response, CHANGERS[role])


@pytest.mark.parametrize("role", sorted(CHANGERS))
def test_only_the_author_accepts_a_reply(client, hood, role):
    ladder = post_help(client, hood.bob, hood.group_id, ladder_request())
    from_carol = reply(client, hood.carol, ladder["id"])
    response = client.post(url(ladder["id"], f"/replies/{from_carol['id']}/accept"), headers=hood.actor(role).headers)
    expected = {"bob": 200, "outsider": 404, "unlinked_professional": 404}.get(role, 403)
    if expected == 200:
        assert response.status_code == 200
    else:
        assert_error(response, expected)


ACTIVITY_READERS = {**MEMBERS_ONLY, "alice": 403}


@pytest.mark.parametrize("role", ROLES)
def test_activity_counts_are_for_moderators_and_admins(client, hood, role):
    response = client.get(f"/api/v1/groups/{hood.group_id}/help-activity", headers=hood.actor(role).headers)
    if ACTIVITY_READERS[role] == 200:
        assert response.status_code == 200 and set(response.get_json()) >= {"posts", "replies", "events_held"}
    else:
        assert_error(response, ACTIVITY_READERS[role])


def test_activity_counts_posts_replies_and_events_held(app, client, hood):
    ladder = post_help(client, hood.alice, hood.group_id, ladder_request())
    reply(client, hood.bob, ladder["id"])
    reply(client, hood.carol, ladder["id"])
    held = post_help(client, hood.moderator, hood.group_id, street_party())
    move_event_to_past(app, held["id"])
    post_help(client, hood.moderator, hood.group_id, street_party(title="Nog niet"))
    cancelled = post_help(client, hood.moderator, hood.group_id, street_party(title="Afgelast"))
    client.post(url(cancelled["id"], "/cancel"), headers=hood.moderator.headers)
    move_event_to_past(app, cancelled["id"])

    body = client.get(f"/api/v1/groups/{hood.group_id}/help-activity", headers=hood.moderator.headers).get_json()
    assert (body["posts"], body["replies"], body["events_held"]) == (4, 2, 1)
    assert body["group_id"] == hood.group_id and body["from"] < body["to"]
    earlier = client.get(f"/api/v1/groups/{hood.group_id}/help-activity",
                         query_string={"from": at(days=-60), "to": at(days=-30)}, headers=hood.admin.headers)
    assert (earlier.get_json()["posts"], earlier.get_json()["replies"]) == (0, 0)


def test_missing_posts_and_replies_answer_404(client, hood):
    ladder = post_help(client, hood.alice, hood.group_id, ladder_request())
    other_group = make_group(client.application, moderators=[hood.outsider], name="Elders")
    elsewhere = post_help(client, hood.outsider, other_group, favour())
    elsewhere_reply = reply(client, hood.outsider, elsewhere["id"])
    missing = assert_error(client.get(url(999999), headers=hood.alice.headers), 404)
    hidden = assert_error(client.get(url(elsewhere["id"]), headers=hood.alice.headers), 404)
    assert missing["message"] == hidden["message"]
    assert_error(client.get(list_url(999999), headers=hood.alice.headers), 404)
    # A reply of another post is not a reply of this one.
    assert_error(client.post(url(ladder["id"], f"/replies/{elsewhere_reply['id']}/accept"),
                             headers=hood.alice.headers), 404)


# --- bad input ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**favour(), "group_id": 5}, "group_id"),
        ({**favour(), "status": "done"}, "status"),
        ({**favour(), "kind": "party"}, "kind"),
        ({**favour(), "title": "   "}, "title"),
        ({**favour(), "title": "x" * 121}, "title"),
        ({k: v for k, v in favour().items() if k != "title"}, "title"),
        (street_party(ends_at=at(days=6)), "ends_at"),
        (street_party(starts_at=at(days=-2), ends_at=at(days=-1)), "ends_at"),
        ({k: v for k, v in street_party().items() if k != "place"}, "place"),
        (street_party(max_participants=0), "max_participants"),
        (favour(starts_at=at(days=1)), "starts_at"),
        (favour(place="Merelstraat"), "place"),
        (favour(max_participants=10), "max_participants"),
        (favour(item="ladder"), "item"),
        (ladder_request(lend_from=at(days=-5), lend_until=at(days=-1)), "lend_until"),
        (ladder_request(lend_until=at(hours=1), lend_from=at(days=2)), "lend_until"),
        (ladder_request(item=None), "item"),
        (ladder_request(starts_at=at(days=1)), "starts_at"),
        ({**ladder_request(), "lend_from": "morgen"}, "lend_from"),
    ],
)
def test_bad_posts_are_refused_with_field_errors(client, hood, body, field):
    response = client.post(list_url(hood.group_id), headers=hood.alice.headers, json=body)
    body = assert_error(response, 422, field)
    assert body["errors"][field][0]


def test_bad_changes_rsvps_replies_and_queries_are_refused(app, client, hood):
    party = post_help(client, hood.moderator, hood.group_id, street_party(max_participants=10))
    ladder = post_help(client, hood.alice, hood.group_id, ladder_request())
    for actor in (hood.alice, hood.bob):
        client.put(url(party["id"], "/rsvp"), headers=actor.headers, json={"response": "going"})

    assert_error(client.patch(url(party["id"]), headers=hood.moderator.headers, json={"kind": "favour"}), 422, "kind")
    assert_error(client.patch(url(party["id"]), headers=hood.moderator.headers, json={"max_participants": 1}),
                 422, "max_participants")
    assert_error(client.patch(url(party["id"]), headers=hood.moderator.headers, json={"ends_at": at(days=6)}),
                 422, "ends_at")
    assert_error(client.patch(url(party["id"]), headers=hood.moderator.headers, json={"item": "tent"}), 422, "item")
    assert_error(client.patch(url(ladder["id"]), headers=hood.alice.headers, json={"lend_until": at(days=-1)}),
                 422, "lend_until")
    assert_error(client.patch(url(ladder["id"]), headers=hood.alice.headers, json={"place": "hier"}), 422, "place")

    assert_error(client.put(url(party["id"], "/rsvp"), headers=hood.bob.headers, json={"response": "ja"}),
                 422, "response")
    assert_error(client.put(url(party["id"], "/rsvp"), headers=hood.bob.headers, json={}), 422, "response")
    body = assert_error(client.put(url(ladder["id"], "/rsvp"), headers=hood.bob.headers, json={"response": "going"}),
                        409)
    assert "events" in body["message"]
    assert_error(client.post(url(ladder["id"], "/replies"), headers=hood.bob.headers, json={"body": ""}), 422, "body")
    assert_error(client.post(url(ladder["id"], "/replies"), headers=hood.bob.headers,
                             json={"body": "ok", "accepted": True}), 422, "accepted")
    assert_error(client.post(url(ladder["id"], "/replies"), headers=hood.bob.headers, data="body=ok",
                             content_type="application/x-www-form-urlencoded"), 415)

    assert_error(client.get(list_url(hood.group_id) + "?kind=party", headers=hood.bob.headers), 422, "kind")
    assert_error(client.get(list_url(hood.group_id) + "?page_size=1000", headers=hood.bob.headers), 422)
    assert_error(client.get(f"/api/v1/groups/{hood.group_id}/help-activity",
                            query_string={"from": at(days=-1), "to": at(days=-2)}, headers=hood.moderator.headers),
                 422, "to")

    # The author cannot accept their own reply, and an event is not arranged with one neighbour.
    own = reply(client, hood.alice, ladder["id"], "Of ik leen er zelf een.")
    assert_error(client.post(url(ladder["id"], f"/replies/{own['id']}/accept"), headers=hood.alice.headers), 409)
    on_party = reply(client, hood.bob, party["id"], "Ik neem een tafel mee.")
    assert_error(client.post(url(party["id"], f"/replies/{on_party['id']}/accept"),
                             headers=hood.moderator.headers), 409)
    assert_error(client.post(url(ladder["id"], "/returned"), headers=hood.alice.headers), 409)
