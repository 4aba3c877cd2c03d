"""Moderators' view of how a report's notifications fared: sent, pending, failed, gone."""

from sqlalchemy import func, select

from api.extensions import db
from api.models import Delivery, DeliveryStatus, Event
from api.services.access import group_access
from api.services.errors import NotFound

REPORT_NOT_FOUND = "Report not found."


def counts_for_report(report_id: int) -> dict:
    # Read from the report's events, so this works whatever the report model looks like.
    group_id = db.session.scalar(
        select(Event.group_id)
        .where(Event.subject_type == "report", Event.subject_id == report_id, Event.group_id.is_not(None))
        .order_by(Event.id)
        .limit(1)
    )
    if group_id is None:
        raise NotFound(REPORT_NOT_FOUND)
    try:
        access = group_access(group_id)
    except NotFound:
        raise NotFound(REPORT_NOT_FOUND) from None
    # People who may not read the group's reports may not learn that this one exists.
    if not access.can_read_reports:
        raise NotFound(REPORT_NOT_FOUND)
    access.require_moderator()
    rows = db.session.execute(
        select(Delivery.status, func.count(Delivery.id))
        .join(Event, Event.id == Delivery.event_id)
        .where(Event.subject_type == "report", Event.subject_id == report_id)
        .group_by(Delivery.status)
    ).all()
    by_status = {DeliveryStatus(status): count for status, count in rows}
    counts = {
        "report_id": report_id,
        "sent": by_status.get(DeliveryStatus.sent, 0),
        "pending": by_status.get(DeliveryStatus.pending, 0) + by_status.get(DeliveryStatus.sending, 0),
        "failed": by_status.get(DeliveryStatus.failed, 0),
        "gone": by_status.get(DeliveryStatus.gone, 0),
    }
    counts["total"] = sum(by_status.values())
    return counts
