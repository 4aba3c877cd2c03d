"""Accounts managed by the municipality's admins: professional accounts, listing, disabling."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import id_param
from api.schemas.admin_user import (
    AdminUserQuerySchema,
    AdminUserSchema,
    AdminUserUpdateSchema,
    ProfessionalCreateSchema,
)
from api.services import admin_users

blp = Blueprint("admin_users", __name__, url_prefix="/api/v1/admin/users", description="Accounts (admins)")


@blp.route("")
class AdminUsers(MethodView):
    @blp.auth_required
    @blp.arguments(AdminUserQuerySchema, location="query")
    @blp.response(200, AdminUserSchema(many=True))
    @blp.paginate(SQLPage)
    @blp.errors(403)
    def get(self, filters):
        """Accounts, optionally by role or active state (admins)"""
        return admin_users.list_users(current_user, filters)

    @blp.auth_required
    @blp.arguments(ProfessionalCreateSchema)
    @blp.response(201, AdminUserSchema)
    @blp.errors(403, 409)
    def post(self, data):
        """Create a professional account, e.g. a community officer (admins)"""
        user = admin_users.create_professional(current_user, data)
        db.session.commit()
        return user


@blp.route(f"/{id_param('user_id')}")
class AdminUserById(MethodView):
    @blp.auth_required
    @blp.arguments(AdminUserUpdateSchema)
    @blp.response(200, AdminUserSchema)
    @blp.errors(403, 404, 409)
    def patch(self, changes, user_id):
        """Disable or enable an account, or change its name or organisation (admins)

        Disabling ends all of the account's sign-ins at once.
        """
        user = admin_users.update_user(current_user, user_id, changes)
        db.session.commit()
        return user
