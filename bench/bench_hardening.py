"""What the hardening costs: hostile bodies refused, and one rate-limit count.

1. Hostile request bodies sent by a signed-in citizen to ``POST /api/applications``
   through the whole portal (a 500,000-element array, JSON nested 1,000 deep, a
   9.9 MB answer), each refused with a 4xx. Next to each: the bare ``json.loads`` of
   the same bytes, the floor any server pays to read the body at all.
2. One rate-limit hit in the embedded default's SQLite counter (shared by all
   gunicorn workers), next to the ``limits`` package's in-memory counter (one process
   only) and Redis (when reachable).

    .venv/bin/python bench/bench_hardening.py
    .venv/bin/python bench/bench_hardening.py --rounds 3 --seconds 1   # quick

Redis is taken from BENCH_REDIS_URL (default: redis://127.0.0.1:6379/14); the
benchmark skips that row when no server answers and says so.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import machine_baseline, rate

from api.limit_storage import SqliteStorage
from app import migrations
from app.accounts import sessions, users
from app.applications.definitions import sync_builtin
from app.db import db
from portal import create_app

BASE_URL = "http://localhost:5000"


def _bodies() -> dict[str, bytes]:
    answers_array = {"service_id": "waste_bins", "answers": {"bins": list(range(500_000))}}
    # Written out, not encoded: the encoder itself cannot go 1,000 deep.
    nested = "[" * 1000 + '"x"' + "]" * 1000
    return {
        "500,000-element array": json.dumps(answers_array).encode(),
        "nested 1,000 deep": f'{{"service_id": "waste_bins", "answers": {nested}}}'.encode(),
        "9.9 MB answer": json.dumps(
            {"service_id": "waste_bins", "answers": {"remarks": "a" * 9_900_000}}
        ).encode(),
    }


def _median_ms(operation: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        operation()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _bare_parse(body: bytes) -> None:
    # The standard parser gives up on deep nesting too; that is its cost.
    with contextlib.suppress(RecursionError):
        json.loads(body)


def hostile_bodies(rounds: int) -> list[tuple[str, float, float, int]]:
    """(body, portal ms, bare json.loads ms, portal status) per hostile body."""
    instance = Path(tempfile.mkdtemp(prefix="bench-hardening-"))
    flask_app = create_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'portal.sqlite3'}",
            "PORTAL_BASE_URL": BASE_URL,
        }
    )
    migrations.upgrade(db.obj)
    sync_builtin()
    from api.limits import limiter

    limiter.enabled = False  # measured here: the refusal, not the throttle
    with db.connection_context():
        user = users.create_user("bench@example.org")
        token, session = sessions.start_session(user, "email", "bench", 1)
    client = flask_app.test_client()
    client.set_cookie(flask_app.config["SESSION_COOKIE_NAME"], token, domain="localhost")
    headers = {
        "Origin": BASE_URL,
        "X-CSRF-Token": session.csrf_token,
        "Content-Type": "application/json",
    }
    rows = []
    for name, body in _bodies().items():
        status = client.post("/api/applications", data=body, headers=headers).status_code
        portal = _median_ms(
            lambda body=body: client.post("/api/applications", data=body, headers=headers),
            rounds,
        )
        bare = _median_ms(lambda body=body: _bare_parse(body), rounds)
        rows.append((name, portal, bare, status))
    return rows


def limit_hits(seconds: float) -> list[tuple[str, float | None, str]]:
    """(counter, hits per second, note) for one rate-limit increment."""
    from limits.storage import MemoryStorage, storage_from_string

    folder = Path(tempfile.mkdtemp(prefix="bench-limits-"))
    sqlite = SqliteStorage(f"sqlite://{folder / 'ratelimits.sqlite3'}")
    memory = MemoryStorage()
    rows: list[tuple[str, float | None, str]] = [
        (
            "SQLite file (embedded default)",
            rate(lambda: sqlite.incr("k", 60), seconds),
            "all workers",
        ),
        ("limits MemoryStorage (bare)", rate(lambda: memory.incr("k", 60), seconds), "one process"),
    ]
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        redis = storage_from_string(redis_url)
        if not redis.check():
            raise ConnectionError(redis_url)
        rows.append(
            ("limits RedisStorage (bare)", rate(lambda: redis.incr("k", 60), seconds), "all nodes")
        )
        redis.reset()
    except Exception as exc:  # no server here: say so rather than leave the row out
        rows.append(("limits RedisStorage (bare)", None, f"not measured: {exc}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="requests per hostile body")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per counter")
    args = parser.parse_args()
    print(machine_baseline())
    print()
    print("| hostile body | portal refuses it (median ms) | bare json.loads (ms) | portal status |")
    print("|---|---|---|---|")
    for name, portal, bare, status in hostile_bodies(args.rounds):
        print(f"| {name} | {portal:.1f} | {bare:.1f} | {status} |")
    print()
    print("| rate-limit counter | hits/s | shared by |")
    print("|---|---|---|")
    for name, hits, note in limit_hits(args.seconds):
        figure = f"{hits:,.0f}" if hits is not None else "–"
        print(f"| {name} | {figure} | {note} |")


if __name__ == "__main__":
    main()
