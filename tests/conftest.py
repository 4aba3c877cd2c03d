"""A fresh app and database per test, users with each role, and small request helpers.

The suite runs on SQLite by default (a new file per test). With DATABASE_URL pointing at
PostgreSQL it runs there instead: each test run gets its own schema, created once and emptied
after every test, so parallel runs never see each other's rows.
"""

import os
import uuid

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from api import create_app
from api.extensions import db
from api.instance_secrets import generate_vapid_pair
from api.models import Role
from api.services import accounts, passwords, tokens
from tests.helpers import PASSWORD, Actor
from tests.report_fixtures import fake_clock  # noqa: F401 - a fixture for every test module

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith("postgres")
VAPID_PRIVATE, VAPID_PUBLIC = generate_vapid_pair()

# argon2's production cost is deliberately slow; tests create hundreds of accounts.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _pg_url() -> str:
    return DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1).replace(
        "postgres://", "postgresql+psycopg://", 1
    )


@pytest.fixture(scope="session")
def pg_schema():
    if not ON_POSTGRES:
        yield None
        return
    name = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(_pg_url())
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    yield name
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
    engine.dispose()


_pg_tables_created = False


def base_test_config(tmp_path, pg_schema) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "JWT_SECRET_KEY": "test-jwt-secret-key-long-enough-for-hs256",
        "VAPID_PRIVATE_KEY": VAPID_PRIVATE,
        "VAPID_PUBLIC_KEY": VAPID_PUBLIC,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Generous here; tests of the limits themselves set tight ones.
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "REGISTER_RATE_LIMIT": "1000 per minute",
        "PUBLIC_BASE_URL": "http://localhost",
    }
    if pg_schema:
        config["SQLALCHEMY_DATABASE_URI"] = _pg_url()
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={pg_schema}"},
        }
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test.db'}"
    return config


@pytest.fixture
def app_config():
    """Override in a test module to change settings: ``return {"REPORTS_PER_HOUR": 2}``."""
    return {}


@pytest.fixture
def app(tmp_path, pg_schema, app_config, monkeypatch):
    global _pg_tables_created
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    config = base_test_config(tmp_path, pg_schema)
    config.update(app_config)
    app = create_app(config)
    with app.app_context():
        if not pg_schema or not _pg_tables_created:
            db.create_all()
            _pg_tables_created = bool(pg_schema)
    yield app
    with app.app_context():
        db.session.remove()
        if pg_schema:
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 100000))

    def make(role: Role = Role.resident, *, name: str | None = None, email: str | None = None,
             locale: str = "nl") -> Actor:
        n = next(counter)
        email = email or f"{role.value}{n}-{uuid.uuid4().hex[:6]}@example.nl"
        name = name or f"{role.value.title()} {n}"
        with app.app_context():
            user = accounts.create_user(email=email, password=PASSWORD, display_name=name, role=role,
                                        locale=locale)
            pair = tokens.start_session(user)
            db.session.commit()
            return Actor(user.id, user.email, user.display_name, user.role, pair["access_token"],
                         pair["refresh_token"])

    return make


@pytest.fixture
def resident(make_user) -> Actor:
    return make_user(Role.resident, name="Sanne")


@pytest.fixture
def professional(make_user) -> Actor:
    return make_user(Role.professional, name="Wijkagent Jansen")


@pytest.fixture
def admin(make_user) -> Actor:
    return make_user(Role.admin, name="Gemeente")
