"""One JSON error shape for every error: ``{code, status, message, errors?}``.

smorest's handler covers HTTPExceptions (validation, 404, 405, 413, 429...); this module adds
domain errors from services, database integrity errors, flask-jwt-extended's errors, wrong
content types and unexpected exceptions (a 500 never shows a stack trace).
"""

import json
import logging
from http import HTTPStatus

from flask import Flask, jsonify, request
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, UnsupportedMediaType

from api.extensions import db, jwt
from api.services.errors import DomainError

log = logging.getLogger(__name__)

BODY_METHODS = {"POST", "PUT", "PATCH"}


def error_response(code: int, message: str, errors: dict | None = None, headers: dict | None = None):
    body = {"code": code, "status": HTTPStatus(code).phrase, "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def http_exception_payload(error: HTTPException) -> tuple[dict, int, dict]:
    """smorest's payload, always with a human message."""
    data = getattr(error, "data", None) or {}
    payload = {
        "code": error.code,
        "status": error.name,
        "message": data.get("message") or error.description or error.name,
    }
    errors = data.get("errors") or data.get("messages")
    if errors:
        # webargs nests field errors by location ({"json": {...}}); a client wants the fields.
        if isinstance(errors, dict) and len(errors) == 1:
            (location, inner), = errors.items()
            if location in {"json", "query", "headers", "files", "form", "path"} and isinstance(inner, dict):
                errors = inner
        payload["errors"] = errors
        if error.code == 400 and isinstance(errors, dict) and "json" in errors:
            payload["message"] = "The request body is not valid JSON."
        if error.code == 422 and "message" not in data:
            payload["message"] = "The input is not valid; see errors for each field."
    if error.code == 429 and "message" not in data:
        payload["message"] = f"Too many requests (limit: {error.description}). Try again later."
    headers = dict(data.get("headers") or {})
    if error.code == 429 and "Retry-After" not in headers:
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            headers["Retry-After"] = str(retry_after)
    return payload, error.code, headers


def register_error_handlers(app: Flask) -> None:
    @app.before_request
    def require_json_body():
        # A body that is not JSON would otherwise reach validation as "missing fields".
        if (
            request.method in BODY_METHODS
            and request.path.startswith("/api/")
            and request.content_length
            and not request.is_json
        ):
            raise UnsupportedMediaType("Send the request body as application/json.")
        if request.method in BODY_METHODS and request.path.startswith("/api/") and request.content_length:
            refuse_unusable_json()

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        if error.status_code >= 500:
            db.session.rollback()
        return error_response(error.status_code, error.message, error.errors, error.headers)

    @app.errorhandler(IntegrityError)
    def handle_integrity_error(error: IntegrityError):
        db.session.rollback()
        log.info("integrity error turned into 409: %s", error.orig)
        return error_response(409, "This conflicts with existing data (it may already exist).")

    @app.errorhandler(OperationalError)
    def handle_database_unavailable(error: OperationalError):
        db.session.rollback()
        log.error("database error: %s", error.orig)
        return error_response(503, "The database is not reachable right now. Try again shortly.")

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return error_response(*_from_http(error))
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, InternalServerError.description)

    register_jwt_errors()


MAX_JSON_DEPTH = 32


def refuse_unusable_json() -> None:
    """Refuse (400) bodies that parse as JSON but break the code behind validation (each was a 500):

    - ``[[[[…]]]]`` some thousand levels deep makes the decoder raise RecursionError, which neither Flask
      nor webargs treat as invalid JSON, and how deep is too deep depends on the stack at that moment;
      so one fixed limit, far above any real body;
    - a lone surrogate escape (``"\\ud800"``) is valid JSON but not text: it cannot be encoded to UTF-8 for
      the database or for password hashing.

    Malformed JSON is left to webargs' own 400.
    """
    try:
        body = json.loads(request.get_data(cache=True))
    except RecursionError:
        raise BadRequest("The request body is nested too deeply.") from None
    except ValueError:
        return
    level = [body]
    for _depth in range(MAX_JSON_DEPTH + 1):
        children = []
        for node in level:
            if isinstance(node, dict):
                children.extend(node.keys())
                children.extend(node.values())
            elif isinstance(node, list):
                children.extend(node)
            elif isinstance(node, str) and not _is_text(node):
                raise BadRequest("The request body holds an invalid Unicode escape (a lone surrogate).")
        if not children:
            return
        level = children
    raise BadRequest("The request body is nested too deeply.")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _from_http(error: HTTPException):
    payload, code, headers = http_exception_payload(error)
    return code, payload["message"], payload.get("errors"), headers


def register_jwt_errors() -> None:
    def unauthorized(message: str):
        return error_response(401, message)

    jwt.unauthorized_loader(lambda reason: unauthorized("Sign in first: " + reason))
    jwt.invalid_token_loader(lambda reason: unauthorized("The token is not valid: " + reason))
    jwt.expired_token_loader(lambda header, payload: unauthorized("The token has expired."))
    jwt.revoked_token_loader(lambda header, payload: unauthorized("This session has ended; sign in again."))
    jwt.user_lookup_error_loader(lambda header, payload: unauthorized("This account is not active."))
    jwt.needs_fresh_token_loader(lambda header, payload: unauthorized("Sign in again to do this."))
