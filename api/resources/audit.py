"""A group's audit trail: who changed a role, a membership or the group's status, and when."""

from flask.views import MethodView

from api.extensions import Blueprint
from api.pagination import SQLPage
from api.resources.paths import GROUP_ID
from api.schemas.audit import AuditEntrySchema
from api.services import audit
from api.services.access import group_access

blp = Blueprint("audit", __name__, url_prefix="/api/v1/groups", description="Audit trail")


@blp.route(f"/{GROUP_ID}/audit")
class GroupAudit(MethodView):
    @blp.auth_required
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403, 404)
    def get(self, group_id):
        """The group's audit trail, newest first (moderators, admins)"""
        return audit.trail_for_group(group_access(group_id))
