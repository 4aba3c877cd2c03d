"""Several processes on one SQLite file: write transactions take the lock up front and wait their turn.

With SQLite's default deferred BEGIN, two transactions that read and then write deadlock and one
fails at once with "database is locked". This runs that pattern from several OS processes (as
gunicorn workers would) and expects every write to land.
"""

import multiprocessing

import pytest
from sqlalchemy import select

from tests.conftest import ON_POSTGRES

WRITERS = 4
WRITES_EACH = 15


def _writer(db_path: str, instance_path: str, worker: int, errors) -> None:
    import os

    os.environ["INSTANCE_PATH"] = instance_path
    from api import create_app
    from api.extensions import db
    from api.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "t", "JWT_SECRET_KEY": "t",
                      "VAPID_PRIVATE_KEY": "t", "VAPID_PUBLIC_KEY": "t"})
    with app.app_context():
        for n in range(WRITES_EACH):
            try:
                # Read first, then write: the pattern that deadlocks with deferred transactions.
                db.session.scalars(select(User).limit(5)).all()
                db.session.add(User(email=f"w{worker}-{n}@example.nl", password_hash="x", display_name="w"))
                db.session.commit()
            except Exception as error:  # collected and asserted on in the parent
                errors.put(repr(error))
                db.session.rollback()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite locking behaviour")
def test_concurrent_writers_on_one_sqlite_file(app, tmp_path):
    from api.extensions import db
    from api.models import User

    with app.app_context():
        db_path = db.engine.url.database
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    workers = [
        context.Process(target=_writer, args=(db_path, str(tmp_path / "inst"), w, errors)) for w in range(WRITERS)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
    with app.app_context():
        assert db.session.query(User).count() == WRITERS * WRITES_EACH
