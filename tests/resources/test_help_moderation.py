"""Flagging, hiding and unhiding help posts and replies: nothing is deleted, the author sees why."""

import pytest
from sqlalchemy import select

from api.extensions import db
from api.models import AuditEntry, Flag, HelpPost, HelpReply
from tests.help_support import favour, ladder_request, make_neighbourhood, post_help, reply, street_party
from tests.helpers import assert_error


@pytest.fixture
def hood(app, make_user):
    return make_neighbourhood(app, make_user)


def url(help_id: int, suffix: str = "") -> str:
    return f"/api/v1/help-requests/{help_id}{suffix}"


def replies_as(client, actor, help_id):
    return {r["id"]: r for r in client.get(url(help_id, "/replies"), headers=actor.headers).get_json()}


def test_rude_reply_is_flagged_hidden_and_unhidden(app, client, hood):
    ladder = post_help(client, hood.alice, hood.group_id, ladder_request())
    rude = reply(client, hood.carol, ladder["id"], "Koop zelf een ladder, bedelaar.")

    flagged = client.post(url(ladder["id"], f"/replies/{rude['id']}/flag"), headers=hood.alice.headers,
                          json={"reason": "Onvriendelijk"})
    assert flagged.status_code == 201
    assert flagged.get_json()["reply_id"] == rude["id"] and flagged.get_json()["reason"] == "Onvriendelijk"
    assert_error(client.post(url(ladder["id"], f"/replies/{rude['id']}/flag"), headers=hood.alice.headers,
                             json={"reason": "Nog steeds"}), 409)
    client.post(url(ladder["id"], f"/replies/{rude['id']}/flag"), headers=hood.bob.headers, json={"reason": "Grof"})
    assert replies_as(client, hood.moderator, ladder["id"])[rude["id"]]["flag_count"] == 2
    assert replies_as(client, hood.bob, ladder["id"])[rude["id"]]["flag_count"] is None
    as_moderator = client.get(url(ladder["id"]), headers=hood.moderator.headers).get_json()
    assert [(f["reply_id"], f["reason"]) for f in as_moderator["open_flags"]] == [(rude["id"], "Onvriendelijk"),
                                                                                 (rude["id"], "Grof")]
    assert client.get(url(ladder["id"]), headers=hood.alice.headers).get_json()["open_flags"] is None

    assert_error(client.post(url(ladder["id"], f"/replies/{rude['id']}/hide"), headers=hood.alice.headers,
                             json={"reason": "Zelf opruimen"}), 403)
    hidden = client.post(url(ladder["id"], f"/replies/{rude['id']}/hide"), headers=hood.moderator.headers,
                         json={"reason": "Niet vriendelijk; zie de huisregels."})
    assert hidden.status_code == 200
    assert hidden.get_json()["hidden"] is True and hidden.get_json()["flag_count"] == 0
    assert client.get(url(ladder["id"]), headers=hood.moderator.headers).get_json()["open_flags"] == []
    assert_error(client.post(url(ladder["id"], f"/replies/{rude['id']}/hide"), headers=hood.moderator.headers,
                             json={"reason": "Nogmaals"}), 409)

    # Other members see a placeholder: no text, no reason.
    seen_by_bob = replies_as(client, hood.bob, ladder["id"])[rude["id"]]
    assert seen_by_bob["hidden"] is True and seen_by_bob["body"] is None and seen_by_bob["hidden_reason"] is None
    in_detail = client.get(url(ladder["id"]), headers=hood.alice.headers).get_json()["replies"][0]
    assert in_detail["body"] is None
    # The author sees the text and why; the moderator sees the text.
    seen_by_carol = replies_as(client, hood.carol, ladder["id"])[rude["id"]]
    assert seen_by_carol["body"] == "Koop zelf een ladder, bedelaar."
    assert seen_by_carol["hidden_reason"] == "Niet vriendelijk; zie de huisregels."
    assert replies_as(client, hood.moderator, ladder["id"])[rude["id"]]["body"].startswith("Koop")
    # A hidden reply cannot be accepted.
    assert_error(client.post(url(ladder["id"], f"/replies/{rude['id']}/accept"), headers=hood.alice.headers), 409)

    unhidden = client.post(url(ladder["id"], f"/replies/{rude['id']}/unhide"), headers=hood.admin.headers,
                           json={"reason": "Excuses aangeboden"})
    assert unhidden.status_code == 200 and unhidden.get_json()["hidden"] is False
    assert replies_as(client, hood.bob, ladder["id"])[rude["id"]]["body"].startswith("Koop")
    assert_error(client.post(url(ladder["id"], f"/replies/{rude['id']}/unhide"), headers=hood.moderator.headers),
                 409)

    with app.app_context():
        trail = db.session.execute(
            select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.subject_id, AuditEntry.details)
            .where(AuditEntry.group_id == hood.group_id).order_by(AuditEntry.id)
        ).all()
        assert [(a, actor, subject) for a, actor, subject, _ in trail] == [
            ("help_reply.hidden", hood.moderator.id, rude["id"]),
            ("help_reply.unhidden", hood.admin.id, rude["id"]),
        ]
        assert trail[0].details == {"reason": "Niet vriendelijk; zie de huisregels."}
        assert db.session.get(HelpReply, rude["id"]) is not None
        assert all(f.resolved_at for f in db.session.scalars(select(Flag)))


def test_hidden_post_shows_a_placeholder_to_other_members(app, client, hood):
    advert = post_help(client, hood.bob, hood.group_id, favour(title="Goedkope zonnepanelen!",
                                                               description="Bel 06-12345678"))
    assert client.post(url(advert["id"], "/flag"), headers=hood.carol.headers,
                       json={"reason": "Reclame"}).status_code == 201
    listed = client.get(f"/api/v1/groups/{hood.group_id}/help-requests", headers=hood.moderator.headers).get_json()
    assert listed[0]["flag_count"] == 1

    hidden = client.post(url(advert["id"], "/hide"), headers=hood.moderator.headers,
                         json={"reason": "Reclame hoort hier niet."})
    assert hidden.status_code == 200 and hidden.get_json()["hidden"] is True

    for viewer in (hood.alice, hood.carol):
        for shown in (client.get(url(advert["id"]), headers=viewer.headers).get_json(),
                      client.get(f"/api/v1/groups/{hood.group_id}/help-requests", headers=viewer.headers)
                      .get_json()[0]):
            assert shown["hidden"] is True
            assert shown["title"] is None and shown["description"] is None and shown["hidden_reason"] is None
    as_author = client.get(url(advert["id"]), headers=hood.bob.headers).get_json()
    assert as_author["title"] == "Goedkope zonnepanelen!" and as_author["hidden_reason"] == "Reclame hoort hier niet."
    assert client.get(url(advert["id"]), headers=hood.admin.headers).get_json()["description"] == "Bel 06-12345678"

    # Neighbours cannot answer a hidden post; its author can still edit it, and a moderator can unhide it.
    assert_error(client.post(url(advert["id"], "/replies"), headers=hood.alice.headers, json={"body": "Hoeveel?"}),
                 409)
    assert client.patch(url(advert["id"]), headers=hood.bob.headers,
                        json={"title": "Zonnepanelen, wie heeft ervaring?", "description": ""}).status_code == 200
    shown = client.post(url(advert["id"], "/unhide"), headers=hood.moderator.headers)
    assert shown.status_code == 200
    assert shown.get_json()["hidden"] is False and shown.get_json()["hidden_reason"] is None
    assert client.get(url(advert["id"]), headers=hood.alice.headers).get_json()["title"].startswith("Zonnepanelen")

    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions == ["help_post.hidden", "help_post.unhidden"]
        assert db.session.get(HelpPost, advert["id"]) is not None


def test_hidden_event_takes_no_rsvps(client, hood):
    party = post_help(client, hood.bob, hood.group_id, street_party())
    client.post(url(party["id"], "/hide"), headers=hood.moderator.headers, json={"reason": "Dubbel geplaatst"})
    assert_error(client.put(url(party["id"], "/rsvp"), headers=hood.alice.headers, json={"response": "going"}), 409)


ROLES = ["outsider", "pending", "alice", "bob", "moderator", "linked_professional", "unlinked_professional", "admin"]
HIDERS = {"outsider": 404, "pending": 403, "alice": 403, "bob": 403, "moderator": 200, "linked_professional": 403,
          "unlinked_professional": 404, "admin": 200}
FLAGGERS = {**HIDERS, "alice": 201, "bob": 201, "moderator": 201, "admin": 201}


@pytest.mark.parametrize("role", ROLES)
def test_moderators_hide_members_flag(client, hood, role):
    ladder = post_help(client, hood.bob, hood.group_id, ladder_request())
    from_carol = reply(client, hood.carol, ladder["id"])
    actor = hood.actor(role)
    responses = {
        "flag post": (client.post(url(ladder["id"], "/flag"), headers=actor.headers, json={"reason": "Check"}),
                      FLAGGERS[role]),
        "flag reply": (client.post(url(ladder["id"], f"/replies/{from_carol['id']}/flag"), headers=actor.headers,
                                   json={"reason": "Check"}), FLAGGERS[role]),
        "hide post": (client.post(url(ladder["id"], "/hide"), headers=actor.headers, json={"reason": "Regels"}),
                      HIDERS[role]),
        "hide reply": (client.post(url(ladder["id"], f"/replies/{from_carol['id']}/hide"), headers=actor.headers,
                                   json={"reason": "Regels"}), HIDERS[role]),
    }
    for name, (response, expected) in responses.items():
        if expected < 400:
            assert response.status_code == expected, (name, response.get_json())
        else:
            assert_error(response, expected)


def test_bad_moderation_input_is_refused(client, hood):
    ladder = post_help(client, hood.bob, hood.group_id, ladder_request())
    from_carol = reply(client, hood.carol, ladder["id"])
    assert_error(client.post(url(ladder["id"], "/hide"), headers=hood.moderator.headers, json={}), 422, "reason")
    assert_error(client.post(url(ladder["id"], "/hide"), headers=hood.moderator.headers, json={"reason": " "}),
                 422, "reason")
    assert_error(client.post(url(ladder["id"], "/hide"), headers=hood.moderator.headers,
                             json={"reason": "x" * 301}), 422, "reason")
    assert_error(client.post(url(ladder["id"], "/flag"), headers=hood.alice.headers,
                             json={"reason": "Spam", "severity": "high"}), 422, "severity")
    assert_error(client.post(url(ladder["id"], "/unhide"), headers=hood.moderator.headers), 409)
    assert_error(client.post(url(ladder["id"], "/replies/999999/hide"), headers=hood.moderator.headers,
                             json={"reason": "Regels"}), 404)
    assert_error(client.post(url(999999, f"/replies/{from_carol['id']}/flag"), headers=hood.alice.headers,
                             json={"reason": "Spam"}), 404)
