"""Web push: the VAPID key, my browser subscriptions, and delivery counts per report for moderators."""

from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from api.extensions import Blueprint, db
from api.pagination import SQLPage
from api.resources.paths import id_param
from api.schemas.push import (
    DeliveryCountsSchema,
    PublicKeySchema,
    PushSubscriptionCreateSchema,
    PushSubscriptionSchema,
)
from api.services import push_deliveries, push_subscriptions

blp = Blueprint("push", __name__, url_prefix="/api/v1", description="Web push notifications")


@blp.route("/push/public-key")
class PublicKey(MethodView):
    @blp.response(200, PublicKeySchema)
    def get(self):
        """The VAPID application server key for pushManager.subscribe()"""
        return {"public_key": current_app.config["VAPID_PUBLIC_KEY"]}


@blp.route("/push/subscriptions")
class Subscriptions(MethodView):
    @blp.auth_required
    @blp.response(200, PushSubscriptionSchema(many=True))
    @blp.paginate(SQLPage)
    def get(self):
        """My push subscriptions (one per device)"""
        return push_subscriptions.mine(current_user)

    @blp.auth_required
    @blp.arguments(PushSubscriptionCreateSchema)
    @blp.response(201, PushSubscriptionSchema)
    @blp.alt_response(200, schema=PushSubscriptionSchema, description="The endpoint was known; it was updated.")
    def post(self, data):
        """Register this browser's push subscription; the same endpoint again updates it"""
        subscription, created = push_subscriptions.subscribe(
            current_user, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"], data["device_label"]
        )
        db.session.commit()
        return subscription, 201 if created else 200


@blp.route(f"/push/subscriptions/{id_param('subscription_id')}")
class SubscriptionById(MethodView):
    @blp.auth_required
    @blp.response(204)
    @blp.errors(404)
    def delete(self, subscription_id):
        """Remove one of my push subscriptions"""
        push_subscriptions.unsubscribe(current_user, subscription_id)
        db.session.commit()


@blp.route(f"/reports/{id_param('report_id')}/deliveries")
class ReportDeliveries(MethodView):
    @blp.auth_required
    @blp.response(200, DeliveryCountsSchema)
    @blp.errors(403, 404)
    def get(self, report_id):
        """How many notifications about this report were sent, are pending, or failed (moderators)"""
        return push_deliveries.counts_for_report(report_id)
