"""Password hashing (argon2id) and the strength rule: long enough, not common, not guessable."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
# zxcvbn score 0-4; 3 means "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3

_hasher = PasswordHasher()
# Verifying against this keeps login time the same whether or not the email exists.
_DUMMY_HASH = _hasher.hash("buurtwacht-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def weakness(password: str, user_inputs: list[str]) -> str | None:
    """Why a password is refused, in plain words, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    result = zxcvbn(password, user_inputs=[u for u in user_inputs if u])
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or "This password is too easy to guess."
        return f"{warning} Try a longer phrase of unrelated words."
    return None
