"""Professionals linked to a group: they answer its reports but are not members."""

from flask.views import MethodView

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import GROUP_ID, id_param
from api.schemas.group import ProfessionalLinkCreateSchema, ProfessionalLinkSchema
from api.services import professionals
from api.services.access import group_access

blp = Blueprint("professionals", __name__, url_prefix="/api/v1/groups", description="Linked professionals")


@blp.route(f"/{GROUP_ID}/professionals")
class GroupProfessionals(MethodView):
    @blp.auth_required
    @blp.response(200, ProfessionalLinkSchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403, 404)
    def get(self, group_id):
        """Professionals linked to the group (moderators, admins)"""
        return professionals.list_for(group_access(group_id))

    @blp.auth_required
    @blp.arguments(ProfessionalLinkCreateSchema)
    @blp.response(201, ProfessionalLinkSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, group_id):
        """Link a professional account to the group (admins)"""
        link = professionals.link(group_access(group_id), data["user_id"])
        db.session.commit()
        return link


@blp.route(f"/{GROUP_ID}/professionals/{id_param('user_id')}")
class GroupProfessionalById(MethodView):
    @blp.auth_required
    @blp.response(204)
    @blp.errors(403, 404)
    def delete(self, group_id, user_id):
        """Unlink a professional from the group (admins)"""
        professionals.unlink(group_access(group_id), user_id)
        db.session.commit()
