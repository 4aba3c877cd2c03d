"""The group's directory of who to reach for what; it is shown next to the report button."""

from sqlalchemy import Select, select

from api.extensions import db
from api.models import Contact, GroupStatus
from api.services import audit, memberships
from api.services.access import GroupAccess, group_access
from api.services.charter import missing_for_activation
from api.services.errors import Conflict, NotFound

CONTACT_NOT_FOUND = "Contact not found."


def list_for(access: GroupAccess) -> Select:
    # Everyone who can see the group (pending members and linked professionals too) can read it.
    return select(Contact).where(Contact.group_id == access.group.id).order_by(Contact.position, Contact.id)


def add(access: GroupAccess, data: dict) -> Contact:
    access.require_moderator().require_writable()
    contact = Contact(group_id=access.group.id, **data)
    if "position" not in data:
        contact.position = len(access.group.contacts)
    access.group.contacts.append(contact)
    db.session.flush()
    _audit("contact.created", access, contact)
    return contact


def update(contact_id: int, changes: dict) -> Contact:
    contact, access = _moderated(contact_id)
    for field, value in changes.items():
        setattr(contact, field, value)
    _keep_directory_complete(access)
    db.session.flush()
    _audit("contact.updated", access, contact, fields=sorted(changes))
    return contact


def delete(contact_id: int) -> None:
    contact, access = _moderated(contact_id)
    access.group.contacts.remove(contact)
    _keep_directory_complete(access)
    db.session.flush()
    _audit("contact.deleted", access, contact)


def _moderated(contact_id: int) -> tuple[Contact, GroupAccess]:
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(CONTACT_NOT_FOUND)
    try:
        access = group_access(contact.group_id)
    except NotFound:
        raise NotFound(CONTACT_NOT_FOUND) from None
    access.require_moderator().require_writable()
    return contact, access


def _keep_directory_complete(access: GroupAccess) -> None:
    """A live group keeps 112, 0900-8844 and a local contact; a draft may be incomplete."""
    if access.group.status == GroupStatus.draft:
        return
    missing = missing_for_activation(access.group, memberships.moderator_count(access.group.id)).get("contacts")
    if missing:
        raise Conflict("A live group must keep a complete contact directory.", {"contacts": missing})


def _audit(action: str, access: GroupAccess, contact: Contact, **details) -> None:
    audit.record(action, actor_id=access.user.id, group_id=access.group.id, subject_type="contact",
                 subject_id=contact.id, details={"kind": contact.kind.value, **details})
