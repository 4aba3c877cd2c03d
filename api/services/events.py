"""Record domain events in the caller's transaction and hand them to subscribers.

Subscribers (push fan-out, for one) run inside the same transaction, so an event and the
deliveries it causes are committed together or not at all.
"""

from collections.abc import Callable

from api.extensions import db
from api.models import Event

Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []


def subscribe(handler: Subscriber) -> Subscriber:
    if handler not in _subscribers:
        _subscribers.append(handler)
    return handler


def record(
    kind: str,
    *,
    group_id: int | None,
    actor_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    data: dict | None = None,
) -> Event:
    event = Event(
        kind=kind,
        group_id=group_id,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        data=data or {},
    )
    db.session.add(event)
    db.session.flush()
    for handler in _subscribers:
        handler(event)
    return event
