"""Helpers shared by tests: the signed-in test user, the error-envelope assertion, SQL statement counting."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event

from api.extensions import db
from api.models import Role

PASSWORD = "rustige straat met veel bomen"


@dataclass
class Actor:
    """A signed-in user as a test sees them: their id, email and ready-made auth header."""

    id: int
    email: str
    display_name: str
    role: Role
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}



def assert_error(response, code: int, field: str | None = None) -> dict:
    """The common error envelope, with the expected status (and field error when given)."""
    assert response.status_code == code, (response.status_code, response.get_data(as_text=True))
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == code
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    if field is not None:
        assert field in body.get("errors", {}), body
    return body


@contextmanager
def counted_queries(app) -> Iterator[list[str]]:
    """Collect the SQL statements the app runs inside the block (for fixed-query-count tests)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
