"""Write the audit trail of role, membership and moderation changes."""

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
