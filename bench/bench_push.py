"""Throughput of Web Push sends to the local push service.

Starts the local push service (tests/fakes/push_service.py) in its own process,
so it has a core of its own and checks every request (VAPID JWT, headers,
aes128gcm decryption) as in the tests, then measures in the same run:

* ``bare pywebpush``: a loop calling ``pywebpush.webpush()`` directly, the
  baseline the portal's pipeline is compared with;
* ``bare pywebpush, shared session``: the same loop with one ``requests.Session``
  (connection reuse), for reference;
* ``portal transport``: payload building, topic derivation and the ``webpush``
  transport, as a background job calls them.
* ``portal: queue + database``: the whole path of a status change: the event
  handler (in this process, as in the web app) builds the notification and
  enqueues it in a SqliteHuey queue; a ``huey_consumer portal.worker.huey`` process
  with thread workers (as scripts/run.sh starts it; ``--consumer thread`` runs a
  consumer inside this process instead) runs the job, which reads the devices
  from the portal's SQLite database, claims each attempt in the delivery log,
  sends through the transport and records the outcome. Measured from the first
  enqueue until the push service has accepted every message; CPU counts both
  processes. Budget: at least 70 % of the bare pywebpush loop's rate.

Each measurement is one function taking the :class:`Bench` and a count; add a
further one to ``MEASUREMENTS``.

Usage: ``.venv/bin/python bench/bench_push.py [--count 10000] [--subscriptions 100]
[--workers 2] [--consumer process|thread] [--only bare --only queue]``
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import webpush

from app.push.message import DEFAULT_TTL_SECONDS, SendOptions, topic_for
from app.push.payload import status_change
from app.push.transports import Outcome, create_transport
from tests.fakes.push_service import FakePushService

SUB = "mailto:it-service@buergerportal-dueren.de"
WARMUP = 50
# The portal's pipeline must reach this share of the bare pywebpush loop's rate.
QUEUE_BUDGET = 0.70


@dataclass
class Bench:
    """What every measurement shares: the VAPID key, subscriptions and the service."""

    vapid_key: ec.EllipticCurvePrivateKey
    subscriptions: list[dict[str, Any]]
    server: Connection
    workers: int = 2
    consumer: str = "process"

    def server_stats(self) -> dict[str, int]:
        """Ask the push service process for its counters."""
        self.server.send("stats")
        return self.server.recv()

    def reset_server(self) -> None:
        """Zero the push service's counters."""
        self.server.send("reset")
        self.server.recv()


@dataclass
class Measurement:
    """Sends counted by the push service and the time they took."""

    name: str
    count: int
    seconds: float
    client_cpu: float
    server_cpu: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def _payload(number: int) -> dict[str, Any]:
    return status_change(
        application_id=number,
        reference=f"2025-HUND-{number:06d}",
        status_label="Genehmigt",
        url=f"/antraege/{number}",
        language="de",
    )


def _timed(bench: Bench, name: str, count: int, send: Callable[[int], None]) -> Measurement:
    """Warm up, then run ``send(i)`` ``count`` times; check the service accepted all."""
    for number in range(WARMUP):
        send(number)
    bench.reset_server()
    server_cpu = bench.server_stats()["cpu_seconds"]
    client_cpu = time.process_time()
    started = time.perf_counter()
    for number in range(count):
        send(number)
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    stats = bench.server_stats()
    if stats["deliveries"] != count or stats["rejections"]:
        raise SystemExit(f"{name}: push service counted {stats}, expected {count} deliveries")
    return Measurement(name, count, seconds, client_cpu, stats["cpu_seconds"] - server_cpu)


def measure_bare_pywebpush(bench: Bench, count: int) -> Measurement:
    """``pywebpush.webpush()`` in a loop, as its documentation shows it."""
    vapid = Vapid02(bench.vapid_key)
    subscriptions = bench.subscriptions

    def send(number: int) -> None:
        data = json.dumps(_payload(number))
        webpush(
            subscriptions[number % len(subscriptions)],
            data,
            vapid_private_key=vapid,
            vapid_claims={"sub": SUB},
            ttl=DEFAULT_TTL_SECONDS,
            timeout=10,
        )

    return _timed(bench, "bare pywebpush", count, send)


def measure_bare_pywebpush_session(bench: Bench, count: int) -> Measurement:
    """The same loop with a shared ``requests.Session`` (keep-alive)."""
    vapid = Vapid02(bench.vapid_key)
    subscriptions = bench.subscriptions
    session = requests.Session()

    def send(number: int) -> None:
        data = json.dumps(_payload(number))
        webpush(
            subscriptions[number % len(subscriptions)],
            data,
            vapid_private_key=vapid,
            vapid_claims={"sub": SUB},
            ttl=DEFAULT_TTL_SECONDS,
            timeout=10,
            requests_session=session,
        )

    try:
        return _timed(bench, "bare pywebpush, shared session", count, send)
    finally:
        session.close()


def measure_transport(bench: Bench, count: int) -> Measurement:
    """Payload, topic and the portal's ``webpush`` transport, as a job calls them."""
    transport = create_transport(
        "webpush",
        vapid_private_key=bench.vapid_key,
        vapid_sub=SUB,
        allow_insecure_endpoints=True,
    )
    subscriptions = bench.subscriptions

    def send(number: int) -> None:
        subscription = subscriptions[number % len(subscriptions)]
        options = SendOptions(topic=topic_for(number))
        result = transport.send(subscription, _payload(number), options)
        if result.outcome is not Outcome.DELIVERED:
            raise SystemExit(f"portal transport: {result}")

    try:
        return _timed(bench, "portal transport", count, send)
    finally:
        transport.close()


def _portal_with_devices(
    bench: Bench, folder: Path, events: int
) -> tuple[Any, list[tuple[Any, Any]]]:
    """A portal on SQLite in ``folder`` with one citizen per device and ``events`` status changes.

    Returns the app's Huey (given a queue file of its own) and the (application,
    event) pairs to announce, all written beforehand: the clerk's part is not measured.
    """
    from huey.storage import SqliteStorage

    from app import migrations, tasks
    from app.applications.definitions import sync_builtin
    from app.db import db, utcnow
    from app.models import (
        Application,
        ApplicationEvent,
        PushSubscription,
        ServiceDefinitionRecord,
        User,
    )
    from portal import create_app

    create_app(_portal_env(bench, folder))
    # One line per job at INFO would measure the terminal, not the portal.
    for name in ("huey", "app.push"):
        logging.getLogger(name).setLevel(logging.WARNING)
    huey = tasks.huey
    assert not huey.immediate
    # A queue of its own: app.tasks chose its queue when first imported (the repo's
    # instance folder); a worker or another run there must not see these jobs.
    huey.storage = SqliteStorage(huey.name, filename=str(folder / "queue.sqlite3"))
    migrations.upgrade(db.obj)
    sync_builtin()

    record = ServiceDefinitionRecord.get(
        ServiceDefinitionRecord.service_id == "dog_tax_registration"
    )
    applications = []
    with db.atomic():
        for number, info in enumerate(bench.subscriptions):
            user = User.create(email=f"bench{number}@buergerportal-dueren.de")
            PushSubscription.create(
                user=user,
                endpoint=info["endpoint"],
                p256dh=info["keys"]["p256dh"],
                auth=info["keys"]["auth"],
                label="Bench",
            )
            applications.append(
                Application.create(
                    user=user,
                    definition=record,
                    service_id=record.service_id,
                    area=record.area,
                    status="in_review",
                    reference=f"B{number:06d}X",
                    submitted_at=utcnow(),
                )
            )
    statuses = ("info_requested", "in_review")
    with db.atomic():
        for start in range(0, events, 500):
            ApplicationEvent.insert_many(
                [
                    {
                        "application": applications[n % len(applications)].id,
                        "actor_role": "staff",
                        "kind": "status",
                        "from_status": statuses[(n + 1) % 2],
                        "to_status": statuses[n % 2],
                        "message": "",
                        "internal": False,
                        "at": utcnow(),
                    }
                    for n in range(start, min(start + 500, events))
                ]
            ).execute()
    changes = [
        (applications[n % len(applications)], event)
        for n, event in enumerate(ApplicationEvent.select().order_by(ApplicationEvent.id))
    ]
    db.close()
    return huey, changes


def _portal_env(bench: Bench, folder: Path) -> dict[str, str]:
    origin = bench.subscriptions[0]["endpoint"].rsplit("/push/", 1)[0]
    return {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "HUEY_IMMEDIATE": "0",
        "PUSH_ALLOWED_HOSTS": origin,
        # A retry (should one happen) is part of the run, not a 30 s pause.
        "PUSH_RETRY_BASE_SECONDS": "1",
    }


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of another process (Linux), 0 where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_queue_and_database(bench: Bench, count: int) -> Measurement:
    """Status change → handler → SqliteHuey → worker → job → SQLite → transport.

    The handler runs in this process, as in the web app; the jobs run in a
    ``huey_consumer portal.worker.huey`` process with thread workers, as started by
    scripts/run.sh (``--consumer thread``: a consumer inside this process).
    """
    import shutil
    import signal
    import subprocess
    import tempfile

    from app.models import PushDelivery
    from app.push import handlers

    folder = Path(tempfile.mkdtemp(prefix="bench-push-"))
    huey, changes = _portal_with_devices(bench, folder, WARMUP + count)
    worker_cpu: Callable[[], float]
    if bench.consumer == "process":
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("REDIS_URL", "DATABASE_URL", "PORTAL_INSTANCE")
        }
        env.update(_portal_env(bench, folder))
        log_path = folder / "worker.log"
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("huey_consumer")),
                "portal.worker.huey",
                "--workers",
                str(bench.workers),
                "--worker-type",
                "thread",
                "--delay",
                "0.005",
                "--max-delay",
                "0.05",
                "--quiet",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )
        worker_cpu = lambda: _process_cpu(worker.pid)  # noqa: E731

        def stop_worker() -> None:
            worker.send_signal(signal.SIGINT)  # graceful: running jobs finish
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    else:
        consumer = huey.create_consumer(
            workers=bench.workers,
            worker_type="thread",
            periodic=False,
            initial_delay=0.005,
            backoff=1.5,
            max_delay=0.05,
            check_worker_health=False,
        )
        # The consumer installs signal handlers; they must not outlive it.
        previous = {
            signum: signal.getsignal(signum)
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        }
        consumer.start()
        worker_cpu = lambda: 0.0  # noqa: E731 - counted in this process

        def stop_worker() -> None:
            consumer.stop(graceful=True)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def settled() -> bool:
        """Nothing queued, scheduled or half-sent: whatever was going to arrive has."""
        if huey.pending_count() or huey.scheduled_count():
            return False
        return not PushDelivery.select().where(PushDelivery.outcome == "sending").exists()

    def wait_for(deliveries: int) -> dict[str, int]:
        last, quiet_since = -1, time.monotonic()
        while True:
            stats = bench.server_stats()
            if stats["deliveries"] >= deliveries or stats["rejections"]:
                return stats
            if stats["deliveries"] != last:
                last, quiet_since = stats["deliveries"], time.monotonic()
            elif time.monotonic() - quiet_since > 5 and settled():
                return stats  # some never arrived: reported below
            time.sleep(0.01)

    try:
        bench.reset_server()  # the counters still hold the previous measurement's sends
        for application, event in changes[:WARMUP]:
            handlers.on_status_changed(application, event)
        wait_for(WARMUP)
        bench.reset_server()
        server_cpu = bench.server_stats()["cpu_seconds"]
        client_cpu = time.process_time() + worker_cpu()
        started = time.perf_counter()
        for application, event in changes[WARMUP:]:
            handlers.on_status_changed(application, event)
        stats = wait_for(count)
        seconds = time.perf_counter() - started
        client_cpu = time.process_time() + worker_cpu() - client_cpu
    finally:
        stop_worker()

    # Every notification must be accounted for: delivered once, or logged why not.
    delivered = PushDelivery.select().where(PushDelivery.outcome == "delivered").count()
    others = list(
        PushDelivery.select(PushDelivery.outcome, PushDelivery.reason)
        .where(PushDelivery.outcome != "delivered")
        .tuples()
    )
    if stats["deliveries"] != count or stats["rejections"] or delivered != WARMUP + count:
        for outcome, reason in others[:20]:
            print(f"  not delivered: {outcome}: {reason}")
        raise SystemExit(
            f"queue + database: push service counted {stats} (expected {count} deliveries), "
            f"delivery log has {delivered} delivered of {WARMUP + count} and "
            f"{len(others)} other attempts; worker log: {folder / 'worker.log'}"
        )
    shutil.rmtree(folder, ignore_errors=True)
    where = "worker process" if bench.consumer == "process" else "consumer thread"
    name = f"portal: queue + database ({where}, {bench.workers} thr)"
    return Measurement(name, count, seconds, client_cpu, stats["cpu_seconds"] - server_cpu)


# (key, function); the first one is the baseline the others are compared with.
MEASUREMENTS: list[tuple[str, Callable[[Bench, int], Measurement]]] = [
    ("bare", measure_bare_pywebpush),
    ("bare-session", measure_bare_pywebpush_session),
    ("transport", measure_transport),
    ("queue", measure_queue_and_database),
]


def serve(connection: Connection, subscriptions: int) -> None:
    """Run the push service in this (child) process until told to stop."""
    service = FakePushService(record=False).start()
    infos = [service.subscribe().info for _ in range(subscriptions)]
    connection.send(infos)
    while True:
        command = connection.recv()
        if command == "stats":
            connection.send({**service.stats(), "cpu_seconds": time.process_time()})
        elif command == "reset":
            service.reset()
            connection.send("ok")
        else:
            service.stop()
            connection.send("stopped")
            return


def machine_line() -> str:
    """Python, CPU and load figures, so results from different machines can be compared."""
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("pywebpush", "cryptography", "requests")
    )
    return (
        f"machine: {platform.python_implementation()} {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {cpus} CPUs ({usable} usable), "
        f"load average {load}; {versions}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="sends per measurement")
    parser.add_argument("--subscriptions", type=int, default=100, help="distinct devices")
    parser.add_argument(
        "--workers", type=int, default=2, help="Huey worker threads for the queue measurement"
    )
    parser.add_argument(
        "--consumer",
        choices=("process", "thread"),
        default="process",
        help="queue measurement: a huey_consumer process (as deployed) or a consumer thread",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[key for key, _ in MEASUREMENTS],
        help="run only these measurements (repeatable); the first listed is the baseline",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="rounds of all measurements; each keeps its fastest round (noise only slows)",
    )
    args = parser.parse_args(argv)
    selected = [m for m in MEASUREMENTS if not args.only or m[0] in args.only]

    print(machine_line())
    print(
        f"local push service: separate process, checks VAPID JWT and decrypts every "
        f"message; {args.subscriptions} subscriptions; {args.count} sends per measurement"
    )
    started = time.perf_counter()
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve, args=(theirs, args.subscriptions))
    process.start()
    theirs.close()  # so a crashed service process shows up as EOFError, not a hang
    try:
        bench = Bench(
            ec.generate_private_key(ec.SECP256R1()),
            ours.recv(),
            ours,
            workers=args.workers,
            consumer=args.consumer,
        )
        # Rounds alternate the measurements, so a slow spell of the machine hits all.
        best: dict[str, Measurement] = {}
        for round_number in range(1, args.repeat + 1):
            for key, measure in selected:
                result = measure(bench, args.count)
                print(
                    f"[{round_number}/{args.repeat}] {result.name:<50} {result.count:>7} "
                    f"sends in {result.seconds:7.2f} s = {result.rate:7.1f}/s  (CPU per "
                    f"send: sender {1000 * result.client_cpu / result.count:.2f} ms, push "
                    f"service {1000 * result.server_cpu / result.count:.2f} ms)",
                    flush=True,
                )
                if key not in best or result.rate > best[key].rate:
                    best[key] = result
        results = [best[key] for key, _ in selected]
        print(f"fastest of {args.repeat} rounds:")
    finally:
        try:
            ours.send("stop")
            ours.recv()
        except (BrokenPipeError, EOFError):
            pass
        process.join(timeout=10)
    baseline = results[0]
    for result in results[1:]:
        print(f"{result.name} / {baseline.name}: {100 * result.rate / baseline.rate:.0f} %")
    missed = False
    queue = [r for r in results if r.name.startswith("portal: queue")]
    if queue and baseline.name == "bare pywebpush":
        share = queue[0].rate / baseline.rate
        missed = share < QUEUE_BUDGET
        print(
            f"budget: portal with queue and database at {100 * share:.0f} % of the bare "
            f"pywebpush loop (needs {100 * QUEUE_BUDGET:.0f} %): {'MISSED' if missed else 'met'}"
        )
    print(f"elapsed: {time.perf_counter() - started:.1f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
