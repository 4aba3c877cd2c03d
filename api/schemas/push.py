import marshmallow as ma
from marshmallow import validate

from api.models import HelpMode
from api.schemas.common import AwareDateTime, Schema, text

HELP_KINDS = ("lend_request", "lend_offer", "event", "favour", "other")


class PublicKeySchema(Schema):
    public_key = ma.fields.String(
        required=True, metadata={"description": "VAPID application server key (base64url, uncompressed P-256)."}
    )


class SubscriptionKeysSchema(Schema):
    p256dh = ma.fields.String(required=True, validate=validate.Length(min=1, max=120))
    auth = ma.fields.String(required=True, validate=validate.Length(min=1, max=40))


class PushSubscriptionCreateSchema(Schema):
    """What ``PushSubscription.toJSON()`` gives in the browser, plus an optional device label."""

    endpoint = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000))
    keys = ma.fields.Nested(SubscriptionKeysSchema, required=True)
    device_label = text(80, allow_none=True, load_default=None)
    expirationTime = ma.fields.Float(  # noqa: N815 - the browser's own field name
        allow_none=True, load_default=None, load_only=True, metadata={"description": "Ignored."}
    )


class PushSubscriptionSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    endpoint = ma.fields.String(dump_only=True)
    device_label = ma.fields.String(dump_only=True, allow_none=True)
    created_at = AwareDateTime(dump_only=True)
    last_success_at = AwareDateTime(dump_only=True, allow_none=True)


def _help_mode(**kwargs):
    return ma.fields.Enum(HelpMode, by_value=True, **kwargs)


HelpModesSchema = Schema.from_dict(
    {kind: _help_mode() for kind in HELP_KINDS}, name="HelpModesSchema"
)


class NotificationPreferencesSchema(Schema):
    help = ma.fields.Nested(
        HelpModesSchema,
        metadata={"description": "Per help post kind: `immediate`, `digest` (one daily summary) or `off`."},
    )
    normal_reports = ma.fields.Boolean(
        metadata={"description": "Notify about normal reports. Urgent reports always come through."}
    )
    quiet_hours_start = ma.fields.Time(
        format="%H:%M", allow_none=True, metadata={"description": "Local time `HH:MM`; null for no quiet hours."}
    )
    quiet_hours_end = ma.fields.Time(format="%H:%M", allow_none=True)
    timezone = ma.fields.String(validate=validate.Length(min=1, max=64), metadata={"example": "Europe/Amsterdam"})


class DeliveryCountsSchema(Schema):
    report_id = ma.fields.Integer(required=True)
    sent = ma.fields.Integer(required=True)
    pending = ma.fields.Integer(required=True)
    failed = ma.fields.Integer(required=True)
    gone = ma.fields.Integer(required=True, metadata={"description": "Devices that unsubscribed meanwhile."})
    total = ma.fields.Integer(required=True)
