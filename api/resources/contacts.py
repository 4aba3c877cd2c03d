"""The contact directory: who to reach for what, shown next to the report button."""

from flask.views import MethodView

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import GROUP_ID, id_param
from api.schemas.group import ContactCreateSchema, ContactSchema, ContactUpdateSchema
from api.services import contacts
from api.services.access import group_access

blp = Blueprint("contacts", __name__, url_prefix="/api/v1", description="Contact directory")


@blp.route(f"/groups/{GROUP_ID}/contacts")
class GroupContacts(MethodView):
    @blp.auth_required
    @blp.response(200, ContactSchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(404)
    def get(self, group_id):
        """The group's contacts, in display order"""
        return contacts.list_for(group_access(group_id))

    @blp.auth_required
    @blp.arguments(ContactCreateSchema)
    @blp.response(201, ContactSchema)
    @blp.errors(403, 404)
    def post(self, data, group_id):
        """Add a contact (moderators)"""
        contact = contacts.add(group_access(group_id), data)
        db.session.commit()
        return contact


@blp.route(f"/contacts/{id_param('contact_id')}")
class ContactById(MethodView):
    @blp.auth_required
    @blp.arguments(ContactUpdateSchema)
    @blp.response(200, ContactSchema)
    @blp.errors(403, 404, 409)
    def patch(self, changes, contact_id):
        """Change a contact (moderators); a live group keeps 112, 0900-8844 and a local contact"""
        contact = contacts.update(contact_id, changes)
        db.session.commit()
        return contact

    @blp.auth_required
    @blp.response(204)
    @blp.errors(403, 404, 409)
    def delete(self, contact_id):
        """Remove a contact (moderators); a live group keeps 112, 0900-8844 and a local contact"""
        contacts.delete(contact_id)
        db.session.commit()
