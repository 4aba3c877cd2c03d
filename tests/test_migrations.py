"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from api import create_app
from api.extensions import db
from api.migration_render import render_item
from tests.conftest import ON_POSTGRES, _pg_url, base_test_config


def _fresh_app(tmp_path, monkeypatch, schema=None):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app(base_test_config(tmp_path, schema))


def _diff(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_item": render_item})
        return compare_metadata(context, db.metadata)


def test_migrations_match_models(tmp_path, monkeypatch):
    schema = None
    engine = None
    if ON_POSTGRES:
        schema = "m_" + uuid.uuid4().hex[:12]
        engine = create_engine(_pg_url())
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        app = _fresh_app(tmp_path, monkeypatch, schema)
        with app.app_context():
            upgrade()
        assert _diff(app) == [], "models and migrations disagree: run `make migration m=...`"
        with app.app_context():
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()
    finally:
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()
