"""Write the audit trail of role, membership and moderation changes."""

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from api.extensions import db
from api.models import AuditEntry


def record(
    action: str,
    *,
    actor_id: int | None,
    group_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    details: dict | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        actor_id=actor_id,
        group_id=group_id,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def trail_for_group(access) -> Select:
    """A group's trail, newest first; for its moderators and admins."""
    access.require_moderator()
    return (select(AuditEntry).where(AuditEntry.group_id == access.group.id)
            .options(selectinload(AuditEntry.actor)).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()))
