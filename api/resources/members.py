"""Membership: joining with a code, the member list, moderating members, and leaving."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.resources.paths import GROUP_ID, id_param
from api.schemas.group import JoinSchema, MemberQuerySchema, MemberSchema, MembershipSchema
from api.services import memberships
from api.services.access import group_access

blp = Blueprint("members", __name__, url_prefix="/api/v1/groups", description="Members")


@blp.route(f"/{GROUP_ID}/join")
class Join(MethodView):
    @blp.auth_required
    @blp.arguments(JoinSchema)
    @blp.response(201, MembershipSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, group_id):
        """Join with an invite code; pending until a moderator approves, unless the group auto-approves

        An expired, used-up, withdrawn or wrong code is answered with 422 and the reason under `errors.code`.
        """
        membership = memberships.join(group_id, current_user, data)
        db.session.commit()
        return membership


@blp.route(f"/{GROUP_ID}/leave")
class Leave(MethodView):
    @blp.auth_required
    @blp.response(200, MembershipSchema)
    @blp.errors(404, 409)
    def post(self, group_id):
        """Leave the group, or withdraw my request to join (the last moderator cannot leave)"""
        membership = memberships.leave(group_access(group_id))
        db.session.commit()
        return membership


@blp.route(f"/{GROUP_ID}/members")
class Members(MethodView):
    @blp.auth_required
    @blp.arguments(MemberQuerySchema, location="query")
    @blp.response(200, MemberSchema(many=True))
    @blp.paginate()
    @blp.errors(403, 404)
    def get(self, query, group_id, pagination_parameters):
        """Members: display names and roles; moderators also see requests, status and addresses

        Pending members and linked professionals do not see the member list.
        """
        rows, total = memberships.list_members(group_access(group_id), query.get("status"),
                                               pagination_parameters.page, pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return rows


def _member_action(path: str, action, summary: str):
    @blp.route(f"/{GROUP_ID}/members/{id_param('membership_id')}/{path}", methods=["POST"], endpoint=path)
    @blp.doc(summary=summary)
    @blp.auth_required
    @blp.response(200, MemberSchema)
    @blp.errors(403, 404, 409)
    def view(group_id, membership_id):
        row = action(group_access(group_id), membership_id)
        db.session.commit()
        return row

    return view


_member_action("approve", memberships.approve, "Approve a request to join (moderators)")
_member_action("refuse", memberships.refuse, "Refuse a request to join (moderators)")
_member_action("remove", memberships.remove, "Remove a member (moderators; never the last moderator)")
_member_action("promote", memberships.promote, "Make a member moderator (moderators)")
_member_action("demote", memberships.demote, "Make a moderator a member again (never the last moderator)")
