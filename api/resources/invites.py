"""Invite codes moderators share as a link with neighbours."""

from flask.views import MethodView

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import GROUP_ID, id_param
from api.schemas.group import InviteCreateSchema, InviteSchema
from api.services import invites
from api.services.access import group_access

blp = Blueprint("invites", __name__, url_prefix="/api/v1", description="Invites")


@blp.route(f"/groups/{GROUP_ID}/invites")
class GroupInvites(MethodView):
    @blp.auth_required
    @blp.response(200, InviteSchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403, 404)
    def get(self, group_id):
        """The group's invite codes, newest first (moderators)"""
        return invites.list_for(group_access(group_id))

    @blp.auth_required
    @blp.arguments(InviteCreateSchema)
    @blp.response(201, InviteSchema)
    @blp.errors(403, 404)
    def post(self, data, group_id):
        """Create an invite code and its shareable link (moderators)"""
        invite = invites.create(group_access(group_id), data)
        db.session.commit()
        return invite


@blp.route(f"/invites/{id_param('invite_id')}/revoke")
class InviteRevoke(MethodView):
    @blp.auth_required
    @blp.response(200, InviteSchema)
    @blp.errors(403, 404, 409)
    def post(self, invite_id):
        """Withdraw an invite code: nobody can join with it any more (moderators)"""
        invite = invites.revoke(invite_id)
        db.session.commit()
        return invite
