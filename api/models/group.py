"""A watch group with its charter, contact directory, members, invites and linked professionals."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import Base, UTCDateTime, utcnow
from api.models.user import User, enum_column


class GroupStatus(enum.StrEnum):
    draft = "draft"
    active = "active"
    paused = "paused"
    archived = "archived"


class ContactKind(enum.StrEnum):
    emergency = "emergency"
    police_non_urgent = "police_non_urgent"
    community_officer = "community_officer"
    municipality = "municipality"
    moderator = "moderator"
    other = "other"


class MemberRole(enum.StrEnum):
    member = "member"
    moderator = "moderator"


class MembershipStatus(enum.StrEnum):
    pending = "pending"
    active = "active"
    refused = "refused"
    removed = "removed"
    left = "left"


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    area_description: Mapped[str] = mapped_column(String(500), default="")
    # Charter
    problem: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    house_rules: Mapped[str] = mapped_column(Text, default="")
    feedback_target_minutes: Mapped[int] = mapped_column(default=10)
    review_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Life cycle and membership policy
    status: Mapped[GroupStatus] = enum_column(GroupStatus, default=GroupStatus.draft, index=True)
    auto_approve: Mapped[bool] = mapped_column(default=False)
    member_limit: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    postcodes: Mapped[list["GroupPostcode"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupPostcode.postcode"
    )
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Contact.position, Contact.id"
    )
    memberships: Mapped[list["Membership"]] = relationship(back_populates="group", cascade="all, delete-orphan")

    @property
    def review_due(self) -> bool:
        return self.review_at <= utcnow()

    @property
    def is_archived(self) -> bool:
        return self.status == GroupStatus.archived

    @property
    def area(self) -> dict:
        return {"postcodes": [p.postcode for p in self.postcodes], "description": self.area_description}


class GroupPostcode(Base):
    """One postcode (``3011`` or ``3011AB``) a group covers; its own table so search uses an index."""

    __tablename__ = "group_postcodes"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    postcode: Mapped[str] = mapped_column(String(6), primary_key=True, index=True)

    group: Mapped[Group] = relationship(back_populates="postcodes")


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ContactKind] = enum_column(ContactKind)
    label: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    url: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str | None] = mapped_column(String(100))
    # Report categories this contact handles; empty means all.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    group: Mapped[Group] = relationship(back_populates="contacts")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = enum_column(MemberRole, default=MemberRole.member)
    status: Mapped[MembershipStatus] = enum_column(MembershipStatus, default=MembershipStatus.pending)
    confirmed_adult: Mapped[bool] = mapped_column(default=False)
    confirmed_in_area: Mapped[bool] = mapped_column(default=False)
    # Seen by the group's moderators only: they visit neighbours after a report.
    postcode: Mapped[str | None] = mapped_column(String(6))
    house_number: Mapped[str | None] = mapped_column(String(10))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("invites.id", ondelete="SET NULL"))

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.active

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == MemberRole.moderator


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def is_exhausted(self) -> bool:
        return self.max_uses is not None and self.uses >= self.max_uses

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_usable(self) -> bool:
        return not (self.is_revoked or self.is_expired or self.is_exhausted)


class ProfessionalLink(Base):
    """A professional answers a group's reports without being a member of it."""

    __tablename__ = "professional_links"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
