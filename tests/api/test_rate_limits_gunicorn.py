"""The documented rate limits hold across gunicorn's worker processes.

The portal is started as ``scripts/run.sh`` starts it (gunicorn, two workers with four
threads each) on SQLite without Redis. Code requests are sent alternately over two
kept-alive connections that each belong to a different worker, so a limit counted per
process would let each worker pass its own five.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
CODE_REQUESTS_PER_MINUTE = 5  # api/auth.py, documented in the OpenAPI description
STARTUP_SECONDS = 120


@dataclass
class Gunicorn:
    """A running gunicorn: its port and the access log (one line per request, with pid)."""

    port: int
    access_log: Path

    def access_lines(self) -> list[str]:
        """The access log so far."""
        if not self.access_log.exists():
            return []
        return self.access_log.read_text(encoding="utf-8").splitlines()

    def pid_of(self, marker: str) -> str:
        """The worker that served the request whose target contains ``marker``."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for line in self.access_lines():
                pid, target = line.split(" ", 2)[:2]
                if target.endswith(marker):
                    return pid
            time.sleep(0.05)  # gunicorn logs the request just after answering it
        raise AssertionError(f"no access log line for {marker}")


def _wait_for(condition, what: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn ended early:\n{log.read_text()}")
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}:\n{log.read_text()}")


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[Gunicorn]:
    """The portal in development mode under gunicorn, 2 workers × 4 threads, no Redis."""
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RATELIMIT_ENABLED")}
    env.update(
        PORTAL_ENV="development",
        PORTAL_INSTANCE=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'portal.sqlite3'}",
        RATELIMIT_STORAGE_URI="",
    )
    subprocess.run(
        [BIN / "flask", "--app", "portal", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    error_log, access_log = tmp_path / "error.log", tmp_path / "access.log"
    command = [
        BIN / "gunicorn",
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "2",
        "--threads",
        "4",
        # Idle connections stay open while the test reads the access log.
        "--keep-alive",
        "60",
        "--error-logfile",
        error_log,
        "--access-logfile",
        access_log,
        "--access-logformat",
        "%(p)s %(U)s?%(q)s %(s)s",
        "portal:create_app()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    try:
        _wait_for(lambda: error_log.exists(), "the error log", process, error_log)
        _wait_for(
            lambda: error_log.read_text().count("Booting worker") >= 2,
            "two workers",
            process,
            error_log,
        )
        listening = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", error_log.read_text())
        assert listening, error_log.read_text()
        yield Gunicorn(int(listening.group(1)), access_log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _connections_to_two_workers(server: Gunicorn) -> dict[str, http.client.HTTPConnection]:
    """Kept-alive connections, one served by each of two different workers."""
    by_pid: dict[str, http.client.HTTPConnection] = {}
    spare: list[http.client.HTTPConnection] = []
    for probe in range(1000):
        if probe >= 50:
            # A busy machine may leave one worker to take every connection for a while:
            # give the other a moment to reach accept().
            time.sleep(0.02)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("GET", f"/api/health/live?probe={probe}")
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        pid = server.pid_of(f"probe={probe}")
        if pid in by_pid:
            spare.append(conn)
        else:
            by_pid[pid] = conn
        if len(by_pid) == 2:
            break
    for conn in spare:
        conn.close()
    assert len(by_pid) == 2, "gunicorn handed every connection to the same worker"
    return by_pid


def test_code_requests_are_limited_across_gunicorn_workers(gunicorn):
    connections = _connections_to_two_workers(gunicorn)
    pids = list(connections)
    answers = []
    for i in range(12):
        pid = pids[i % 2]
        connections[pid].request(
            "POST",
            f"/api/auth/email/start?n={i}",
            body=json.dumps({"email": f"worker{i}@example.org"}),
            headers={"Content-Type": "application/json", "Accept-Language": "de"},
        )
        response = connections[pid].getresponse()
        answers.append((response.status, response.getheader("Retry-After"), response.read()))
    for conn in connections.values():
        conn.close()

    statuses = [status for status, _, _ in answers]
    assert statuses == [202] * CODE_REQUESTS_PER_MINUTE + [429] * 7
    for _status, retry_after, body in answers[CODE_REQUESTS_PER_MINUTE:]:
        error = json.loads(body)
        assert error["status"] == 429 and error["code"] == "too_many_requests"
        assert error["message"].startswith("Zu viele Versuche")
        assert retry_after and int(retry_after) > 0
    # Each worker served six of the twelve: the limit held across both of them.
    served = [gunicorn.pid_of(f"n={i}") for i in range(12)]
    assert {pid: served.count(pid) for pid in pids} == {pids[0]: 6, pids[1]: 6}
