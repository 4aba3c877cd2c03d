"""Schemas for reports, their feedback, check-ins, timelines, statistics and tasks."""

import marshmallow as ma
from flask_jwt_extended import current_user
from marshmallow import validate

from api.models import (
    CheckInKind,
    CheckInOutcome,
    FeedbackKind,
    ReportCategory,
    ReportStatus,
    Urgency,
)
from api.schemas.common import AwareDateTime, Schema, text
from api.schemas.group import ContactSchema

DESCRIPTION_MAX = 2000
MESSAGE_MAX = 2000
NOTE_MAX = 2000


class LocationSchema(Schema):
    text = text(120, required=True, metadata={"description": "Street and house-number range: \"Merelstraat 1-21\"."})
    lat = ma.fields.Float(
        allow_none=True, validate=validate.Range(min=-90, max=90),
        metadata={"description": "Optional; stored rounded to 3 decimals (about 100 m)."},
    )
    lon = ma.fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))

    @ma.validates_schema
    def both_or_neither(self, data, **kwargs):
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ma.ValidationError("Give both lat and lon, or neither.", "lat")


class ReportCreateSchema(Schema):
    category = ma.fields.Enum(ReportCategory, by_value=True, required=True)
    urgency = ma.fields.Enum(Urgency, by_value=True, required=True)
    description = text(DESCRIPTION_MAX, required=True, metadata={"description": "Plain text: behaviour, not people."})
    location = ma.fields.Nested(LocationSchema, required=True)
    occurred_at = AwareDateTime(metadata={"description": "When it happened; not in the future. Default: now."})
    called_112 = ma.fields.Boolean(
        load_default=False, metadata={"description": "SAAR: did you call 112 first? Counts as one 112 call."}
    )


class ReportQuerySchema(Schema):
    status = ma.fields.Enum(ReportStatus, by_value=True)
    category = ma.fields.Enum(ReportCategory, by_value=True)
    urgency = ma.fields.Enum(Urgency, by_value=True)
    from_ = AwareDateTime(data_key="from", metadata={"description": "Filed at or after this time."})
    to = AwareDateTime(metadata={"description": "Filed before this time."})

    @ma.validates_schema
    def period_in_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] >= data["to"]:
            raise ma.ValidationError("Must be after 'from'.", "to")


class InboxQuerySchema(Schema):
    due = ma.fields.String(
        load_default="soonest", validate=validate.OneOf(["soonest", "newest"]),
        metadata={"description": "`soonest`: unanswered first, earliest due time first (the default)."},
    )


class PeriodQuerySchema(Schema):
    from_ = AwareDateTime(data_key="from")
    to = AwareDateTime()

    @ma.validates_schema
    def period_in_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] >= data["to"]:
            raise ma.ValidationError("Must be after 'from'.", "to")


class PersonSchema(Schema):
    """Who did something, as other people see them: a display name, never contact details."""

    display_name = ma.fields.String(dump_only=True)
    organisation = ma.fields.String(dump_only=True, allow_none=True)
    role = ma.fields.String(dump_only=True, metadata={"description": "reporter, professional, moderator or admin."})


class ReportSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    group_id = ma.fields.Integer(dump_only=True)
    category = ma.fields.Enum(ReportCategory, by_value=True, dump_only=True)
    urgency = ma.fields.Enum(Urgency, by_value=True, dump_only=True)
    description = ma.fields.String(dump_only=True)
    location = ma.fields.Nested(LocationSchema, dump_only=True)
    occurred_at = AwareDateTime(dump_only=True)
    called_112 = ma.fields.Boolean(dump_only=True)
    called_112_count = ma.fields.Integer(dump_only=True)
    status = ma.fields.Enum(ReportStatus, by_value=True, dump_only=True)
    reporter = ma.fields.Nested(PersonSchema, dump_only=True, allow_none=True,
                                metadata={"description": "Display name only; null once anonymised."})
    mine = ma.fields.Boolean(dump_only=True, metadata={"description": "I filed this report (I may withdraw it)."})
    created_at = AwareDateTime(dump_only=True)
    feedback_due_at = AwareDateTime(dump_only=True)
    first_feedback_at = AwareDateTime(dump_only=True, allow_none=True,
                                      metadata={"description": "The first answer by a linked professional."})
    response_minutes = ma.fields.Float(dump_only=True, allow_none=True, attribute="clock.response_minutes")
    feedback_overdue = ma.fields.Boolean(
        dump_only=True, attribute="clock.feedback_overdue",
        metadata={"description": "The due time passed without a professional answer (stays true after a late one)."},
    )
    target_met = ma.fields.Boolean(
        dump_only=True, allow_none=True, attribute="clock.target_met",
        metadata={"description": "Null while the clock still runs within target."},
    )
    escalated = ma.fields.Boolean(dump_only=True)
    escalated_at = AwareDateTime(dump_only=True, allow_none=True)
    resolved_at = AwareDateTime(dump_only=True, allow_none=True)
    closed_at = AwareDateTime(dump_only=True, allow_none=True)
    # Transient attributes set by services.reports.file_report; absent elsewhere.
    emergency_contacts = ma.fields.List(
        ma.fields.Nested(ContactSchema), dump_only=True,
        metadata={"description": "Only in the answer to filing an urgent report without a 112 call."},
    )
    reminder = ma.fields.String(
        dump_only=True, metadata={"description": "Only with emergency_contacts: 'call 112 first', in your language."}
    )


    def get_attribute(self, obj, attr, default):
        # Whether the viewer filed it depends on who asks, not on the row.
        if attr == "mine":
            return obj.author_id is not None and obj.author_id == current_user.id
        return super().get_attribute(obj, attr, default)


class TimelineEntrySchema(Schema):
    type = ma.fields.String(
        dump_only=True, metadata={"description": "status_changed, feedback, check_in or escalation."}
    )
    at = AwareDateTime(dump_only=True)
    actor = ma.fields.Nested(PersonSchema, dump_only=True, allow_none=True)
    from_status = ma.fields.Enum(ReportStatus, by_value=True, dump_only=True, allow_none=True)
    to_status = ma.fields.Enum(ReportStatus, by_value=True, dump_only=True)
    kind = ma.fields.String(dump_only=True, metadata={"description": "The feedback or check-in kind."})
    message = ma.fields.String(dump_only=True)
    professional = ma.fields.Boolean(
        dump_only=True, metadata={"description": "Feedback by a linked professional (it stops the clock)."}
    )
    households_reached = ma.fields.Integer(dump_only=True)
    outcome = ma.fields.Enum(CheckInOutcome, by_value=True, dump_only=True)
    note = ma.fields.String(dump_only=True, metadata={"description": "Check-in note: moderators only."})
    moderators_count = ma.fields.Integer(dump_only=True)
    professionals_count = ma.fields.Integer(dump_only=True)


class ReportDetailSchema(ReportSchema):
    called_112_by_me = ma.fields.Boolean(dump_only=True)
    timeline = ma.fields.List(ma.fields.Nested(TimelineEntrySchema), dump_only=True)


class FeedbackCreateSchema(Schema):
    kind = ma.fields.Enum(FeedbackKind, by_value=True, required=True)
    message = text(MESSAGE_MAX, required=True)


class FeedbackSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    report_id = ma.fields.Integer(dump_only=True)
    kind = ma.fields.Enum(FeedbackKind, by_value=True, dump_only=True)
    message = ma.fields.String(dump_only=True)
    professional = ma.fields.Boolean(dump_only=True, attribute="by_professional")
    author = ma.fields.Nested(PersonSchema, dump_only=True, allow_none=True, attribute="author_person")
    created_at = AwareDateTime(dump_only=True)


class Called112Schema(Schema):
    report_id = ma.fields.Integer(dump_only=True)
    called_112_count = ma.fields.Integer(dump_only=True)
    called_112_by_me = ma.fields.Boolean(dump_only=True)


class CheckInCreateSchema(Schema):
    kind = ma.fields.Enum(CheckInKind, by_value=True, required=True)
    households_reached = ma.fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000))
    note = text(NOTE_MAX, min_length=0, load_default="")
    outcome = ma.fields.Enum(CheckInOutcome, by_value=True, required=True)
    occurred_at = AwareDateTime(metadata={"description": "When the check-in took place; not in the future. "
                                                         "Default: now."})


class CheckInSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    group_id = ma.fields.Integer(dump_only=True)
    report_id = ma.fields.Integer(dump_only=True, allow_none=True)
    kind = ma.fields.Enum(CheckInKind, by_value=True, dump_only=True)
    households_reached = ma.fields.Integer(dump_only=True)
    note = ma.fields.String(dump_only=True, metadata={"description": "Moderators and admins only."})
    outcome = ma.fields.Enum(CheckInOutcome, by_value=True, dump_only=True)
    moderator = ma.fields.Nested(PersonSchema, dump_only=True, allow_none=True, attribute="moderator_person")
    occurred_at = AwareDateTime(dump_only=True)
    created_at = AwareDateTime(dump_only=True)

    def get_attribute(self, obj, attr, default):
        # services.checkins.report_check_ins marks notes other members may not read.
        if attr == "note" and getattr(obj, "note_hidden", False):
            return ma.missing
        return super().get_attribute(obj, attr, default)


class ResponseTimeStatsSchema(Schema):
    from_ = AwareDateTime(data_key="from", dump_only=True, allow_none=True)
    to = AwareDateTime(dump_only=True, allow_none=True)
    target_minutes = ma.fields.Integer(dump_only=True)
    count = ma.fields.Integer(dump_only=True, metadata={"description": "Reports filed in the period (not withdrawn)."})
    answered_count = ma.fields.Integer(dump_only=True)
    median_minutes = ma.fields.Float(dump_only=True, allow_none=True)
    p90_minutes = ma.fields.Float(dump_only=True, allow_none=True)
    within_target_share = ma.fields.Float(
        dump_only=True, allow_none=True,
        metadata={"description": "Share (0-1) answered within target, of the reports whose target is decided."},
    )
    overdue_count = ma.fields.Integer(dump_only=True)


class ReportCheckInsSchema(Schema):
    report_id = ma.fields.Integer(dump_only=True)
    check_ins = ma.fields.Integer(dump_only=True)
    last_check_in_at = AwareDateTime(dump_only=True, allow_none=True)


class ModeratorCheckInsSchema(Schema):
    moderator = ma.fields.Nested(PersonSchema, dump_only=True)
    check_ins = ma.fields.Integer(dump_only=True)
    last_check_in_at = AwareDateTime(dump_only=True, allow_none=True)


class ModeratorActivitySchema(Schema):
    from_ = AwareDateTime(data_key="from", dump_only=True)
    to = AwareDateTime(dump_only=True)
    check_ins = ma.fields.Integer(dump_only=True)
    routine_check_ins = ma.fields.Integer(dump_only=True, metadata={"description": "Rounds without a report."})
    households_reached = ma.fields.Integer(dump_only=True)
    last_check_in_at = AwareDateTime(dump_only=True, allow_none=True)
    days_since_last_check_in = ma.fields.Integer(dump_only=True, allow_none=True)
    reports = ma.fields.Integer(dump_only=True, metadata={"description": "Reports filed in the period."})
    reports_with_check_in = ma.fields.Integer(dump_only=True)
    per_report = ma.fields.List(ma.fields.Nested(ReportCheckInsSchema), dump_only=True)
    per_moderator = ma.fields.List(ma.fields.Nested(ModeratorCheckInsSchema), dump_only=True)
