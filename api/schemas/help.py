"""Help posts, replies, RSVPs, flags and moderation; activity counts for the group health view."""

import marshmallow as ma
from marshmallow import validate

from api.models import HelpKind, HelpStatus, RsvpResponse
from api.schemas.common import AwareDateTime, Schema, text
from api.services.viewer import current_viewer

HIDDEN_NOTE = (
    "Hidden by a moderator: `hidden` is true and, for everyone but the author and moderators, the text fields "
    "are null and `hidden_reason` is null (show a placeholder)."
)


class NeighbourSchema(Schema):
    """A neighbour as other members see them: a name, never contact details."""

    id = ma.fields.Integer(dump_only=True)
    display_name = ma.fields.String(dump_only=True)


class RsvpCountsSchema(Schema):
    going = ma.fields.Integer(dump_only=True)
    maybe = ma.fields.Integer(dump_only=True)
    not_going = ma.fields.Integer(dump_only=True)


class ModeratedSchema(Schema):
    """Masks hidden text for viewers who are neither its author nor a moderator."""

    TEXT_FIELDS: tuple[str, ...] = ()
    MODERATOR_FIELDS: tuple[str, ...] = ("flag_count",)

    hidden = ma.fields.Boolean(dump_only=True, metadata={"description": HIDDEN_NOTE})
    hidden_reason = ma.fields.String(dump_only=True, allow_none=True,
                                     metadata={"description": "Why a moderator hid it; shown to the author."})
    flag_count = ma.fields.Integer(dump_only=True, allow_none=True,
                                   metadata={"description": "Open flags; moderators only (null for others)."})

    @ma.post_dump(pass_original=True)
    def mask_for_viewer(self, data, original, **kwargs):
        viewer = current_viewer()
        if not viewer.can_moderate:
            for name in self.MODERATOR_FIELDS:
                data[name] = None
        if not original.visible_to(viewer.user_id, viewer.can_moderate):
            for name in (*self.TEXT_FIELDS, "hidden_reason"):
                if name in data:
                    data[name] = None
        return data


class HelpPostSchema(ModeratedSchema):
    TEXT_FIELDS = ("title", "description", "item", "place")

    id = ma.fields.Integer(dump_only=True)
    group_id = ma.fields.Integer(dump_only=True)
    kind = ma.fields.Enum(HelpKind, by_value=True, dump_only=True)
    title = ma.fields.String(dump_only=True, allow_none=True)
    description = ma.fields.String(dump_only=True, allow_none=True)
    item = ma.fields.String(dump_only=True, allow_none=True)
    lend_from = AwareDateTime(dump_only=True, allow_none=True)
    lend_until = AwareDateTime(dump_only=True, allow_none=True)
    returned_at = AwareDateTime(dump_only=True, allow_none=True)
    starts_at = AwareDateTime(dump_only=True, allow_none=True)
    ends_at = AwareDateTime(dump_only=True, allow_none=True)
    place = ma.fields.String(dump_only=True, allow_none=True)
    max_participants = ma.fields.Integer(dump_only=True, allow_none=True)
    status = ma.fields.Enum(
        HelpStatus, by_value=True, dump_only=True, attribute="effective_status",
        metadata={"description": "Events that have ended read as `done`."},
    )
    author = ma.fields.Nested(NeighbourSchema, dump_only=True, allow_none=True)
    arranged_with = ma.fields.Nested(NeighbourSchema, dump_only=True, allow_none=True,
                                     metadata={"description": "The neighbour whose reply the author accepted."})
    reply_count = ma.fields.Integer(dump_only=True)
    rsvp_counts = ma.fields.Nested(RsvpCountsSchema, dump_only=True)
    places_left = ma.fields.Method("get_places_left", dump_only=True, allow_none=True,
                                   metadata={"type": "integer", "nullable": True})
    my_rsvp = ma.fields.Enum(RsvpResponse, by_value=True, dump_only=True, allow_none=True)
    created_at = AwareDateTime(dump_only=True)
    updated_at = AwareDateTime(dump_only=True)
    closed_at = AwareDateTime(dump_only=True, allow_none=True, attribute="effective_closed_at")

    def get_places_left(self, post):
        if post.max_participants is None:
            return None
        return max(post.max_participants - post.going_count, 0)


class HelpReplySchema(ModeratedSchema):
    TEXT_FIELDS = ("body",)

    id = ma.fields.Integer(dump_only=True)
    post_id = ma.fields.Integer(dump_only=True)
    author = ma.fields.Nested(NeighbourSchema, dump_only=True, allow_none=True)
    body = ma.fields.String(dump_only=True, allow_none=True)
    accepted = ma.fields.Boolean(dump_only=True)
    accepted_at = AwareDateTime(dump_only=True, allow_none=True)
    created_at = AwareDateTime(dump_only=True)


class FlagSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    post_id = ma.fields.Integer(dump_only=True)
    reply_id = ma.fields.Integer(dump_only=True, allow_none=True)
    reason = ma.fields.String(dump_only=True)
    created_at = AwareDateTime(dump_only=True)


class HelpPostDetailSchema(HelpPostSchema):
    MODERATOR_FIELDS = ("flag_count", "open_flags")

    replies = ma.fields.List(ma.fields.Nested(HelpReplySchema), dump_only=True)
    open_flags = ma.fields.List(
        ma.fields.Nested(FlagSchema), dump_only=True, allow_none=True,
        metadata={"description": "Flags on the post and its replies not yet dealt with; moderators only."},
    )


class HelpPostWriteFields(Schema):
    title = text(120)
    description = text(4000, min_length=0)
    item = text(120, allow_none=True, metadata={"description": "Lending only: what is lent or wanted."})
    lend_from = AwareDateTime(allow_none=True, metadata={"description": "Lending only."})
    lend_until = AwareDateTime(allow_none=True, metadata={"description": "Lending only; not in the past."})
    starts_at = AwareDateTime(allow_none=True, metadata={"description": "Events only (required for events)."})
    ends_at = AwareDateTime(allow_none=True, metadata={"description": "Events only (required); after starts_at."})
    place = text(200, allow_none=True, metadata={"description": "Events only (required for events)."})
    max_participants = ma.fields.Integer(allow_none=True, validate=validate.Range(min=1, max=10000),
                                         metadata={"description": "Events only: most people who can go."})


class HelpPostCreateSchema(HelpPostWriteFields):
    kind = ma.fields.Enum(HelpKind, by_value=True, required=True)
    title = text(120, required=True)
    description = text(4000, min_length=0, load_default="")


class HelpPostUpdateSchema(HelpPostWriteFields):
    """The author or a moderator changes any of these; the kind is fixed once posted."""


class HelpQuerySchema(Schema):
    """Filters; ``page`` and ``page_size`` are read by ``@blp.paginate``."""

    kind = ma.fields.Enum(HelpKind, by_value=True)
    status = ma.fields.Enum(HelpStatus, by_value=True,
                            metadata={"description": "Ended events count as `done`."})


class HelpReplyCreateSchema(Schema):
    body = text(2000, required=True)


class RsvpSchema(Schema):
    response = ma.fields.Enum(RsvpResponse, by_value=True, required=True)


class RsvpResultSchema(Schema):
    response = ma.fields.Enum(RsvpResponse, by_value=True, dump_only=True)
    rsvp_counts = ma.fields.Nested(RsvpCountsSchema, dump_only=True)
    max_participants = ma.fields.Integer(dump_only=True, allow_none=True)
    places_left = ma.fields.Integer(dump_only=True, allow_none=True)


class ReasonSchema(Schema):
    reason = text(300, required=True)


class UnhideSchema(Schema):
    reason = text(300)


class HelpActivityQuerySchema(Schema):
    start = AwareDateTime(data_key="from", metadata={"description": "Default: 30 days before `to`."})
    end = AwareDateTime(data_key="to", metadata={"description": "Default: now."})


class HelpActivitySchema(Schema):
    group_id = ma.fields.Integer(dump_only=True)
    start = AwareDateTime(dump_only=True, data_key="from")
    end = AwareDateTime(dump_only=True, data_key="to")
    posts = ma.fields.Integer(dump_only=True)
    replies = ma.fields.Integer(dump_only=True)
    events_held = ma.fields.Integer(dump_only=True)
