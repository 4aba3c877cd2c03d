"""The current time for the report services.

Looked up through the module at call time, so tests move time with
``monkeypatch.setattr("api.models.base.utcnow", ...)`` without a freezing library.
"""

from datetime import datetime

from api.models import base


def now() -> datetime:
    return base.utcnow()
