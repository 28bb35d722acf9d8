"""What request ids, request metrics and the request's log line cost per request.

A bare Flask route (the floor) is called through the test client next to the same
route wrapped as the portal wraps every request (``api.request_signals``: request id,
endpoint and role hooks, counter + histogram, one log line). Both take turns in
batches; each call is timed in CPU time of this thread; the table shows the median of
the rounds and the difference, once with prometheus_client's values in this process
(development server) and once in multiprocess mode (gunicorn: values in mmapped files,
``PROMETHEUS_MULTIPROC_DIR``), each with the log line written as JSON and with logging
at WARNING (no line). A last table gives the cost of one ``/metrics`` scrape.

    .venv/bin/python bench/bench_request_signals.py
    .venv/bin/python bench/bench_request_signals.py --rounds 9 --calls 2000
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _timed(call: Callable[[], object], calls: int) -> float:
    """Median CPU µs of ``calls`` calls."""
    samples = []
    for _ in range(calls):
        began = time.thread_time_ns()
        call()
        samples.append((time.thread_time_ns() - began) / 1000)
    return statistics.median(samples)


def _apps(log_json: bool) -> tuple[Callable[[], object], Callable[[], object]]:
    from flask import Flask

    from api import request_signals
    from app import logs

    def build(signals: bool) -> Flask:
        app = Flask(f"bench-{signals}")
        app.config["LOG_CLIENT_ADDRESS"] = False
        app.config["LOG_REQUESTS"] = True

        if signals:
            request_signals.register_hooks(app)

        @app.get("/api/thing/<int:number>")
        def thing(number: int) -> dict:
            return {"number": number}

        if signals:
            request_signals.install(app)
        return app

    logs.configure("json" if log_json else "text", "INFO" if log_json else "WARNING", io.StringIO())
    calls = []
    for signals in (False, True):
        client = build(signals).test_client()

        def call(client=client) -> None:
            response = client.get("/api/thing/7", headers={"X-Request-ID": "bench-request-1"})
            if response.status_code != 200:
                raise SystemExit(f"unexpected {response.status_code}")

        calls.append(call)
    return calls[0], calls[1]


def measure(calls: int, rounds: int) -> dict[str, float]:
    """Run in a process whose metrics mode is already set: µs per request."""
    results: dict[str, float] = {}
    for log_json in (True, False):
        bare, wrapped = _apps(log_json)
        for call in (bare, wrapped):
            for _ in range(200):
                call()
        medians: tuple[list[float], list[float]] = ([], [])
        for number in range(rounds):
            order = [(0, bare), (1, wrapped)]
            if number % 2:
                order.reverse()
            for side, call in order:
                medians[side].append(_timed(call, calls))
        label = "json log line" if log_json else "no log line"
        results[f"bare ({label})"] = statistics.median(medians[0])
        results[f"signals ({label})"] = statistics.median(medians[1])
    results.update(_scrape_cost())
    return results


def _scrape_cost() -> dict[str, float]:
    """µs of one exposition with 60 endpoints × 4 status classes counted (no state
    gauges: they are database queries, measured by the database, not here)."""
    from app import metrics

    for endpoint in range(60):
        for status in (200, 304, 404, 500):
            metrics.observe_request(f"blueprint.endpoint_{endpoint}", "GET", status, 0.003)
    samples = []
    for _ in range(30):
        began = time.thread_time_ns()
        metrics.exposition()
        samples.append((time.thread_time_ns() - began) / 1000)
    return {"scrape": statistics.median(samples)}


def _child(multiprocess: bool, calls: int, rounds: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    with tempfile.TemporaryDirectory(prefix="bench-metrics-") as folder:
        if multiprocess:
            env["PROMETHEUS_MULTIPROC_DIR"] = folder
        output = subprocess.run(
            [sys.executable, __file__, "--child", "--calls", str(calls), "--rounds", str(rounds)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(output.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="calls per batch")
    parser.add_argument("--rounds", type=int, default=7, help="batches per side")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        logging.getLogger("werkzeug").disabled = True
        print(json.dumps(measure(args.calls, args.rounds)))
        return

    from measure import machine_baseline

    print(machine_baseline())
    print()
    print("| metrics values | log line | bare route µs | with request signals µs | cost µs |")
    print("|---|---|---:|---:|---:|")
    scrapes = {}
    for multiprocess in (False, True):
        mode = "multiprocess (mmapped files)" if multiprocess else "in process"
        figures = _child(multiprocess, args.calls, args.rounds)
        scrapes[mode] = figures["scrape"]
        for label in ("json log line", "no log line"):
            bare, wrapped = figures[f"bare ({label})"], figures[f"signals ({label})"]
            print(f"| {mode} | {label} | {bare:.1f} | {wrapped:.1f} | {wrapped - bare:+.1f} |")
    print()
    print("| metrics values | one /metrics exposition, 240 series µs |")
    print("|---|---:|")
    for mode, micros in scrapes.items():
        print(f"| {mode} | {micros:.0f} |")


if __name__ == "__main__":
    main()
