"""Idempotent POSTs: a retried request with the same ``Idempotency-Key`` gets the first answer again.

Phones retry on bad connections and the offline app resends its queue, so a POST that creates
something accepts an ``Idempotency-Key`` header (any client-chosen string of 1-100 characters, a UUID is
best). Keys are scoped per (user, key, method + path) and kept ``IDEMPOTENCY_KEY_HOURS`` (24 h); the
``idempotency_keys`` sweep job deletes expired ones.

Interface for views (put it directly below ``@blp.auth_required`` so the caller is known and the
wrapped view returns a finished response)::

    @blp.auth_required
    @idempotent(blp)
    @blp.arguments(ReportCreateSchema)
    @blp.response(201, ReportSchema)
    def post(self, data): ...

Behaviour:
- no header: the view runs as usual;
- first request with a key: the key is reserved (committed), the view runs; a 2xx answer is stored
  (status + JSON body) and returned; an error answer releases the key so a retry can run again;
- same key again, same body: the stored status and body are replayed, with ``Idempotent-Replayed: true``;
- same key while the first request still runs: 409; same key with a different body: 422.

Lower level, for non-view code: ``find``, ``reserve``, ``complete``, ``release``, ``purge_expired``.
"""

import functools
import hashlib
from datetime import timedelta

from flask import current_app, jsonify, request
from flask_jwt_extended import get_jwt_identity
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from api.extensions import db
from api.models import IdempotencyKey
from api.services import clock
from api.services.errors import Conflict, Invalid

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100

HEADER_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": (
        "Optional. Send a new random key (a UUID) with each new request and the same key when you retry it: "
        "the retry returns the first result instead of creating a duplicate. Keys are kept 24 hours."
    ),
}


def request_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def find(user_id: int, key: str, method: str, path: str) -> IdempotencyKey | None:
    row = db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.key == key,
            IdempotencyKey.method == method,
            IdempotencyKey.path == path,
        )
    )
    if row is not None and row.expires_at <= clock.now():
        db.session.delete(row)
        db.session.flush()
        return None
    return row


def reserve(user_id: int, key: str, method: str, path: str, body_hash: str) -> IdempotencyKey:
    now = clock.now()
    row = IdempotencyKey(
        user_id=user_id, key=key, method=method, path=path, request_hash=body_hash, created_at=now,
        expires_at=now + timedelta(hours=current_app.config["IDEMPOTENCY_KEY_HOURS"]),
    )
    db.session.add(row)
    db.session.flush()
    return row


def complete(row: IdempotencyKey, status_code: int, body) -> None:
    row.status_code = status_code
    row.body = body
    db.session.flush()


def release(row_id: int) -> None:
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))


def purge_expired() -> int:
    """Sweep job: forget keys older than their lifetime."""
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= clock.now()))
    return result.rowcount or 0


def _replay(row: IdempotencyKey, body_hash: str):
    if row.request_hash != body_hash:
        raise Invalid(
            "This Idempotency-Key was used for a different request; send a new key for a new request.",
            {HEADER: ["Used before with a different body."]},
        )
    if row.status_code is None:
        raise Conflict("A request with this Idempotency-Key is still being handled; try again shortly.")
    response = jsonify(row.body)
    response.status_code = row.status_code
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(blp):
    """Decorator for a POST view; also documents the header and its 409 in the spec."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            key = key.strip()
            if not key or len(key) > MAX_KEY_LENGTH:
                raise Invalid("The Idempotency-Key header is not valid.",
                              {HEADER: [f"Send 1 to {MAX_KEY_LENGTH} characters."]})
            user_id = int(get_jwt_identity())
            body_hash = request_hash(request.get_data())
            existing = find(user_id, key, request.method, request.path)
            if existing is not None:
                return _replay(existing, body_hash)
            try:
                row_id = reserve(user_id, key, request.method, request.path, body_hash).id
                db.session.commit()
            except IntegrityError:
                # A parallel request with the same key reserved it first.
                db.session.rollback()
                existing = find(user_id, key, request.method, request.path)
                if existing is None:
                    raise
                return _replay(existing, body_hash)
            try:
                response = view(*args, **kwargs)
            except Exception:
                db.session.rollback()
                release(row_id)
                db.session.commit()
                raise
            if 200 <= response.status_code < 300:
                row = db.session.get(IdempotencyKey, row_id)
                complete(row, response.status_code, response.get_json())
            else:
                release(row_id)
            db.session.commit()
            return response

        return blp.errors(409, 422)(blp.doc(parameters=[HEADER_PARAMETER])(wrapper))

    return decorator
