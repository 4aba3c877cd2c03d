"""How Alembic writes our custom column types into migration files."""

from api.models.base import UTCDateTime


def render_item(type_, obj, autogen_context):
    # Migrations hold plain SQL types so they never import application code.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
