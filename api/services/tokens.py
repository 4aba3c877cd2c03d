"""Access and refresh tokens with rotation, reuse detection and revocation in the database.

Every token carries its login session id (``sid``). The session row is the revocation list:
it is shared by all web processes, so a logout on one machine holds on all of them.
"""

from datetime import timedelta

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import select, update

from api.extensions import db, jwt
from api.models import LoginSession, RefreshToken, User, utcnow
from api.services import clock
from api.services.errors import Unauthorized


class RefreshTokenReused(Unauthorized):
    """An already-used refresh token came back: someone may have stolen it. The session is revoked."""


def _issue(user: User, session: LoginSession) -> dict:
    claims = {"sid": session.id, "role": str(user.role)}
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    refresh = create_refresh_token(identity=str(user.id), additional_claims={"sid": session.id})
    decoded = decode_token(refresh)
    db.session.add(
        RefreshToken(
            jti=decoded["jti"],
            session_id=session.id,
            expires_at=utcnow() + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
        )
    )
    expires: timedelta = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return {"access_token": access, "refresh_token": refresh, "expires_in": int(expires.total_seconds())}


def start_session(user: User) -> dict:
    session = LoginSession(user_id=user.id)
    db.session.add(session)
    db.session.flush()
    return _issue(user, session)


def rotate(refresh_claims: dict) -> tuple[User, dict]:
    """Trade a refresh token for a new pair; a second use of the same token ends the session."""
    session = db.session.get(LoginSession, refresh_claims["sid"])
    if session is None or session.is_revoked:
        raise Unauthorized("This session has ended; sign in again.")
    # One atomic update: two concurrent refreshes with the same token cannot both win.
    marked = db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.jti == refresh_claims["jti"], RefreshToken.used_at.is_(None))
        .values(used_at=clock.now())
    ).rowcount
    if not marked and not _within_reuse_grace(refresh_claims["jti"]):
        revoke_session(session, reason="refresh_token_reuse")
        raise RefreshTokenReused("This sign-in was ended because an old refresh token was used again.")
    user = session.user
    if not user.is_active:
        raise Unauthorized("This account is not active.")
    user.last_seen_at = utcnow()
    return user, _issue(user, session)


def _within_reuse_grace(jti: str) -> bool:
    """Was this token used only moments ago? Then a reload or a second tab raced the refresh: not a theft.

    Without this, reloading the app while it refreshes ends the whole sign-in.
    """
    token = db.session.get(RefreshToken, jti)
    if token is None or token.used_at is None:
        return False
    grace = timedelta(seconds=current_app.config["REFRESH_REUSE_GRACE_SECONDS"])
    return clock.now() - token.used_at <= grace


def revoke_session(session: LoginSession, reason: str) -> None:
    if session.revoked_at is None:
        session.revoked_at = utcnow()
        session.revoked_reason = reason
    db.session.flush()


def revoke_session_by_id(session_id: str, reason: str) -> None:
    session = db.session.get(LoginSession, session_id)
    if session is not None:
        revoke_session(session, reason)


def revoke_other_sessions(user: User, keep_session_id: str | None, reason: str) -> None:
    stmt = update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
    if keep_session_id:
        stmt = stmt.where(LoginSession.id != keep_session_id)
    db.session.execute(stmt.values(revoked_at=utcnow(), revoked_reason=reason))


def revoke_all_sessions(user: User, reason: str) -> None:
    revoke_other_sessions(user, keep_session_id=None, reason=reason)


def purge_expired() -> int:
    """Forget refresh tokens past their expiry (run by ``flask sweep``)."""
    expired = db.session.scalars(select(RefreshToken).where(RefreshToken.expires_at < utcnow())).all()
    for token in expired:
        db.session.delete(token)
    return len(expired)


@jwt.token_in_blocklist_loader
def _session_revoked(jwt_header: dict, jwt_payload: dict) -> bool:
    sid = jwt_payload.get("sid")
    if sid is None:
        return True
    session = db.session.get(LoginSession, sid)
    return session is None or session.is_revoked


@jwt.user_lookup_loader
def _load_user(jwt_header: dict, jwt_payload: dict) -> User | None:
    user = db.session.get(User, int(jwt_payload["sub"]))
    return user if user is not None and user.is_active else None
