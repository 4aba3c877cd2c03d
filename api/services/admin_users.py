"""The municipality's admins create professional accounts, list accounts and disable or enable them."""

from sqlalchemy import Select, select

from api.extensions import db
from api.models import Role, User
from api.services import accounts, audit, tokens
from api.services.errors import Conflict, Forbidden, NotFound


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("Only an admin of the municipality can manage accounts.")


def create_professional(admin: User, data: dict) -> User:
    require_admin(admin)
    user = accounts.create_user(role=Role.professional, **data)
    audit.record("user.created", actor_id=admin.id, subject_type="user", subject_id=user.id,
                 details={"role": Role.professional.value})
    return user


def list_users(admin: User, filters: dict) -> Select:
    require_admin(admin)
    stmt = select(User).order_by(User.display_name, User.id)
    if filters.get("role") is not None:
        stmt = stmt.where(User.role == filters["role"])
    if filters.get("is_active") is not None:
        stmt = stmt.where(User.is_active == filters["is_active"])
    return stmt


def update_user(admin: User, user_id: int, changes: dict) -> User:
    require_admin(admin)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("Account not found.")
    if changes.get("is_active") is False and user.id == admin.id:
        raise Conflict("You cannot disable your own account.")
    if "display_name" in changes:
        user.display_name = changes["display_name"]
    if "organisation" in changes:
        user.organisation = changes["organisation"]
    if "is_active" in changes and changes["is_active"] != user.is_active:
        user.is_active = changes["is_active"]
        if not user.is_active:
            tokens.revoke_all_sessions(user, reason="disabled")
        audit.record("user.enabled" if user.is_active else "user.disabled", actor_id=admin.id,
                     subject_type="user", subject_id=user.id)
    db.session.flush()
    return user
