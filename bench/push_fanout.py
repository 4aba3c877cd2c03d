"""Fan-out benchmark: one urgent report to 1,000 subscriptions on a fake push service answering after 50 ms.

    python bench/push_fanout.py [--subscriptions 1000] [--delay 0.05] [--skip-naive]

The report is filed through the reports service, fan-out included. Measures, with the in-process
worker (as ``make run`` starts it), the time from the report's commit to the first and to the last
delivery accepted by the push service. Then, in the same run, the naive loop:
one ``pywebpush.webpush()`` call after another to the same subscriptions. Prints both and the ratio.
Targets: all delivered within 2 s, at least 20x faster than the naive loop, first delivery under 200 ms.

The push service runs in its own process so that it does not compete with the worker for the GIL; it
sleeps ``--delay`` seconds before answering 201, like a real push service across the internet.
With DATABASE_URL set the outbox lives in that PostgreSQL database, in a schema of its own that is
dropped afterwards; otherwise in a temporary SQLite file.
"""

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def serve_fake_push(port_queue, delay: float) -> None:
    stats = {"count": 0, "first": None, "last": None}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            stats["first_arrival"] = stats.get("first_arrival") or time.time()
            time.sleep(delay)
            answered = time.time()
            stats["count"] += 1  # one thread at a time increments an int: the GIL makes this safe
            stats["first"] = stats["first"] or answered
            stats["last"] = max(stats["last"] or 0, answered)
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            body = json.dumps({**stats, "cpu": time.process_time()}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_DELETE(self):
            stats.update(count=0, first=None, last=None, first_arrival=None)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def stats(origin: str, method: str = "GET") -> dict:
    request = urllib.request.Request(origin + "/stats", method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read() or b"{}") if method == "GET" else {}


def wait_for(origin: str, count: int, timeout: float) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        current = stats(origin)
        if current["count"] >= count:
            return current
        time.sleep(0.05)  # the push service records the times; polling often would only steal its CPU
    return stats(origin)


def make_people(n: int, origin: str):
    """A group with one moderator and n subscribed members, written straight into the database."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from sqlalchemy import insert

    from api.extensions import db
    from api.instance_secrets import b64url
    from api.models import Group, GroupStatus, MemberRole, Membership, MembershipStatus, PushSubscription, User
    from api.models import utcnow as now

    group = Group(name="Bench", review_at=now(), status=GroupStatus.active)
    db.session.add(group)
    users = [{"email": f"bench{i}@example.nl", "password_hash": "x", "display_name": f"Buur {i}",
              "locale": "nl" if i % 3 else "en"} for i in range(n + 1)]
    db.session.execute(insert(User), users)
    db.session.flush()
    ids = [u.id for u in db.session.query(User.id).order_by(User.id)]
    moderator, members = ids[0], ids[1:]
    db.session.execute(insert(Membership), [
        {"group_id": group.id, "user_id": uid, "role": MemberRole.moderator if uid == moderator else MemberRole.member,
         "status": MembershipStatus.active} for uid in ids])
    subscriptions = []
    for uid in members:
        key = ec.generate_private_key(ec.SECP256R1())
        p256dh = b64url(key.public_key().public_bytes(serialization.Encoding.X962,
                                                      serialization.PublicFormat.UncompressedPoint))
        subscriptions.append({"user_id": uid, "endpoint": f"{origin}/push/{uid}", "p256dh": p256dh,
                              "auth": b64url(os.urandom(16))})
    db.session.execute(insert(PushSubscription), subscriptions)
    db.session.commit()
    return group.id, moderator, subscriptions


def file_urgent_report(group_id: int, author_id: int) -> None:
    """Through the reports service, as ``POST /groups/{id}/reports`` does (fan-out included)."""
    from api.extensions import db
    from api.models import ReportCategory, Urgency, User
    from api.services import reports

    reports.file_report(group_id, {
        "category": ReportCategory.burglary, "urgency": Urgency.urgent, "called_112": True,
        "description": "Twee mannen bij een achterdeur.", "location": {"text": "Merelstraat 1-21"},
    }, db.session.get(User, author_id))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--skip-naive", action="store_true", help="leave out the (slow) naive loop")
    args = parser.parse_args()

    port_queue = multiprocessing.Queue()
    fake = multiprocessing.Process(target=serve_fake_push, args=(port_queue, args.delay), daemon=True)
    fake.start()
    origin = f"http://127.0.0.1:{port_queue.get(timeout=10)}"

    tmp = tempfile.mkdtemp(prefix="push-bench-")
    os.environ.setdefault("INSTANCE_PATH", os.path.join(tmp, "instance"))
    from api import create_app
    from api.extensions import db

    # The worker starts once the tables exist, as it would in a running app.
    config = {"PUSH_ENDPOINT_ALLOWLIST": [origin], "RUN_WORKER_IN_PROCESS": False, "LOG_LEVEL": "WARNING"}
    schema = None
    if os.environ.get("DATABASE_URL"):
        schema = "bench_" + uuid.uuid4().hex[:10]
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{os.path.join(tmp, 'bench.db')}"
    app = create_app(config)
    n = args.subscriptions
    with app.app_context():
        if schema:
            with db.engine.begin() as connection:
                connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        db.create_all()
        group_id, moderator, subscriptions = make_people(n, origin)
    from api.push.worker import start_in_background

    background = start_in_background(app)
    time.sleep(1.0)  # let it finish its first sweep and go idle, as a running app's worker would be
    with app.app_context():
        print(f"database: {db.engine.dialect.name}; {n} subscriptions; push service answers after "
              f"{args.delay * 1000:.0f} ms; worker: {app.config['PUSH_CONCURRENCY']} parallel sends, "
              f"batches of {app.config['PUSH_BATCH_SIZE']}")

        before = stats(origin)["cpu"], time.process_time()
        started = time.time()
        file_urgent_report(group_id, moderator)
        committing = time.time()
        db.session.commit()
        committed = time.time()
    print(f"urgent report filed with {n} delivery rows in its transaction in {(committing - started) * 1000:.0f} ms;"
          f" commit took {(committed - committing) * 1000:.0f} ms")
    result = wait_for(origin, n, timeout=120)
    if result["count"] < n:
        print(f"FAIL: only {result['count']} of {n} delivered")
        return 1
    first, last = result["first"] - committing, result["last"] - committing
    print(f"cpu used: worker process {time.process_time() - before[1]:.2f} s, "
          f"push service {result['cpu'] - before[0]:.2f} s")
    print(f"worker: commit -> first delivery {first * 1000:.0f} ms (arrived at the push service after "
          f"{(result['first_arrival'] - committing) * 1000:.0f} ms), commit -> last delivery {last:.2f} s")
    background.stop()
    with app.app_context():
        from sqlalchemy import func, select

        from api.models import Delivery, DeliveryStatus

        sent = db.session.scalar(select(func.count()).where(Delivery.status == DeliveryStatus.sent))
        print(f"outbox: {sent} of {n} deliveries marked sent")

    ok = last <= 2.0 and first < 0.2
    if not args.skip_naive:
        from pywebpush import webpush

        stats(origin, "DELETE")
        payload = json.dumps({"type": "report.urgent", "title": "Spoedmelding in je buurt", "url": "/reports/1"})
        naive_started = time.time()
        for sub in subscriptions:
            webpush({"endpoint": sub["endpoint"], "keys": {"p256dh": sub["p256dh"], "auth": sub["auth"]}},
                    data=payload, vapid_private_key=app.config["VAPID_PRIVATE_KEY"],
                    vapid_claims={"sub": app.config["VAPID_SUBJECT"]}, ttl=1800)
        naive = time.time() - naive_started
        assert stats(origin)["count"] == n
        ratio = naive / last
        print(f"naive loop (one webpush() after another): {naive:.2f} s")
        print(f"worker is {ratio:.1f}x faster than the naive loop")
        ok = ok and ratio >= 20
    print("targets (all within 2 s, first under 200 ms, >= 20x naive):", "MET" if ok else "MISSED")
    fake.terminate()
    if schema:
        with app.app_context(), db.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
