"""The portal's hot paths in process, side by side with the bare 20-row list.

The same paths, accounts and data as ``bench_http.py``, but without gunicorn and
without a network: each request goes through the Flask test client. On a machine that
runs other work, wall-clock figures mostly measure the neighbours; here each call is
timed in CPU time of this thread, the portal path and the bare list take turns in
batches (alternating which goes first), and the table shows medians of the rounds.

    .venv/bin/python bench/bench_inprocess.py                       # SQLite
    .venv/bin/python bench/bench_inprocess.py --database postgresql --rounds 5
    .venv/bin/python bench/bench_inprocess.py --only notices --calls 500

Columns: µs per request (median of the rounds' medians), the ratio of the bare list's
time to the path's (≥ 1.00: at least as fast as the bare list) and the 99th percentile
of single calls (collector pauses, cache misses and lazy work show up there).

As the gunicorn configuration (``gunicorn.conf.py``) does in each worker, objects made
during start-up are moved out of the collector's reach (``gc.freeze()``) before the
measurement, for the portal and the bare app alike; ``--no-gc-freeze`` leaves them in.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bare_list_app
import bench_http
from http_load import Request


def client_call(flask_app: object, request: Request) -> Callable[[], object]:
    """One request through ``flask_app``'s test client; refuses a wrong status."""
    client = flask_app.test_client(use_cookies=False)

    def call() -> None:
        response = client.open(
            request.path, method=request.method, headers=request.headers, data=request.body
        )
        if response.status_code != request.expect_status:
            raise SystemExit(f"{request.path} in process: {response.status_code}")

    return call


def timed_batch(call: Callable[[], object], calls: int) -> list[float]:
    """CPU time of this thread per call, in µs."""
    samples = []
    for _ in range(calls):
        began = time.thread_time_ns()
        call()
        samples.append((time.thread_time_ns() - began) / 1000)
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def side_by_side(
    bare: Callable[[], object], target: Callable[[], object], calls: int, rounds: int
) -> tuple[float, float, float, float]:
    """Median µs of the bare list and of the target, and their p99s."""
    for call in (bare, target):
        for _ in range(20):
            call()  # warm-up: caches, prepared statements
    medians: tuple[list[float], list[float]] = ([], [])
    every: tuple[list[float], list[float]] = ([], [])
    for round_number in range(rounds):
        order = [(0, bare), (1, target)]
        if round_number % 2:
            order.reverse()
        for side, call in order:
            samples = timed_batch(call, calls)
            medians[side].append(statistics.median(samples))
            every[side].extend(samples)
    return (
        statistics.median(medians[0]),
        statistics.median(medians[1]),
        percentile(every[0], 0.99),
        percentile(every[1], 0.99),
    )


def set_up(database: str) -> tuple[object, object, list[bench_http.PortalPath], Request]:
    """Portal and bare app on fresh databases, seeded, with signed-in sessions."""
    folder = Path(tempfile.mkdtemp(prefix="bench-inprocess-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    instance = folder / "instance"
    base_url = "http://localhost:5000"
    env = {
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE": str(instance),
        "PORTAL_BASE_URL": base_url,
        "HUEY_IMMEDIATE": "1",
    }
    if database == "postgresql":
        url = os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/bench_http"
        )
        env["DATABASE_URL"], bare_url = bench_http.postgres_urls(url)
        redis_url = bench_http.redis_for_limits(
            os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
        )
        if redis_url:
            env["REDIS_URL"] = redis_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{instance / 'portal.sqlite3'}"
        bare_url = f"sqlite:///{folder / 'bare.sqlite3'}"
    os.environ.update(env)
    _spec, create_app = bench_http.portal_factory()
    logging.disable(logging.INFO)
    portal_app = create_app(env)
    pass_text = bench_http.seed_portal()
    bare_list_app.seed(bare_url)
    bare_app = bare_list_app.create_app(bare_url)
    client = portal_app.test_client(use_cookies=False)

    def fetcher(request: Request) -> tuple[int, dict[str, str], bytes]:
        response = client.open(
            request.path, method=request.method, headers=request.headers, data=request.body
        )
        return response.status_code, dict(response.headers), response.get_data()

    paths, bare_list = bench_http.portal_paths(fetcher, base_url, instance, pass_text)
    paths = [p for p in paths if not p.label.startswith("GET /api/services")]
    return portal_app, bare_app, paths, bare_list


def chosen(paths: list[bench_http.PortalPath], only: str | None) -> list[bench_http.PortalPath]:
    return [p for p in paths if only is None or only in p.label]


def measure(args: argparse.Namespace) -> int:
    portal_app, bare_app, paths, bare_list = set_up(args.database)
    bare = client_call(bare_app, bare_list)
    if not args.no_gc_freeze:
        # As the gunicorn configuration does after start-up: what exists now lives on.
        gc.collect()
        gc.freeze()
    print(
        f"in process, {args.database}: {args.rounds} rounds of {args.calls} calls per side, "
        f"collector {'as it is' if args.no_gc_freeze else 'frozen after start-up'}"
    )
    print()
    print("| path | portal µs | bare list µs | ratio | p99 portal µs | p99 bare µs | p99 ok? |")
    print("|---|---|---|---|---|---|---|")
    for path in chosen(paths, args.only):
        floor, target, p99_floor, p99_target = side_by_side(
            bare, client_call(portal_app, path.request), args.calls, args.rounds
        )
        verdict = "yes" if p99_target <= p99_floor else "no"
        print(
            f"| {path.label} | {target:,.0f} | {floor:,.0f} | {floor / target:.2f} "
            f"| {p99_target:,.0f} | {p99_floor:,.0f} | {verdict} |"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=300, help="calls per side and round")
    parser.add_argument("--only", help="measure only paths whose label contains this")
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the collector as it is (gunicorn.conf.py freezes it after start-up)",
    )
    return measure(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
