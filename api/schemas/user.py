import marshmallow as ma
from marshmallow import validate

from api.models import Locale, Role
from api.schemas.common import AwareDateTime, Schema, TrimmedString, text

LOCALES = [locale.value for locale in Locale]


class RegisterSchema(Schema):
    email = ma.fields.Email(required=True, validate=validate.Length(max=254))
    password = ma.fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=10, max=128),
        metadata={"description": "10 to 128 characters; common and easily guessed passwords are refused."},
    )
    display_name = text(80, required=True)
    locale = ma.fields.String(load_default=Locale.nl.value, validate=validate.OneOf(LOCALES))


class LoginSchema(Schema):
    # Not an Email field, so a mistyped address is just a failed sign-in; but a NUL byte must stop here,
    # because PostgreSQL refuses it in the lookup query (a 500 instead of an answer).
    email = TrimmedString(required=True, validate=validate.Length(min=1, max=254))
    password = ma.fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=128))
    session_cookie = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "Browser apps: put the refresh token in an HttpOnly cookie instead of the body."
        },
    )


class TokenSchema(Schema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(
        metadata={"description": "Absent when the refresh token was set as an HttpOnly cookie."}
    )
    expires_in = ma.fields.Integer(required=True, metadata={"description": "Access token lifetime in seconds."})
    token_type = ma.fields.String(dump_default="Bearer")


class UserSchema(Schema):
    """The signed-in user's own account; other people never see this."""

    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Email(dump_only=True)
    display_name = ma.fields.String(dump_only=True)
    locale = ma.fields.Enum(Locale, by_value=True, dump_only=True)
    role = ma.fields.Enum(Role, by_value=True, dump_only=True)
    organisation = ma.fields.String(dump_only=True, allow_none=True)
    is_active = ma.fields.Boolean(dump_only=True)
    created_at = AwareDateTime(dump_only=True)


class UserUpdateSchema(Schema):
    display_name = text(80)
    locale = ma.fields.String(validate=validate.OneOf(LOCALES))


class PasswordChangeSchema(Schema):
    current_password = ma.fields.String(required=True, load_only=True, validate=validate.Length(max=128))
    new_password = ma.fields.String(required=True, load_only=True, validate=validate.Length(min=10, max=128))


class HealthSchema(Schema):
    status = ma.fields.String(required=True)
    database = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
