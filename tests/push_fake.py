"""A push service and browsers inside the test process.

``FakePushService`` is a ThreadingHTTPServer on 127.0.0.1 that, like a real push service, checks the
VAPID JWT (ES256, ``aud`` = its origin, ``exp`` in the future) and, like the browser behind it,
decrypts each message with http_ece. Tests script its answers per subscription (410, 429, 500...).
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


@dataclass
class Browser:
    """One device's push subscription keys, made the way a browser makes them."""

    name: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64u(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return b64u(self.auth_secret)

    def subscription_json(self, **extra) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth},
                "expirationTime": None, **extra}


@dataclass
class Received:
    browser: str
    status: int
    headers: dict
    payload: dict | None
    vapid_claims: dict | None
    error: str | None
    at: float


class FakePushService:
    def __init__(self, vapid_public_key: str, delay: float = 0.0):
        self.vapid_public_key = vapid_public_key
        self.delay = delay
        self.browsers: dict[str, Browser] = {}
        self.received: list[Received] = []
        # browser name -> list of (status, headers) answered in turn; then 201.
        self.scripts: dict[str, list[tuple[int, dict]]] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def browser(self, name: str) -> Browser:
        browser = Browser(name, f"{self.origin}/push/{name}")
        self.browsers[name] = browser
        return browser

    def script(self, name: str, *answers: tuple[int, dict]) -> None:
        self.scripts[name] = list(answers)

    def to(self, name: str) -> list[Received]:
        return [r for r in self.received if r.browser == name]

    def delivered(self) -> list[Received]:
        return [r for r in self.received if r.error is None and r.status < 300]

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return True
            time.sleep(0.01)
        return False

    def _verify(self, headers: dict) -> dict:
        scheme, _, params = headers.get("authorization", "").partition(" ")
        assert scheme == "vapid", "no vapid Authorization"
        parts = dict(p.split("=", 1) for p in params.split(","))
        assert parts["k"] == self.vapid_public_key, "unexpected VAPID key"
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64u_decode(parts["k"]))
        return jwt.decode(parts["t"], key=key, algorithms=["ES256"], audience=self.origin)

    def _answer(self, name: str, body: bytes, headers: dict) -> tuple[int, dict]:
        payload = claims = error = None
        try:
            claims = self._verify(headers)
            browser = self.browsers[name]
            plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth_secret,
                                     version="aes128gcm")
            payload = json.loads(plain)
        except Exception as exc:  # recorded for the test to see
            error = f"{type(exc).__name__}: {exc}"
        with self._lock:
            script = self.scripts.get(name)
            status, extra = script.pop(0) if script else (201, {})
            if error:
                status, extra = 400, {}
            self.received.append(Received(name, status, headers, payload, claims, error, time.monotonic()))
        return status, extra

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if service.delay:
                    time.sleep(service.delay)
                headers = {k.lower(): v for k, v in self.headers.items()}
                name = self.path.rsplit("/", 1)[-1]
                status, extra = service._answer(name, body, headers)
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler
