"""Groups: starting one, its charter, its life cycle, listing my groups and finding groups by postcode."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import GROUP_ID
from api.schemas.group import (
    GroupCreateSchema,
    GroupPublicSchema,
    GroupQuerySchema,
    GroupSchema,
    GroupSearchQuerySchema,
    GroupUpdateSchema,
)
from api.services import groups
from api.services.access import group_access

blp = Blueprint("groups", __name__, url_prefix="/api/v1/groups", description="Groups and their charter")


@blp.route("")
class Groups(MethodView):
    @blp.auth_required
    @blp.arguments(GroupQuerySchema, location="query")
    @blp.response(200, GroupSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """My groups (admins: every group), optionally by status or postcode"""
        views, total = groups.list_groups(current_user, filters, pagination_parameters.page,
                                          pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return views

    @blp.auth_required
    @blp.arguments(GroupCreateSchema)
    @blp.response(201, GroupSchema)
    @blp.errors(403)
    def post(self, data):
        """Start a group as a draft; I become its first moderator

        The house rules start as the SAAR rules and the contacts with 112 and 0900-8844.
        """
        view = groups.create_group(current_user, data)
        db.session.commit()
        return view


@blp.route("/search")
class GroupSearch(MethodView):
    @blp.auth_required
    @blp.arguments(GroupSearchQuerySchema, location="query")
    @blp.response(200, GroupPublicSchema(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Find active groups covering a postcode (name, area and purpose only)"""
        return groups.search(query["postcode"])


@blp.route(f"/{GROUP_ID}")
class GroupById(MethodView):
    @blp.auth_required
    @blp.response(200, GroupSchema)
    @blp.errors(404)
    def get(self, group_id):
        """A group with its charter"""
        return groups.view_of(group_access(group_id))

    @blp.auth_required
    @blp.arguments(GroupUpdateSchema)
    @blp.response(200, GroupSchema)
    @blp.errors(403, 404)
    def patch(self, changes, group_id):
        """Change the name, area or charter (moderators; archived groups are read-only)"""
        view = groups.update_group(group_access(group_id), changes)
        db.session.commit()
        return view


def _status_action(path: str, action, summary: str, *codes: int, description: str | None = None):
    @blp.route(f"/{GROUP_ID}/{path}", methods=["POST"], endpoint=path)
    @blp.doc(summary=summary, **({"description": description} if description else {}))
    @blp.auth_required
    @blp.response(200, GroupSchema)
    @blp.errors(403, 404, 409, *codes)
    def view(group_id):
        view_ = action(group_access(group_id))
        db.session.commit()
        return view_

    return view


_status_action("activate", groups.activate, "Take a draft group live (moderators)", 422, description=(
    "Refused with 422 while the charter is incomplete; `errors` then says what is missing, per field."))
_status_action("pause", groups.pause, "Pause an active group (moderators, admins)")
_status_action("resume", groups.resume, "Resume a paused group (moderators, admins)")
_status_action("archive", groups.archive, "Archive a group: it becomes read-only (moderators, admins)")
_status_action("renew", groups.renew, "Confirm the group still serves its goal: next review in a year (moderators)")
