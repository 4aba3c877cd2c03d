"""Engine set-up per backend: SQLite in WAL mode with write locks taken up front; PostgreSQL as is."""

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}


def configure_sqlite(engine: Engine, busy_timeout_ms: int = 10_000) -> None:
    """Make one SQLite file safe for several gunicorn workers and the push worker.

    - WAL lets readers carry on while one process writes.
    - busy_timeout makes a second writer wait instead of failing at once.
    - BEGIN IMMEDIATE takes the write lock when a write transaction starts. With the default
      deferred BEGIN, two transactions that both read and then write deadlock, and SQLite
      answers one of them "database is locked" without waiting. GET requests keep deferred
      transactions so reads never queue behind writes.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        read_only = has_request_context() and request.method in READ_ONLY_METHODS
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
