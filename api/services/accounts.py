"""Registering, signing in, changing passwords and managing accounts."""

from sqlalchemy import func, select

from api.extensions import db
from api.models import Locale, Role, User, utcnow
from api.services import passwords, tokens
from api.services.errors import Conflict, Invalid, Unauthorized

LOGIN_FAILED = "The email address or password is not correct."


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _check_strength(password: str, email: str, display_name: str, field: str = "password") -> None:
    problem = passwords.weakness(password, [email, email.split("@")[0], display_name, "buurtwacht"])
    if problem:
        raise Invalid("The password is too weak.", {field: [problem]})


def create_user(
    *,
    email: str,
    password: str,
    display_name: str,
    locale: str = Locale.nl,
    role: Role = Role.resident,
    organisation: str | None = None,
) -> User:
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise Conflict("An account with this email address already exists.", {"email": ["Already registered."]})
    _check_strength(password, email, display_name)
    user = User(
        email=email,
        password_hash=passwords.hash_password(password),
        display_name=display_name.strip(),
        locale=Locale(locale),
        role=role,
        organisation=organisation,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(*, email: str, password: str, display_name: str, locale: str = Locale.nl) -> User:
    # Registration is open to residents only; professionals and admins are made by an admin.
    return create_user(email=email, password=password, display_name=display_name, locale=locale)


def login(email: str, password: str) -> tuple[User, dict]:
    user = find_by_email(email)
    # Same message (and the same argon2 work) whether the email exists or not.
    if not passwords.verify_password(user.password_hash if user else None, password):
        raise Unauthorized(LOGIN_FAILED)
    if not user.is_active:
        raise Unauthorized(LOGIN_FAILED)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_seen_at = utcnow()
    return user, tokens.start_session(user)


def change_password(user: User, current_password: str, new_password: str, current_session_id: str) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise Invalid("The current password is not correct.", {"current_password": ["Not correct."]})
    _check_strength(new_password, user.email, user.display_name, field="new_password")
    user.password_hash = passwords.hash_password(new_password)
    tokens.revoke_other_sessions(user, keep_session_id=current_session_id, reason="password_changed")


def update_profile(user: User, changes: dict) -> User:
    if "display_name" in changes:
        user.display_name = changes["display_name"].strip()
    if "locale" in changes:
        user.locale = Locale(changes["locale"])
    return user


def create_admin(email: str, password: str, display_name: str = "Beheerder") -> User:
    existing = find_by_email(email)
    if existing is not None:
        existing.role = Role.admin
        existing.password_hash = passwords.hash_password(password)
        existing.is_active = True
        return existing
    return create_user(email=email, password=password, display_name=display_name, role=Role.admin)
