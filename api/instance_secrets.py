"""Secrets created once on first start and kept in the instance folder.

A laptop gets working JWT signing and web-push (VAPID) keys without any setup. The file is
readable by its owner only and lives in ``instance/``, which is never committed. In production
the secrets come from the environment instead (see ``api/config.py``), because several machines
must share them.
"""

import base64
import json
import os
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

SECRETS_FILE = "secrets.json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_vapid_pair() -> tuple[str, str]:
    """A P-256 key pair as (private, public): raw private scalar and uncompressed public point, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64url(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return private, public


def load_or_create(instance_path: str) -> dict:
    path = os.path.join(instance_path, SECRETS_FILE)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    os.makedirs(instance_path, exist_ok=True)
    vapid_private, vapid_public = generate_vapid_pair()
    created = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
        "VAPID_PRIVATE_KEY": vapid_private,
        "VAPID_PUBLIC_KEY": vapid_public,
    }
    # O_EXCL: two processes starting at once must not both write; the loser reads the winner's file.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(created, fh)
    return created
