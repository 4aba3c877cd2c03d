"""Accounts, their login sessions and refresh tokens."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    resident = "resident"
    professional = "professional"
    admin = "admin"


class Locale(enum.StrEnum):
    nl = "nl"
    en = "en"


def enum_column(enum_cls, **kwargs):
    """Enums stored as their string values, with a named CHECK constraint on every backend."""
    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            validate_strings=True,
            length=32,
            values_callable=lambda e: [m.value for m in e],
            create_constraint=True,
            name=enum_cls.__name__.lower(),
        ),
        **kwargs,
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    locale: Mapped[Locale] = enum_column(Locale, default=Locale.nl)
    role: Mapped[Role] = enum_column(Role, default=Role.resident)
    # Professionals: their organisation and function, shown next to their answers ("Wijkagent, Politie").
    organisation: Mapped[str | None] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sessions: Mapped[list["LoginSession"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def is_professional(self) -> bool:
        return self.role == Role.professional

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


def new_session_id() -> str:
    return uuid.uuid4().hex


class LoginSession(Base):
    """One login on one device: every refresh token of that login belongs to it.

    Revoking the session (logout, reuse of an old refresh token, password change elsewhere)
    invalidates its access and refresh tokens in every process, because they are checked here.
    """

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_session_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="sessions")
    refresh_tokens: Mapped[list["RefreshToken"]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class RefreshToken(Base):
    """A refresh token by its JWT id; used once, then replaced (rotation)."""

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("login_sessions.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[LoginSession] = relationship(back_populates="refresh_tokens")
