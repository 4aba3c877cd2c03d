"""The audit trail as moderators and admins read it."""

import marshmallow as ma

from api.schemas.common import AwareDateTime, Schema


class AuditEntrySchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    action = ma.fields.String(dump_only=True, metadata={"example": "membership.approved"})
    actor_id = ma.fields.Integer(dump_only=True, allow_none=True)
    actor_name = ma.fields.Function(
        lambda entry: entry.actor.display_name if entry.actor else None, dump_only=True, allow_none=True
    )
    subject_type = ma.fields.String(dump_only=True, allow_none=True)
    subject_id = ma.fields.Integer(dump_only=True, allow_none=True)
    details = ma.fields.Dict(dump_only=True, metadata={"description": "Roles, statuses, reasons; no contact details."})
    created_at = AwareDateTime(dump_only=True)
