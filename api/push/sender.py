"""One HTTP send to a push service: encrypt for the device, sign for the push service, classify the answer.

Runs on the worker's thread pool and touches no database: it gets a plain ``Job`` and returns an
``Outcome``. Connections are reused per push host (one urllib3 connection pool each), the VAPID JWT is
cached per audience until it nears expiry, and no redirect is ever followed.

urllib3 rather than a ``requests.Session``: requests adds about 0.3 ms of CPU per send on top of
urllib3, a third of the worker's CPU per message, and fan-out on a small machine is CPU-bound. Nothing
requests adds (cookies, environment proxies, redirects) is wanted here.
"""

import email.utils
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from py_vapid import Vapid02
from pywebpush import WebPusher
from urllib3 import exceptions as http_errors

log = logging.getLogger(__name__)

VAPID_LIFETIME = 12 * 3600
# Re-sign well before expiry: the push service may check ``exp`` against a clock that is ahead of ours.
VAPID_RENEW_MARGIN = 3600
DEFAULT_RETRY_AFTER = 60
MAX_RETRY_AFTER = 3600


@dataclass(frozen=True)
class Job:
    delivery_id: int
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str
    host: str
    body: bytes
    urgency: str
    ttl: int
    topic: str | None


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    subscription_id: int
    host: str
    result: str  # sent | gone | backoff | retry | failed | deferred
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None


class VapidSigner:
    """The ``Authorization: vapid`` header per audience, signed once and reused until near expiry."""

    def __init__(self, private_key: str, subject: str):
        self._vapid = Vapid02.from_raw(private_key.encode())
        self._subject = subject
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def header(self, audience: str) -> str:
        now = time.time()
        cached = self._cache.get(audience)
        if cached and cached[1] - VAPID_RENEW_MARGIN > now:
            return cached[0]
        with self._lock:
            cached = self._cache.get(audience)
            if cached and cached[1] - VAPID_RENEW_MARGIN > now:
                return cached[0]
            expires = int(now) + VAPID_LIFETIME
            claims = {"sub": self._subject, "aud": audience, "exp": expires}
            value = self._vapid.sign(claims)["Authorization"]
            self._cache[audience] = (value, expires)
            return value


def parse_retry_after(value: str | None) -> float:
    if not value:
        return DEFAULT_RETRY_AFTER
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return DEFAULT_RETRY_AFTER
    return min(max(seconds, 1.0), MAX_RETRY_AFTER)


class Sender:
    def __init__(self, signer: VapidSigner, *, pool_size: int, connect_timeout: float, read_timeout: float):
        self.signer = signer
        self.pool_size = pool_size
        self.timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._pools: dict[str, urllib3.HTTPConnectionPool] = {}
        self._lock = threading.Lock()

    def pool_for(self, host: str) -> urllib3.HTTPConnectionPool:
        """One keep-alive connection pool per push service origin, as large as our concurrency."""
        pool = self._pools.get(host)
        if pool is None:
            with self._lock:
                pool = self._pools.get(host)
                if pool is None:
                    options = {"maxsize": self.pool_size, "timeout": self.timeout, "retries": False}
                    if host.startswith("https:"):
                        options.update(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
                    pool = urllib3.connection_from_url(host, **options)
                    self._pools[host] = pool
        return pool

    def close(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()

    def send(self, job: Job) -> Outcome:
        def outcome(result, **kwargs):
            return Outcome(job.delivery_id, job.subscription_id, job.host, result, **kwargs)

        try:
            subscription = {"endpoint": job.endpoint, "keys": {"p256dh": job.p256dh, "auth": job.auth}}
            body = WebPusher(subscription).encode(job.body, "aes128gcm")["body"]
            headers = {
                "Authorization": self.signer.header(job.host),
                "TTL": str(job.ttl),
                "Urgency": job.urgency,
                "Content-Encoding": "aes128gcm",
                "Content-Type": "application/octet-stream",
            }
            if job.topic:
                headers["Topic"] = job.topic
            parts = urlsplit(job.endpoint)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        except Exception as error:  # a broken key stored before validation existed, for one
            log.error("push delivery %s could not be prepared: %s", job.delivery_id, error)
            return outcome("failed", error=f"prepare: {error}"[:500])
        try:
            response = self.pool_for(job.host).urlopen(
                "POST", target, body=body, headers=headers, redirect=False, retries=False, timeout=self.timeout
            )
        except http_errors.TimeoutError:
            return outcome("retry", error="timeout")
        except http_errors.HTTPError as error:
            return outcome("retry", error=f"{type(error).__name__}: {error}"[:500])
        code = response.status
        detail = response.data[:300].decode("utf-8", "replace") if code >= 300 else None
        if code in (200, 201, 202, 204):
            return outcome("sent", status_code=code)
        if code in (404, 410):
            return outcome("gone", status_code=code, error=detail)
        if code == 429:
            return outcome("backoff", status_code=code, error=detail,
                           retry_after=parse_retry_after(response.headers.get("Retry-After")))
        if code >= 500:
            return outcome("retry", status_code=code, error=detail)
        if code == 413:
            log.error("push payload too large for %s (delivery %s): this is our bug", job.host, job.delivery_id)
        else:
            log.error("push service %s refused delivery %s with %s: %s", job.host, job.delivery_id, code, detail)
        return outcome("failed", status_code=code, error=detail)
