"""Domain errors raised by services; ``api/errors.py`` maps them to HTTP responses in one place."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.headers = headers


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it exists."""

    status_code = 404


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    """The caller can see the object but their role does not allow this."""

    status_code = 403


class Conflict(DomainError):
    """The request contradicts the current state (duplicate, full, already done)."""

    status_code = 409


class Invalid(DomainError):
    """The input is well-formed but breaks a rule; ``errors`` says which field or what is missing."""

    status_code = 422


class TooManyRequests(DomainError):
    status_code = 429
