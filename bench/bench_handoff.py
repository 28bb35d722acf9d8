"""Throughput of hand-offs through the outbox to a signed-webhook receiver.

Seeds 10,000 submitted applications directly in the database (one service version
with a ``webhook`` target pointing at the receiver), then measures in the same run:

* ``portal outbox``: for each application ``app.handoff.outbox.record(application,
  "submitted")``, as the status change's event handler calls it: the delivery row is
  written in a transaction, and its job runs once that commits (immediate mode, in
  this process): claim, build the hand-off document, sign, POST through the
  ``webhook`` backend, mark ``delivered`` with the receiver's case number;
* ``bare requests``: a loop POSTing the same bodies (as the receiver got them from
  the portal), each signed the Standard Webhooks way with ``hmac``, through
  ``requests.post`` (one connection per request, as the backend does).

The receiver runs in its own process (its own core), a minimal HTTP/1.1 server on
loopback that verifies every signature with ``app.handoff.signing.verify`` and answers
a case number; it counts distinct webhook ids, and both runs must deliver every one.

Usage: ``.venv/bin/python bench/bench_handoff.py [--applications 10000]
[--database sqlite|postgresql]``. PostgreSQL: BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/bench_http); the benchmark works in a schema of
its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from measure import database_line, machine_baseline, postgres_schema_url

from app.handoff import signing

SECRET_NAME = "bench"
SERVICE_ID = "waste_bins"
TARGET_ID = "fachverfahren"
PG_SCHEMA = "bench_handoff"


# --- The receiver (its own process) ---------------------------------------------------


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, key: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.key = key
        self.reset()

    def reset(self) -> None:
        self.seen: dict[str, bytes] = {}
        self.refused = 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        server: _Receiver = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            message_id = signing.verify([server.key], self.headers, body)
        except signing.SignatureInvalid:
            server.refused += 1
            self._answer(401, b'{"error":"signature"}')
            return
        # dict.setdefault is atomic under the GIL: a repeat keeps the first body.
        server.seen.setdefault(message_id, body)
        number = hashlib.sha256(message_id.encode()).hexdigest()[:10]
        self._answer(200, json.dumps({"case_number": f"AZ-{number}"}).encode())

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would measure the terminal


def serve(connection: Connection, key: bytes) -> None:
    """Run the receiver in this (child) process until told to stop."""
    import threading

    server = _Receiver(key)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection.send(server.server_address[1])
    while True:
        command = connection.recv()
        if command == "stats":
            connection.send(
                {
                    "distinct": len(server.seen),
                    "refused": server.refused,
                    "cpu_seconds": time.process_time(),
                }
            )
        elif command == "bodies":
            connection.send(dict(server.seen))
        elif command == "reset":
            server.reset()
            connection.send("ok")
        else:
            server.shutdown()
            connection.send("stopped")
            return


# --- Measuring ------------------------------------------------------------------------


@dataclass
class Measurement:
    name: str
    count: int
    seconds: float
    sender_cpu: float
    receiver_cpu: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds


class Receiver:
    """The receiver process, seen from the bench."""

    def __init__(self, key: bytes) -> None:
        self.pipe, theirs = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=serve, args=(theirs, key), daemon=True)
        self.process.start()
        theirs.close()  # a crashed receiver shows up as EOFError, not a hang
        self.port = self.pipe.recv()

    def ask(self, command: str) -> Any:
        self.pipe.send(command)
        return self.pipe.recv()

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, EOFError):
            self.ask("stop")
        self.process.join(timeout=10)


def _timed(receiver: Receiver, name: str, count: int, run: Any) -> Measurement:
    receiver.ask("reset")
    receiver_cpu = receiver.ask("stats")["cpu_seconds"]
    sender_cpu = time.process_time()
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    sender_cpu = time.process_time() - sender_cpu
    stats = receiver.ask("stats")
    if stats["distinct"] != count or stats["refused"]:
        raise SystemExit(f"{name}: the receiver counted {stats}, expected {count} deliveries")
    return Measurement(name, count, seconds, sender_cpu, stats["cpu_seconds"] - receiver_cpu)


def measure_bare(receiver: Receiver, url: str, key: bytes, bodies: dict[str, bytes]) -> Measurement:
    """``requests.post`` of each body, signed with ``hmac`` (Standard Webhooks v1)."""
    items = list(bodies.items())

    def run() -> None:
        for message_id, body in items:
            stamp = str(int(time.time()))
            digest = hmac.new(key, f"{message_id}.{stamp}.".encode() + body, hashlib.sha256)
            response = requests.post(
                url,
                data=body,
                headers={
                    "webhook-id": message_id,
                    "webhook-timestamp": stamp,
                    "webhook-signature": "v1," + base64.b64encode(digest.digest()).decode(),
                    "Content-Type": "application/json",
                },
                timeout=(5, 30),
            )
            response.raise_for_status()
            response.json()["case_number"]

    return _timed(receiver, "bare requests", len(items), run)


def measure_portal(receiver: Receiver, applications: list[Any]) -> Measurement:
    """``outbox.record`` per application; each delivery's job runs after the commit."""
    from app.db import db
    from app.handoff import outbox
    from app.models import HandoffDelivery

    def run() -> None:
        with db.connection_context():
            for application in applications:
                outbox.record(application, "submitted")

    measured = _timed(receiver, "portal outbox (record + attempt, webhook)", len(applications), run)
    with db.connection_context():
        delivered = HandoffDelivery.select().where(HandoffDelivery.state == "delivered").count()
    if delivered != len(applications):
        raise SystemExit(f"portal outbox: {delivered} of {len(applications)} rows delivered")
    return measured


# --- The portal and its data ----------------------------------------------------------


def portal_with_applications(
    folder: Path, database_url: str, secret: str, receiver_url: str, count: int
) -> list[Any]:
    """The portal on ``database_url`` with ``count`` submitted applications of a
    service version that hands off to ``receiver_url``; returns the applications."""
    from app import migrations
    from app.accounts import users
    from app.applications import definitions
    from app.applications.definitions import sync_builtin
    from app.db import db, utcnow
    from app.models import Application, Document, User
    from app.service_definitions.loader import BUILTIN_DIR
    from app.service_definitions.yaml_io import read_yaml
    from portal import create_app
    from tests.api.service_answers import complete_answers

    create_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(folder),
            "DATABASE_URL": database_url,
            "HUEY_IMMEDIATE": "1",
            f"HANDOFF_WEBHOOK_SECRET_{SECRET_NAME.upper()}": secret,
        }
    )
    # One line per delivery at INFO would measure the terminal, not the portal.
    for name in ("huey", "app.handoff"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with db.connection_context():
        migrations.upgrade(db.obj)
        sync_builtin()
        admin = users.create_user("bench-admin@buergerportal-dueren.de", "admin")
        data = read_yaml(BUILTIN_DIR / f"{SERVICE_ID}.yaml")
        data["version"] += 1
        data["handoff"] = [
            {
                "id": TARGET_ID,
                "backend": "webhook",
                "on": "submitted",
                "label": {"de": "Fachverfahren", "en": "Specialist system"},
                "settings": {"url": receiver_url, "secret": SECRET_NAME},
            }
        ]
        record = definitions.create_version(data, admin)
        definitions.change_state(record, "published", admin)
        answers = complete_answers(SERVICE_ID)
        now = utcnow()
        for start in range(0, count, 2000):
            numbers = range(start, min(start + 2000, count))
            with db.atomic():
                User.insert_many(
                    [
                        {
                            "email": f"b{n}@bench.example",
                            "role": "citizen",
                            "trust_level": "basic",
                            "locale": "de",
                            "user_handle": os.urandom(8),
                            "created_at": now,
                        }
                        for n in numbers
                    ]
                ).execute()
        first_user = User.select(User.id).where(User.email == "b0@bench.example").scalar()
        for start in range(0, count, 2000):
            numbers = range(start, min(start + 2000, count))
            with db.atomic():
                Application.insert_many(
                    [
                        {
                            "id": f"h{n:011d}",
                            "reference": f"B{n:07d}",
                            "user": first_user + n,
                            "definition": record.id,
                            "service_id": record.service_id,
                            "area": record.area,
                            "status": "submitted",
                            "answers": answers,
                            "revision": 2,
                            "fee_cents": 0,
                            "fees": {},
                            "warnings": [],
                            "applicant_name": "Musterfrau, Erika",
                            "created_at": now,
                            "updated_at": now,
                            "submitted_at": now,
                        }
                        for n in numbers
                    ]
                ).execute()
                # The receipt as its job stores it, so no PDF is rendered per delivery
                # (a webhook carries the file list, not the files).
                Document.insert_many(
                    [
                        {
                            "id": f"r{n:011d}",
                            "user": first_user + n,
                            "application": f"h{n:011d}",
                            "kind": "receipt",
                            "filename": f"Eingangsbestaetigung-B{n:07d}.pdf",
                            "content_type": "application/pdf",
                            "size": 1000,
                            "sha256": hashlib.sha256(str(n).encode()).hexdigest(),
                            "created_at": now,
                        }
                        for n in numbers
                    ]
                ).execute()
        applications = list(Application.select().order_by(Application.id))
    return applications


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-handoff-"))
    pg_url = ""
    if args.database == "postgresql":
        pg_url = os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/bench_http"
        )
        database_url = postgres_schema_url(pg_url, PG_SCHEMA)
    else:
        database_url = f"sqlite:///{folder / 'portal.sqlite3'}"
    print(machine_baseline(database_line(args.database, pg_url)), flush=True)

    secret = signing.make_secret(os.urandom(32))
    key = signing.parse_secret(secret)
    receiver = Receiver(key)
    url = f"http://127.0.0.1:{receiver.port}/hooks/antraege"
    try:
        started = time.perf_counter()
        applications = portal_with_applications(
            folder, database_url, secret, url, args.applications
        )
        print(
            f"seeded {len(applications):,} submitted applications on {args.database} in "
            f"{time.perf_counter() - started:.1f} s; receiver: own process, verifies every "
            "signature, one connection per request",
            flush=True,
        )
        portal = measure_portal(receiver, applications)
        bodies = receiver.ask("bodies")
        bare = measure_bare(receiver, url, key, bodies)
    finally:
        receiver.stop()
        shutil.rmtree(folder, ignore_errors=True)

    print()
    print(
        f"| sender ({args.database}) | deliveries | seconds | deliveries/s | ratio | "
        "sender CPU ms each | receiver CPU ms each |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in (bare, portal):
        print(
            f"| {result.name} | {result.count:,} | {result.seconds:.2f} | {result.rate:,.1f} | "
            f"{result.rate / bare.rate:.2f} | {1000 * result.sender_cpu / result.count:.2f} | "
            f"{1000 * result.receiver_cpu / result.count:.2f} |"
        )
    print()
    print(f"portal outbox / bare requests: {100 * portal.rate / bare.rate:.0f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
