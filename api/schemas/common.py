"""Schema base classes and fields shared by every resource."""

from datetime import UTC

import marshmallow as ma
from marshmallow import validate


class Schema(ma.Schema):
    """Unknown fields are refused, so nobody can slip in a ``role`` or a ``group_id``."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


class AwareDateTime(ma.fields.AwareDateTime):
    """ISO 8601 datetimes with a zone; naive input is read as UTC, output is always UTC."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            # 0001-01-01T00:00+01:00 or 9999-12-31T23:59-01:00: valid ISO 8601, but in UTC outside the year range.
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from None


def text(max_length: int, *, required: bool = False, min_length: int = 1, **kwargs) -> ma.fields.String:
    """A plain-text field, trimmed of surrounding whitespace, with length limits."""
    return TrimmedString(
        required=required, validate=validate.Length(min=min_length, max=max_length), **kwargs
    )


class TrimmedString(ma.fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        result = result.strip()
        if "\x00" in result:
            raise ma.ValidationError("Contains a NUL character.")
        return result


class PaginationQuerySchema(Schema):
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = ma.fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
