"""Neighbour help: lending, events, favours; replies, RSVPs, flags and moderation."""

from flask.views import MethodView

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import GROUP_ID, id_param
from api.schemas.help import (
    FlagSchema,
    HelpActivityQuerySchema,
    HelpActivitySchema,
    HelpPostCreateSchema,
    HelpPostDetailSchema,
    HelpPostSchema,
    HelpPostUpdateSchema,
    HelpQuerySchema,
    HelpReplyCreateSchema,
    HelpReplySchema,
    ReasonSchema,
    RsvpResultSchema,
    RsvpSchema,
    UnhideSchema,
)
from api.services import help, moderation
from api.services.idempotency import idempotent

HELP_ID = id_param("help_id")
REPLY_ID = id_param("reply_id")

blp = Blueprint("help", __name__, url_prefix="/api/v1", description="Neighbour help: lending, events, favours")


@blp.route(f"/groups/{GROUP_ID}/help-requests")
class HelpRequests(MethodView):
    @blp.auth_required
    @blp.arguments(HelpQuerySchema, location="query")
    @blp.response(200, HelpPostSchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403, 404)
    def get(self, filters, group_id):
        """List a group's help requests, upcoming events first, then newest

        Members only. Filter by `kind` and `status` (ended events count as `done`).
        """
        return help.list_posts(group_id, **filters)

    @blp.auth_required
    @idempotent(blp)
    @blp.arguments(HelpPostCreateSchema)
    @blp.response(201, HelpPostSchema)
    @blp.errors(403, 404)
    def post(self, data, group_id):
        """Ask for help, offer something to lend, or announce an event

        Lending (`lend_request`, `lend_offer`) needs an `item`, and may give a period that is not in the
        past. Events need `starts_at`, `ends_at` (after the start) and `place`, and may set
        `max_participants`. Fields of another kind are refused. Send an `Idempotency-Key` to retry safely.
        """
        post = help.create_post(group_id, data)
        db.session.commit()
        return help.present(post)


@blp.route(f"/groups/{GROUP_ID}/help-activity")
class HelpActivity(MethodView):
    @blp.auth_required
    @blp.arguments(HelpActivityQuerySchema, location="query")
    @blp.response(200, HelpActivitySchema)
    @blp.errors(403, 404)
    def get(self, period, group_id):
        """Neighbour-help activity of a group in a period (moderators and admins)

        Posts and replies written, and events held (ended, not cancelled), from `from` up to `to`.
        """
        return help.group_activity(group_id, period.get("start"), period.get("end"))


@blp.route(f"/help-requests/{HELP_ID}")
class HelpRequest(MethodView):
    @blp.auth_required
    @blp.response(200, HelpPostDetailSchema)
    @blp.errors(403, 404)
    def get(self, help_id):
        """A help request with its replies and RSVP counts"""
        return help.get_post(help_id)

    @blp.auth_required
    @blp.arguments(HelpPostUpdateSchema)
    @blp.response(200, HelpPostSchema)
    @blp.errors(403, 404, 409)
    def patch(self, changes, help_id):
        """Change a help request (its author or a moderator)"""
        post = help.update_post(help_id, changes)
        db.session.commit()
        return help.present(post)


@blp.route(f"/help-requests/{HELP_ID}/cancel")
class HelpCancel(MethodView):
    @blp.auth_required
    @blp.response(200, HelpPostSchema)
    @blp.errors(403, 404, 409)
    def post(self, help_id):
        """Cancel a help request (its author or a moderator)"""
        post = help.cancel(help_id)
        db.session.commit()
        return help.present(post)


@blp.route(f"/help-requests/{HELP_ID}/done")
class HelpDone(MethodView):
    @blp.auth_required
    @blp.response(200, HelpPostSchema)
    @blp.errors(403, 404, 409)
    def post(self, help_id):
        """Mark a help request done (its author or a moderator)"""
        post = help.mark_done(help_id)
        db.session.commit()
        return help.present(post)


@blp.route(f"/help-requests/{HELP_ID}/returned")
class HelpReturned(MethodView):
    @blp.auth_required
    @blp.response(200, HelpPostSchema)
    @blp.errors(403, 404, 409)
    def post(self, help_id):
        """Mark a loan returned, which closes it (its author or a moderator)"""
        post = help.mark_returned(help_id)
        db.session.commit()
        return help.present(post)


@blp.route(f"/help-requests/{HELP_ID}/replies")
class HelpReplies(MethodView):
    @blp.auth_required
    @blp.response(200, HelpReplySchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403, 404)
    def get(self, help_id):
        """The replies to a help request, oldest first"""
        return help.list_replies(help_id)

    @blp.auth_required
    @idempotent(blp)
    @blp.arguments(HelpReplyCreateSchema)
    @blp.response(201, HelpReplySchema)
    @blp.errors(403, 404, 409)
    def post(self, data, help_id):
        """Answer a help request ("I have a ladder")"""
        reply = help.create_reply(help_id, data)
        db.session.commit()
        return reply


@blp.route(f"/help-requests/{HELP_ID}/replies/{REPLY_ID}/accept")
class HelpAccept(MethodView):
    @blp.auth_required
    @blp.response(200, HelpPostDetailSchema)
    @blp.errors(403, 404, 409)
    def post(self, help_id, reply_id):
        """Accept a reply: the request is arranged with that neighbour (the author only)"""
        post = help.accept_reply(help_id, reply_id)
        db.session.commit()
        return help.present(post, with_replies=True)


@blp.route(f"/help-requests/{HELP_ID}/rsvp")
class HelpRsvp(MethodView):
    @blp.auth_required
    @blp.arguments(RsvpSchema)
    @blp.response(200, RsvpResultSchema)
    @blp.errors(403, 404, 409)
    def put(self, data, help_id):
        """Say whether I go to an event

        Refused (409) when the event is full, has ended or was cancelled. Returns the new counts.
        """
        result = help.respond(help_id, data["response"])
        db.session.commit()
        return result


@blp.route(f"/help-requests/{HELP_ID}/flag")
class HelpFlag(MethodView):
    @blp.auth_required
    @blp.arguments(ReasonSchema)
    @blp.response(201, FlagSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, help_id):
        """Ask the moderators to look at a help request"""
        flag = moderation.flag_post(help_id, data["reason"])
        db.session.commit()
        return flag


@blp.route(f"/help-requests/{HELP_ID}/replies/{REPLY_ID}/flag")
class HelpReplyFlag(MethodView):
    @blp.auth_required
    @blp.arguments(ReasonSchema)
    @blp.response(201, FlagSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, help_id, reply_id):
        """Ask the moderators to look at a reply"""
        flag = moderation.flag_reply(help_id, reply_id, data["reason"])
        db.session.commit()
        return flag


@blp.route(f"/help-requests/{HELP_ID}/hide")
class HelpHide(MethodView):
    @blp.auth_required
    @blp.arguments(ReasonSchema)
    @blp.response(200, HelpPostSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, help_id):
        """Hide a help request (moderators); the reason is shown to its author"""
        post = moderation.hide_post(help_id, data["reason"])
        db.session.commit()
        return help.present(post)


@blp.route(f"/help-requests/{HELP_ID}/unhide")
class HelpUnhide(MethodView):
    @blp.auth_required
    @blp.arguments(UnhideSchema)
    @blp.response(200, HelpPostSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, help_id):
        """Show a hidden help request again (moderators)"""
        post = moderation.unhide_post(help_id, data.get("reason"))
        db.session.commit()
        return help.present(post)


@blp.route(f"/help-requests/{HELP_ID}/replies/{REPLY_ID}/hide")
class HelpReplyHide(MethodView):
    @blp.auth_required
    @blp.arguments(ReasonSchema)
    @blp.response(200, HelpReplySchema)
    @blp.errors(403, 404, 409)
    def post(self, data, help_id, reply_id):
        """Hide a reply (moderators); the reason is shown to its author"""
        reply = moderation.hide_reply(help_id, reply_id, data["reason"])
        db.session.commit()
        return reply


@blp.route(f"/help-requests/{HELP_ID}/replies/{REPLY_ID}/unhide")
class HelpReplyUnhide(MethodView):
    @blp.auth_required
    @blp.arguments(UnhideSchema)
    @blp.response(200, HelpReplySchema)
    @blp.errors(403, 404, 409)
    def post(self, data, help_id, reply_id):
        """Show a hidden reply again (moderators)"""
        reply = moderation.unhide_reply(help_id, reply_id, data.get("reason"))
        db.session.commit()
        return reply
