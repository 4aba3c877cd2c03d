"""Groups, their charter and contact directory, memberships, invites and linked professionals."""

import re

import marshmallow as ma
from flask import current_app
from marshmallow import validate

from api.models import ContactKind, GroupStatus, MemberRole, MembershipStatus
from api.schemas.common import AwareDateTime, Schema, TrimmedString, text

POSTCODE_PATTERN = re.compile(r"^[1-9][0-9]{3}([A-Z]{2})?$")
HOUSE_NUMBER_PATTERN = r"^[1-9][0-9]{0,4}([ -]?[A-Za-z0-9]{1,4})?$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{1,28}$"
MAX_GOALS = 5


def normalise_postcode(value: str) -> str | None:
    """``3011 ab`` → ``3011AB``; None when it is not a Dutch postcode (4 digits, optionally 2 letters)."""
    normal = re.sub(r"\s+", "", value).upper()
    return normal if POSTCODE_PATTERN.match(normal) else None


class Postcode(ma.fields.String):
    """A Dutch postcode, stored without space and in capitals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"example": "3011AB", "description": "4 digits, or 4 digits and 2 letters."})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        normal = normalise_postcode(value) if len(value) <= 10 else None
        if normal is None:
            raise ma.ValidationError("Not a Dutch postcode: use 4 digits, or 4 digits and 2 letters (3011AB).")
        return normal


# Groups and their charter ---------------------------------------------------------------------------

class AreaSchema(Schema):
    postcodes = ma.fields.List(
        Postcode(), required=True,
        validate=validate.Length(min=1, max=50, error="Give between 1 and 50 postcodes."),
    )
    description = text(500, min_length=0, load_default="")


def _goals(**kwargs):
    return ma.fields.List(
        text(200), validate=validate.Length(max=MAX_GOALS, error=f"Give at most {MAX_GOALS} goals."), **kwargs
    )


class _CharterFields(Schema):
    problem = text(2000, min_length=0, metadata={"description": "Why the group exists, e.g. a burglary wave."})
    goals = _goals(metadata={"description": "1 to 5 concrete goals (a draft may have none yet)."})
    house_rules = text(4000, min_length=0, metadata={"description": "Pre-filled with the SAAR rules in Dutch."})
    feedback_target_minutes = ma.fields.Integer(
        validate=validate.Range(min=1, max=1440),
        metadata={"description": "How fast a linked professional should answer a report."},
    )
    review_at = AwareDateTime(metadata={"description": "When the group re-examines whether it still serves its goal."})
    auto_approve = ma.fields.Boolean(metadata={"description": "Join requests with a valid code are approved at once."})
    member_limit = ma.fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100000))


class GroupCreateSchema(_CharterFields):
    name = text(100, required=True)
    area = ma.fields.Nested(AreaSchema, required=True)


class GroupUpdateSchema(_CharterFields):
    name = text(100)
    area = ma.fields.Nested(AreaSchema)


class GroupSchema(Schema):
    """A group as its members, linked professionals and admins see it."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(dump_only=True)
    area = ma.fields.Nested(AreaSchema, dump_only=True)
    problem = ma.fields.String(dump_only=True)
    goals = ma.fields.List(ma.fields.String(), dump_only=True)
    house_rules = ma.fields.String(dump_only=True)
    feedback_target_minutes = ma.fields.Integer(dump_only=True)
    review_at = AwareDateTime(dump_only=True)
    review_due = ma.fields.Boolean(
        dump_only=True, metadata={"description": "The review date has passed: a moderator should renew the group."}
    )
    status = ma.fields.Enum(GroupStatus, by_value=True, dump_only=True)
    auto_approve = ma.fields.Boolean(dump_only=True)
    member_limit = ma.fields.Integer(dump_only=True, allow_none=True)
    member_count = ma.fields.Integer(dump_only=True, metadata={"description": "Active members."})
    my_role = ma.fields.String(
        dump_only=True, allow_none=True,
        metadata={"description": "member, moderator, professional (linked) or admin.",
                  "enum": ["member", "moderator", "professional", "admin", None]},
    )
    my_membership_status = ma.fields.Enum(MembershipStatus, by_value=True, dump_only=True, allow_none=True)
    can_moderate = ma.fields.Boolean(dump_only=True)
    created_at = AwareDateTime(dump_only=True)
    activated_at = AwareDateTime(dump_only=True, allow_none=True)


class GroupPublicSchema(Schema):
    """What anyone may learn about an active group: its name, area and purpose — nothing about members."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(dump_only=True)
    area = ma.fields.Nested(AreaSchema, dump_only=True)
    problem = ma.fields.String(dump_only=True)
    goals = ma.fields.List(ma.fields.String(), dump_only=True)


class GroupQuerySchema(Schema):
    status = ma.fields.Enum(GroupStatus, by_value=True)
    postcode = Postcode(metadata={"description": "Only groups covering this postcode."})


class GroupSearchQuerySchema(Schema):
    postcode = Postcode(required=True)


# Contact directory ------------------------------------------------------------------------------------

class _ContactFields(Schema):
    kind = ma.fields.Enum(ContactKind, by_value=True)
    label = text(100)
    phone = TrimmedString(allow_none=True, validate=validate.Regexp(PHONE_PATTERN, error="Not a phone number."),
                          metadata={"example": "0900-8844"})
    url = ma.fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=300))
    hours = text(100, allow_none=True)
    categories = ma.fields.List(
        text(40), validate=validate.Length(max=20),
        metadata={"description": "Report categories this contact handles; empty means all."},
    )
    position = ma.fields.Integer(validate=validate.Range(min=0, max=1000))


class ContactCreateSchema(_ContactFields):
    kind = ma.fields.Enum(ContactKind, by_value=True, required=True)
    label = text(100, required=True)


class ContactUpdateSchema(_ContactFields):
    pass


class ContactSchema(_ContactFields):
    id = ma.fields.Integer(dump_only=True)
    group_id = ma.fields.Integer(dump_only=True)


# Invites and joining ----------------------------------------------------------------------------------

class InviteCreateSchema(Schema):
    max_uses = ma.fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1, max=10000))
    expires_at = AwareDateTime(
        allow_none=True, metadata={"description": "Default: 30 days from now. At most one year ahead."}
    )


class InviteSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    group_id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(dump_only=True)
    url = ma.fields.Function(
        lambda invite: f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/groups/{invite.group_id}"
                       f"/join?code={invite.code}",
        dump_only=True, metadata={"description": "The link to share with neighbours.", "type": "string"},
    )
    max_uses = ma.fields.Integer(dump_only=True, allow_none=True)
    uses = ma.fields.Integer(dump_only=True)
    expires_at = AwareDateTime(dump_only=True, allow_none=True)
    revoked_at = AwareDateTime(dump_only=True, allow_none=True)
    is_usable = ma.fields.Boolean(dump_only=True)
    created_at = AwareDateTime(dump_only=True)


class JoinSchema(Schema):
    code = text(32, required=True)
    confirm_adult = ma.fields.Boolean(
        required=True, validate=validate.Equal(True, error="Confirm that you are 18 or older."),
    )
    confirm_lives_or_works_in_area = ma.fields.Boolean(
        required=True, validate=validate.Equal(True, error="Confirm that you live or work in the group's area."),
    )
    postcode = Postcode(allow_none=True, metadata={"description": "Seen by the group's moderators only."})
    house_number = TrimmedString(
        allow_none=True, validate=validate.Regexp(HOUSE_NUMBER_PATTERN, error="Not a house number, e.g. 12 or 12A."),
        metadata={"description": "Seen by the group's moderators only."},
    )


# Members ------------------------------------------------------------------------------------------------

class MemberSchema(Schema):
    """A member as other members see them. The moderator-only fields are absent for everyone else."""

    id = ma.fields.Integer(dump_only=True, metadata={"description": "The membership id."})
    user_id = ma.fields.Integer(dump_only=True)
    display_name = ma.fields.String(dump_only=True)
    role = ma.fields.Enum(MemberRole, by_value=True, dump_only=True)
    joined_at = AwareDateTime(dump_only=True)
    status = ma.fields.Enum(MembershipStatus, by_value=True, dump_only=True,
                            metadata={"description": "Moderators only."})
    postcode = ma.fields.String(dump_only=True, allow_none=True, metadata={"description": "Moderators only."})
    house_number = ma.fields.String(dump_only=True, allow_none=True, metadata={"description": "Moderators only."})
    confirmed_adult = ma.fields.Boolean(dump_only=True, metadata={"description": "Moderators only."})
    confirmed_in_area = ma.fields.Boolean(dump_only=True, metadata={"description": "Moderators only."})
    approved_at = AwareDateTime(dump_only=True, allow_none=True, metadata={"description": "Moderators only."})


class MembershipSchema(Schema):
    """The caller's own membership (after joining or leaving)."""

    id = ma.fields.Integer(dump_only=True)
    group_id = ma.fields.Integer(dump_only=True)
    role = ma.fields.Enum(MemberRole, by_value=True, dump_only=True)
    status = ma.fields.Enum(MembershipStatus, by_value=True, dump_only=True)
    postcode = ma.fields.String(dump_only=True, allow_none=True)
    house_number = ma.fields.String(dump_only=True, allow_none=True)
    joined_at = AwareDateTime(dump_only=True)
    approved_at = AwareDateTime(dump_only=True, allow_none=True)


class MemberQuerySchema(Schema):
    status = ma.fields.Enum(
        MembershipStatus, by_value=True,
        metadata={"description": "Moderators only; default: active and pending (members always see active)."},
    )


# Linked professionals -----------------------------------------------------------------------------------

class ProfessionalLinkCreateSchema(Schema):
    user_id = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class ProfessionalLinkSchema(Schema):
    user_id = ma.fields.Integer(dump_only=True)
    display_name = ma.fields.String(dump_only=True, attribute="user.display_name")
    organisation = ma.fields.String(dump_only=True, allow_none=True, attribute="user.organisation")
    linked_at = AwareDateTime(dump_only=True, attribute="created_at")
