"""Browser push subscriptions: checked before storing, because our server will POST to the endpoint.

An endpoint must be ``https`` on a known push service (Google FCM, Mozilla autopush, Apple, Microsoft
WNS). ``PUSH_ENDPOINT_ALLOWLIST`` adds origins (``http://127.0.0.1:9999`` for a local test push service
is the one way to get a plain ``http`` endpoint accepted). Anything else could make the worker a proxy
into our own network, so it is refused.
"""

import base64
import binascii
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from sqlalchemy import delete, select, update

from api.extensions import db
from api.models import Delivery, DeliveryStatus, PushSubscription, User
from api.services.errors import Invalid, NotFound

KNOWN_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "*.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)
SUBSCRIPTION_NOT_FOUND = "Push subscription not found."


def _origin(scheme: str, host: str, port: int | None) -> str:
    default = {"https": 443, "http": 80}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def _host_matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        suffix = pattern[1:]
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == pattern


def _configured_origins() -> list[tuple[str, str, int | None]]:
    origins = []
    for entry in current_app.config.get("PUSH_ENDPOINT_ALLOWLIST") or []:
        parts = urlsplit(entry.strip().lower())
        if parts.scheme in ("http", "https") and parts.hostname:
            origins.append((parts.scheme, parts.hostname, parts.port))
    return origins


def check_endpoint(endpoint: str) -> str:
    """The endpoint if it points at an allowed push service; ``Invalid`` otherwise."""
    refused = Invalid("This push endpoint is not accepted.", {"endpoint": ["Not a known push service."]})
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise refused from None
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    if not host or parts.username is not None or parts.password is not None or parts.fragment:
        raise refused
    for allowed_scheme, allowed_host, allowed_port in _configured_origins():
        default = {"https": 443, "http": 80}[allowed_scheme]
        if scheme == allowed_scheme and _host_matches(host, allowed_host) and (port or default) == (
            allowed_port or default
        ):
            return endpoint
    if scheme != "https" or port not in (None, 443):
        raise refused
    if not any(_host_matches(host, pattern) for pattern in KNOWN_PUSH_HOSTS):
        raise refused
    return endpoint


def push_host(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return _origin(parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)


def _b64url_decode(value: str) -> bytes:
    if "+" in value or "/" in value:
        raise ValueError("base64, not base64url")
    stripped = value.rstrip("=")
    return base64.b64decode(stripped + "=" * (-len(stripped) % 4), altchars=b"-_", validate=True)


def check_keys(p256dh: str, auth: str) -> None:
    errors = {}
    try:
        point = _b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, binascii.Error):
        errors["p256dh"] = ["Must be an uncompressed P-256 public key (65 bytes), base64url."]
    try:
        if len(_b64url_decode(auth)) != 16:
            raise ValueError("wrong length")
    except (ValueError, binascii.Error):
        errors["auth"] = ["Must be a 16-byte secret, base64url."]
    if errors:
        raise Invalid("The subscription keys are not valid.", {"keys": errors})


def subscribe(user: User, endpoint: str, p256dh: str, auth: str, device_label: str | None) -> tuple[
    PushSubscription, bool
]:
    """Store a subscription; the same endpoint again updates it (a device signed in as someone else
    now belongs to them). Returns the subscription and whether it is new."""
    check_endpoint(endpoint)
    check_keys(p256dh, auth)
    subscription = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    created = subscription is None
    if created:
        subscription = PushSubscription(endpoint=endpoint)
        db.session.add(subscription)
    subscription.user_id = user.id
    subscription.p256dh = p256dh
    subscription.auth = auth
    if device_label is not None or created:
        subscription.device_label = device_label
    db.session.flush()
    return subscription, created


def mine(user: User):
    return select(PushSubscription).where(PushSubscription.user_id == user.id).order_by(PushSubscription.id)


def unsubscribe(user: User, subscription_id: int) -> None:
    subscription = db.session.get(PushSubscription, subscription_id)
    # Someone else's subscription answers exactly like a missing one.
    if subscription is None or subscription.user_id != user.id:
        raise NotFound(SUBSCRIPTION_NOT_FOUND)
    forget(subscription.id)


def forget(subscription_id: int) -> None:
    """Delete a subscription; its unsent deliveries can never arrive any more, so they become ``gone``."""
    db.session.execute(
        update(Delivery)
        .where(Delivery.subscription_id == subscription_id,
               Delivery.status.in_([DeliveryStatus.pending, DeliveryStatus.sending]))
        .values(status=DeliveryStatus.gone, claimed_by=None, claimed_until=None)
    )
    db.session.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))
