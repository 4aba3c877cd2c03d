"""The signed-in user's to-do list (``GET /api/v1/me/tasks``), filled by task providers."""

import marshmallow as ma

from api.schemas.common import AwareDateTime, Schema


class TaskSchema(Schema):
    type = ma.fields.String(
        dump_only=True,
        metadata={"description": "check_in, or a kind another module registers (see api/services/tasks.py)."},
    )
    group_id = ma.fields.Integer(dump_only=True)
    subject_type = ma.fields.String(dump_only=True)
    subject_id = ma.fields.Integer(dump_only=True, allow_none=True)
    title = ma.fields.String(dump_only=True)
    created_at = AwareDateTime(dump_only=True)
    due_at = AwareDateTime(dump_only=True, allow_none=True)

