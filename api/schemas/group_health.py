"""Group health schemas: indicators per group and the municipality's overview query."""

import marshmallow as ma
from marshmallow import validate

from api.models import GroupStatus
from api.schemas.common import AwareDateTime, Schema

HEALTH_STATUSES = ["good", "attention", "problem"]


class IndicatorSchema(Schema):
    key = ma.fields.String(metadata={"enum": ["charter", "moderator_activity", "professional_feedback",
                                               "neighbour_contact", "participation", "feeling_of_safety"]})
    status = ma.fields.String(allow_none=True, metadata={
        "enum": HEALTH_STATUSES, "description": "null when there is not enough data to judge."})
    value = ma.fields.Dict(metadata={"description": "The indicator's figures (see the docs of each indicator)."})
    advice = ma.fields.String(metadata={"description": "Plain-language advice, in the caller's language."})


class GroupHealthSchema(Schema):
    group_id = ma.fields.Integer()
    group_name = ma.fields.String()
    group_status = ma.fields.String(metadata={"enum": [s.value for s in GroupStatus]})
    postcodes = ma.fields.List(ma.fields.String())
    status = ma.fields.String(allow_none=True, metadata={
        "enum": HEALTH_STATUSES, "description": "The worst status of the indicators."})
    period_days = ma.fields.Integer()
    generated_at = AwareDateTime()
    indicators = ma.fields.List(ma.fields.Nested(IndicatorSchema))


class HealthOverviewQuerySchema(Schema):
    status = ma.fields.String(validate=validate.OneOf(HEALTH_STATUSES),
                              metadata={"description": "Only groups whose overall status is this."})
    area = ma.fields.String(validate=validate.Regexp(r"^[0-9]{1,4}([A-Za-z]{0,2})?$"), metadata={
        "description": "Postcode or its prefix (`30`, `3011`, `3011AB`): groups covering any part of it."})
    group_status = ma.fields.Enum(GroupStatus, by_value=True)
    format = ma.fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))
    sep = ma.fields.String(load_default=",", validate=validate.OneOf([",", ";"]), metadata={
        "description": "CSV separator; `;` for Dutch Excel (decimals then use a comma)."})
