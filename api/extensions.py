"""Extensions, created unbound and bound in ``create_app``; the one place flask-smorest is customised."""

from http import HTTPStatus

import flask_smorest
from flask_cors import CORS
from flask_jwt_extended import JWTManager, get_jwt_identity, jwt_required
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from api.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = JWTManager()
cors = CORS()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


class Api(flask_smorest.Api):
    # Every status an operation can return is listed explicitly per operation (see Blueprint below)
    # instead of hiding them behind a catch-all "default" response.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_pagination_header(self):
        # The header carries JSON *text*; described as an object, clients and schemathesis expect a parsed value.
        self.spec.components.header("PAGINATION", {
            "description": "Pagination metadata as JSON text: "
                           '{"total", "total_pages", "first_page", "last_page", "page", "previous_page", "next_page"}.',
            "schema": {"type": "string"},
        }, lazy=True)

    def handle_http_exception(self, error):
        # Imported here: errors.py imports this module for db and jwt.
        from api.errors import http_exception_payload

        return http_exception_payload(error)


class Blueprint(flask_smorest.Blueprint):
    """A smorest Blueprint whose decorators also document the errors they can cause."""

    def errors(self, *codes: int):
        """Document error responses this operation can return, in the common error shape."""

        def decorator(func):
            for code in codes:
                func = self.alt_response(code, response=HTTPStatus(code).name)(func)
            return func

        return decorator

    def arguments(self, schema, *, location="json", **kwargs):
        parent = super().arguments(schema, location=location, **kwargs)
        codes = (400, 413, 415, 422) if location == "json" else (422,)

        def decorator(func):
            return self.errors(*codes)(parent(func))

        return decorator

    def auth_required(self, func=None, *, optional=False):
        """Require a valid access token and document 401 and the bearer security requirement."""

        def decorator(inner):
            wrapped = self.errors(401)(jwt_required(optional=optional)(inner))
            return self.doc(security=[{"bearerAuth": []}])(wrapped)

        return decorator(func) if func is not None else decorator


def current_user_id() -> int:
    return int(get_jwt_identity())


__all__ = ["db", "migrate", "jwt", "cors", "limiter", "Api", "Blueprint", "current_user_id"]
