"""My notification preferences: help posts per kind, normal reports, quiet hours."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.schemas.push import NotificationPreferencesSchema
from api.services import notification_preferences

blp = Blueprint("notification_preferences", __name__, url_prefix="/api/v1/me/notification-preferences",
                description="My notification preferences")


@blp.route("")
class NotificationPreferences(MethodView):
    @blp.auth_required
    @blp.response(200, NotificationPreferencesSchema)
    def get(self):
        """My notification preferences"""
        return notification_preferences.of(current_user)

    @blp.auth_required
    @blp.arguments(NotificationPreferencesSchema)
    @blp.response(200, NotificationPreferencesSchema)
    def put(self, changes):
        """Change my notification preferences; fields left out keep their value"""
        preferences = notification_preferences.update(current_user, changes)
        db.session.commit()
        return preferences
