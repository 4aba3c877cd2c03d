"""The outbox worker: claims pending deliveries, sends them concurrently, settles the results.

Run it with ``flask --app wsgi worker`` (the Procfile's ``worker:`` line); ``make run`` also runs it
in a thread of the web process. Any number of workers, on any number of machines, can drain one
PostgreSQL database:

- claiming takes rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` (on SQLite, whose writers are
  serialised by ``BEGIN IMMEDIATE``, a conditional ``UPDATE``), stamps them with a claim token and
  ``claimed_until``, and commits before sending: nothing is locked while we wait on the network;
- a claim expires, so the rows of a worker that was killed mid-batch are taken again later;
- settling only touches rows that still carry our claim token.

Delivery is at least once: a worker that stalls past its claim and then sends anyway can repeat a
message. Where it matters most (reports) the Topic header makes the push service replace rather than
stack such a repeat.
"""

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import timedelta

from flask import Flask
from sqlalchemy import case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from api.extensions import db
from api.models import Delivery, DeliveryStatus, PushHostBackoff, PushSubscription, PushUrgency, utcnow
from api.push import signal
from api.push.sender import Job, Outcome, Sender, VapidSigner
from api.services import push_payload, push_subscriptions

log = logging.getLogger(__name__)

SWEEP_INTERVAL = 60
MAX_RETRY_DELAY = 3600
OPEN = (DeliveryStatus.pending, DeliveryStatus.sending)


class Worker:
    def __init__(self, app: Flask, name: str | None = None):
        self.app = app
        config = app.config
        self.name = name or f"{socket.gethostname()[:30]}:{os.getpid()}"
        self.batch_size = config["PUSH_BATCH_SIZE"]
        self.claim_seconds = config["PUSH_CLAIM_SECONDS"]
        self.max_attempts = config["PUSH_MAX_ATTEMPTS"]
        self.retry_base = config["PUSH_RETRY_BASE_SECONDS"]
        self.poll_seconds = config["PUSH_POLL_SECONDS"]
        self.sender = Sender(
            VapidSigner(config["VAPID_PRIVATE_KEY"], config["VAPID_SUBJECT"]),
            pool_size=config["PUSH_CONCURRENCY"],
            connect_timeout=config["PUSH_CONNECT_TIMEOUT"],
            read_timeout=config["PUSH_READ_TIMEOUT"],
        )
        self.concurrency = config["PUSH_CONCURRENCY"]
        self.pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="push-send")
        # Sends in flight at once: the pool plus a queue as deep, so it never runs dry between claims.
        self.window = max(2 * self.concurrency, self.batch_size)
        self.refill_size = max(self.batch_size, self.window // 2)
        self._next_sweep = 0.0

    # -- claim ---------------------------------------------------------------------------------
    def claim(self, limit: int | None = None) -> tuple[str, list[Job]]:
        """Take up to a batch of due deliveries for this worker; committed before anything is sent."""
        token = f"{self.name}:{uuid.uuid4().hex[:10]}"
        now = utcnow()
        backing_off = select(PushHostBackoff.host).where(PushHostBackoff.retry_after > now)
        due = (
            select(Delivery.id)
            .where(
                Delivery.status.in_(OPEN),
                Delivery.next_attempt_at <= now,
                or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
                Delivery.push_host.not_in(backing_off),
            )
            # Urgent reports first when the outbox is long.
            .order_by(case((Delivery.urgency == PushUrgency.high, 0), else_=1), Delivery.next_attempt_at, Delivery.id)
            .limit(limit or self.batch_size)
        )
        if db.engine.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True, of=Delivery)
        ids = list(db.session.scalars(due))
        if not ids:
            db.session.rollback()
            return token, []
        db.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status.in_(OPEN),
                   or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now))
            .values(status=DeliveryStatus.sending, claimed_by=token,
                    claimed_until=now + timedelta(seconds=self.claim_seconds))
            .execution_options(synchronize_session=False)
        )
        rows = db.session.execute(
            select(Delivery.id, Delivery.subscription_id, Delivery.push_host, Delivery.payload, Delivery.urgency,
                   Delivery.ttl, Delivery.topic, PushSubscription.endpoint, PushSubscription.p256dh,
                   PushSubscription.auth)
            .outerjoin(PushSubscription, PushSubscription.id == Delivery.subscription_id)
            .where(Delivery.claimed_by == token)
        ).all()
        orphans = [row.id for row in rows if row.endpoint is None]
        if orphans:
            db.session.execute(update(Delivery).where(Delivery.id.in_(orphans))
                               .values(status=DeliveryStatus.gone, claimed_by=None, claimed_until=None)
                               .execution_options(synchronize_session=False))
        db.session.commit()
        jobs = [
            Job(row.id, row.subscription_id, row.endpoint, row.p256dh, row.auth, row.push_host,
                push_payload.encode(row.payload), PushUrgency(row.urgency).value, row.ttl, row.topic)
            for row in rows if row.endpoint is not None
        ]
        return token, jobs

    # -- send ----------------------------------------------------------------------------------
    def _send_one(self, job: Job, blocked: dict[str, float], lock: threading.Lock) -> Outcome:
        # A 429 from a host stops the rest of this run for that host, not just later claims.
        with lock:
            wait = blocked.get(job.host)
        if wait is not None:
            return Outcome(job.delivery_id, job.subscription_id, job.host, "deferred", retry_after=wait)
        result = self.sender.send(job)
        if result.result == "backoff":
            with lock:
                blocked[job.host] = max(blocked.get(job.host, 0), result.retry_after or 0)
        return result

    # -- settle --------------------------------------------------------------------------------
    def settle(self, token: str, outcomes: list[Outcome]) -> None:
        now = utcnow()
        mine = Delivery.claimed_by == token
        released = {"claimed_by": None, "claimed_until": None}
        by_result: dict[str, list[Outcome]] = defaultdict(list)
        for item in outcomes:
            by_result[item.result].append(item)

        sent = by_result["sent"]
        if sent:
            db.session.execute(
                update(Delivery).where(Delivery.id.in_([o.delivery_id for o in sent]), mine)
                .values(status=DeliveryStatus.sent, sent_at=now, attempts=Delivery.attempts + 1,
                        last_error=None, **released)
                .execution_options(synchronize_session=False))
            db.session.execute(
                update(PushSubscription).where(PushSubscription.id.in_({o.subscription_id for o in sent}))
                .values(last_success_at=now).execution_options(synchronize_session=False))

        for item in by_result["gone"]:
            push_subscriptions.forget(item.subscription_id)
            db.session.execute(update(Delivery).where(Delivery.id == item.delivery_id)
                               .values(last_error=f"{item.status_code} {item.error or ''}"[:500])
                               .execution_options(synchronize_session=False))

        hosts: dict[str, float] = {}
        for item in by_result["backoff"]:
            hosts[item.host] = max(hosts.get(item.host, 0), item.retry_after or 0)
        for host, seconds in hosts.items():
            self._back_off(host, now + timedelta(seconds=seconds))
            log.warning("push host %s asked us to wait %.0f s", host, seconds)

        for item in by_result["backoff"] + by_result["deferred"]:
            counted = item.result == "backoff"
            values = {"status": DeliveryStatus.pending,
                      "next_attempt_at": now + timedelta(seconds=item.retry_after or 0), **released}
            if counted:
                values.update(attempts=Delivery.attempts + 1, last_error=f"429 {item.error or ''}"[:500])
            db.session.execute(update(Delivery).where(Delivery.id == item.delivery_id, mine).values(**values)
                               .execution_options(synchronize_session=False))

        for item in by_result["retry"]:
            self._retry_later(item, token, now)

        failed = by_result["failed"]
        for item in failed:
            db.session.execute(
                update(Delivery).where(Delivery.id == item.delivery_id, mine)
                .values(status=DeliveryStatus.failed, attempts=Delivery.attempts + 1,
                        last_error=f"{item.status_code or ''} {item.error or ''}".strip()[:500], **released)
                .execution_options(synchronize_session=False))
        db.session.commit()

    def _retry_later(self, item: Outcome, token: str, now) -> None:
        attempts = db.session.scalar(select(Delivery.attempts).where(Delivery.id == item.delivery_id)) or 0
        attempts += 1
        error = f"{item.status_code or ''} {item.error or ''}".strip()[:500]
        values = {"attempts": attempts, "last_error": error, "claimed_by": None, "claimed_until": None}
        if attempts >= self.max_attempts:
            log.error("push delivery %s failed after %s attempts: %s", item.delivery_id, attempts, error)
            values["status"] = DeliveryStatus.failed
        else:
            delay = min(self.retry_base * 2 ** (attempts - 1), MAX_RETRY_DELAY)
            values["status"] = DeliveryStatus.pending
            values["next_attempt_at"] = now + timedelta(seconds=delay * random.uniform(1.0, 1.2))
        db.session.execute(update(Delivery).where(Delivery.id == item.delivery_id, Delivery.claimed_by == token)
                           .values(**values).execution_options(synchronize_session=False))

    def _back_off(self, host: str, until) -> None:
        dialect = db.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(PushHostBackoff).values(host=host, retry_after=until)
        statement = statement.on_conflict_do_update(index_elements=["host"], set_={"retry_after": until})
        db.session.execute(statement)

    # -- loop ----------------------------------------------------------------------------------
    def run_once(self) -> int:
        """Send everything claimable now as a stream; returns how many deliveries were handled.

        Claims come in small batches and sends start as soon as a batch is claimed, so the first
        message leaves within milliseconds; up to ``window`` sends are in flight, so the pool never
        waits for the slowest send of a batch. Results are settled in groups as they come in.
        """
        window = self.window
        in_flight: dict[Future, str] = {}
        finished: dict[str, list[Outcome]] = defaultdict(list)
        blocked: dict[str, float] = {}
        lock = threading.Lock()
        handled = unsettled = 0
        exhausted = False
        last_settle = time.monotonic()
        # The first claim is small so the first message leaves at once; refills are larger and rarer,
        # because every claim is a database round trip on this thread.
        limit = self.batch_size
        while True:
            room = window - len(in_flight)
            if not exhausted and (not in_flight or room >= window // 2):
                with self.app.app_context():
                    token, jobs = self.claim(min(room, limit))
                limit = self.refill_size
                exhausted = not jobs
                for job in jobs:
                    in_flight[self.pool.submit(self._send_one, job, blocked, lock)] = token
            if not in_flight:
                break
            done, _ = wait(in_flight, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                finished[in_flight.pop(future)].append(future.result())
                handled += 1
                unsettled += 1
            if unsettled and (not in_flight or unsettled >= window // 2 or time.monotonic() - last_settle > 0.5):
                with self.app.app_context():
                    for token, outcomes in finished.items():
                        self.settle(token, outcomes)
                finished.clear()
                unsettled, last_settle = 0, time.monotonic()
        return handled

    def drain(self, max_rounds: int = 1000) -> int:
        """Send everything that is due now (tests, ``flask worker --once``)."""
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            if not handled:
                break
            total += handled
        return total

    def sweep_if_due(self) -> None:
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + SWEEP_INTERVAL
        from api.sweep import run_sweep

        with self.app.app_context():
            run_sweep()

    def run(self, stop: threading.Event, *, sweep: bool = True) -> None:
        log.info("push worker %s started", self.name)
        while not stop.is_set():
            try:
                if sweep:
                    self.sweep_if_due()
                if self.run_once():
                    continue
            except Exception:
                log.exception("push worker %s: batch failed; its claims expire and are retried", self.name)
                time.sleep(1)
            signal.wait(self.poll_seconds)
        self.close()
        log.info("push worker %s stopped", self.name)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.sender.close()


def listen_postgres(app: Flask, stop: threading.Event) -> None:
    """Wake this process's worker when any process commits new deliveries (PostgreSQL NOTIFY)."""
    import psycopg

    from api.services.notifications import PG_CHANNEL

    with app.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    while not stop.is_set():
        try:
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute(f"LISTEN {PG_CHANNEL}")
                while not stop.is_set():
                    for _ in connection.notifies(timeout=1.0):
                        signal.wake()
        except Exception:
            log.warning("push NOTIFY listener lost its connection; retrying", exc_info=True)
            stop.wait(5)


class BackgroundWorker:
    """A worker (and, on PostgreSQL, its NOTIFY listener) in daemon threads of this process."""

    def __init__(self, app: Flask, *, sweep: bool = True):
        self.stop_event = threading.Event()
        self.worker = Worker(app)
        self.thread = threading.Thread(target=self.worker.run, args=(self.stop_event,), kwargs={"sweep": sweep},
                                       name="push-worker", daemon=True)
        self.thread.start()
        with app.app_context():
            on_postgres = db.engine.dialect.name == "postgresql"
        if on_postgres:
            threading.Thread(target=listen_postgres, args=(app, self.stop_event), name="push-listen",
                             daemon=True).start()

    def stop(self, timeout: float = 10) -> None:
        self.stop_event.set()
        signal.wake()
        self.thread.join(timeout)


def start_in_background(app: Flask, *, sweep: bool = True) -> BackgroundWorker:
    return BackgroundWorker(app, sweep=sweep)
