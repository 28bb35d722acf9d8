"""A worker killed (SIGKILL) between sending a delivery and marking it: a real Huey
consumer (``huey_consumer portal.worker.huey``) on the test database (SQLite, or
PostgreSQL and a Redis queue when TEST_DATABASE_URL / TEST_REDIS_URL are set) sends to
a specialist system that takes the first message and holds its answer; the consumer
dies; a new one, after the lease, sends the same message again. The receiver sees one
delivery per application (the webhook id repeats) and the delivery ends ``delivered``.
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.db import db, utcnow
from app.handoff import outbox
from app.models import HandoffDelivery
from tests.api.engine_helpers import submitted
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.handoff.support import publish_with, target

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_" + base64.b64encode(b"steueramt-secret-for-the-tests!!").decode()
LEASE_SECONDS = 3
APPLICATIONS = 3
# Queue jobs as the portal does (the app built as the worker builds it).
QUEUE = """
import sys
from portal.worker import huey
from app.handoff import outbox
if sys.argv[1] == "deliver":
    huey.flush()  # nothing left over from an earlier run on the same Redis
    for delivery_id in sys.argv[2:]:
        outbox.deliver_handoff(int(delivery_id))
else:
    outbox.sweep_handoffs()
"""


@pytest.fixture
def worker_env(app, tmp_path) -> dict[str, str]:
    """The environment of the worker processes: the test database, a queue of their own."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RATELIMIT_ENABLED")}
    env.update(
        PORTAL_ENV="development",
        PORTAL_INSTANCE=str(tmp_path / "instance"),
        DATABASE_URL=app.config["DATABASE_URL"],
        RATELIMIT_STORAGE_URI="",
        HANDOFF_LEASE_SECONDS=str(LEASE_SECONDS),
        HANDOFF_WEBHOOK_SECRET_STEUERAMT=SECRET,
    )
    if os.environ.get("TEST_REDIS_URL"):
        env["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    return env


@pytest.fixture
def consumers(worker_env, tmp_path) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start consumers (one worker thread each); any still running are stopped after."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        log = open(tmp_path / f"consumer-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            # No periodic sweep of its own: the test queues the sweep when the lease is over.
            [BIN / "huey_consumer", "portal.worker.huey", "-w", "1", "-k", "thread", "-n"],
            cwd=ROOT,
            env=worker_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _queue(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-c", QUEUE, *args], cwd=ROOT, env=env, check=True, timeout=60)


def _rows() -> dict[str, HandoffDelivery]:
    with db.connection_context():
        return {row.application_id: row for row in HandoffDelivery.select()}


# Generous: a busy machine starts a worker slowly (alone, the test takes ~10 s).
WAIT_SECONDS = 90


def _wait_for(
    condition: Callable[[], bool], what: str, logs: Path, timeout: float = WAIT_SECONDS
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    states = {a: (r.state, r.attempts, r.last_error) for a, r in _rows().items()}
    shown = "\n".join(
        f"{p.name}:\n{p.read_text(errors='replace')}" for p in sorted(logs.glob("*.log"))
    )
    raise AssertionError(f"timed out waiting for {what}: {states}\n{shown}")


def test_a_worker_killed_between_send_and_mark_leaves_one_delivery_per_application(
    app, signed_in, worker_env, consumers, monkeypatch, tmp_path
):
    with WebhookReceiver(SECRET) as receiver:
        publish_with(
            "dog_tax_registration",
            target("steueramt", backend="webhook", url=receiver.url, secret="steueramt"),
        )
        # The jobs go to the workers' queue below, not to this process's.
        queued: list[int] = []
        monkeypatch.setattr(outbox, "deliver_handoff", queued.append)
        applications = [
            submitted(signed_in(f"crash-{n}@example.org"), "dog_tax_registration")["id"]
            for n in range(APPLICATIONS)
        ]
        assert len(queued) == APPLICATIONS
        receiver.hold_first(1)
        _queue(worker_env, "deliver", *map(str, queued))

        first = consumers()
        _wait_for(receiver.held.is_set, "the first consumer to send", tmp_path)
        first.kill()  # SIGKILL: between sending and marking
        first.wait(timeout=10)
        receiver.release.set()
        [held] = receiver.received
        held_application = held.json()["data"]["application"]["id"]
        assert _rows()[held_application].state == "sending"

        consumers()
        others = [a for a in applications if a != held_application]
        _wait_for(
            lambda: all(_rows()[a].state == "delivered" for a in others),
            "the other deliveries",
            tmp_path,
        )
        lease_until = _rows()[held_application].lease_until
        assert _rows()[held_application].state == "sending"  # its lease still runs
        _wait_for(lambda: utcnow() > lease_until, "the lease to run out", tmp_path)
        _queue(worker_env, "sweep")
        _wait_for(
            lambda: _rows()[held_application].state == "delivered", "the delivery again", tmp_path
        )

    rows = _rows()
    seen = Counter(entry.webhook_id for entry in receiver.received)
    assert seen == {f"{a}.steueramt": 2 if a == held_application else 1 for a in applications}
    per_application = {a: set() for a in applications}
    for entry in receiver.received:
        per_application[entry.json()["data"]["application"]["id"]].add(entry.webhook_id)
    assert all(len(ids) == 1 for ids in per_application.values()), per_application
    assert receiver.distinct_ids == {f"{a}.steueramt" for a in applications}
    again = rows[held_application]
    assert (again.state, again.attempts) == ("delivered", 2)
    assert again.remote_id == receiver.case_numbers[f"{held_application}.steueramt"]
    assert all(rows[a].attempts == 1 for a in others)
