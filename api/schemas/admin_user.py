"""Accounts as the municipality's admins manage them."""

import marshmallow as ma
from marshmallow import validate

from api.models import Locale, Role
from api.schemas.common import AwareDateTime, Schema, text
from api.schemas.user import LOCALES


class ProfessionalCreateSchema(Schema):
    email = ma.fields.Email(required=True, validate=validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True, validate=validate.Length(max=128))
    display_name = text(80, required=True)
    organisation = text(120, required=True, metadata={"example": "Wijkagent, Politie Rotterdam"})
    locale = ma.fields.String(load_default=Locale.nl.value, validate=validate.OneOf(LOCALES))


class AdminUserUpdateSchema(Schema):
    is_active = ma.fields.Boolean(metadata={"description": "false disables the account and ends its sign-ins."})
    display_name = text(80)
    organisation = text(120, allow_none=True)


class AdminUserQuerySchema(Schema):
    role = ma.fields.Enum(Role, by_value=True)
    is_active = ma.fields.Boolean()


class AdminUserSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Email(dump_only=True)
    display_name = ma.fields.String(dump_only=True)
    role = ma.fields.Enum(Role, by_value=True, dump_only=True)
    organisation = ma.fields.String(dump_only=True, allow_none=True)
    locale = ma.fields.Enum(Locale, by_value=True, dump_only=True)
    is_active = ma.fields.Boolean(dump_only=True)
    created_at = AwareDateTime(dump_only=True)
    last_seen_at = AwareDateTime(dump_only=True, allow_none=True)
