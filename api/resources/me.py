"""The signed-in user's own account."""

from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt

from api.extensions import Blueprint, db
from api.schemas.user import PasswordChangeSchema, UserSchema, UserUpdateSchema
from api.services import accounts

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="My account")


@blp.route("")
class Me(MethodView):
    @blp.auth_required
    @blp.response(200, UserSchema)
    def get(self):
        """My account"""
        return current_user

    @blp.auth_required
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, changes):
        """Change my display name or language"""
        accounts.update_profile(current_user, changes)
        db.session.commit()
        return current_user


@blp.route("/password")
class Password(MethodView):
    @blp.auth_required
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    def post(self, data):
        """Change my password; my other sign-ins are ended"""
        accounts.change_password(current_user, data["current_password"], data["new_password"], get_jwt()["sid"])
        db.session.commit()
