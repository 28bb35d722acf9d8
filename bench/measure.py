"""Shared pieces of the benchmarks: the machine baseline and a rate meter.

Every benchmark prints the baseline of the machine it ran on in the same run, so its
figures can be compared across machines.
"""

from __future__ import annotations

import hashlib
import os
import platform
import time
from collections.abc import Callable


def machine_baseline(extra: str = "") -> str:
    """The machine's speed right now: SHA-256 throughput and a pure-Python loop."""
    data = os.urandom(16 * 1024 * 1024)
    start = time.perf_counter()
    hashlib.sha256(data).digest()
    sha = 16 / (time.perf_counter() - start)
    start = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i * i
    loop = 2 / (time.perf_counter() - start)
    line = (
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}, {platform.platform()}; "
        f"sha256 {sha:.0f} MB/s, python loop {loop:.1f} M iterations/s"
    )
    return f"{line}; {extra}" if extra else line


def rate(operation: Callable[[], object], seconds: float, max_batch: int = 256) -> float:
    """Run ``operation`` repeatedly for about ``seconds``; return calls per second."""
    operation()  # warm-up
    calls = 0
    batch = 1
    start = time.perf_counter()
    while True:
        for _ in range(batch):
            operation()
        calls += batch
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return calls / elapsed
        batch = min(batch * 2, max_batch)


def rates_in_turns(operations: list[Callable[[], object]], seconds: float) -> list[float]:
    """Calls per second of each operation, called in turns for about ``seconds``.

    Each figure is 1 / the fastest single call in CPU time of this thread: on a machine
    that runs other work, wall-clock time charges each call for whatever else was
    scheduled meanwhile, and more so the longer the call. Taking turns call by call
    puts all of them under the same conditions (caches, memory, collector).
    """
    for operation in operations:
        operation()  # warm-up
    best = [float("inf")] * len(operations)
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for index, operation in enumerate(operations):
            began = time.thread_time()
            operation()
            best[index] = min(best[index], time.thread_time() - began)
    return [1 / fastest for fastest in best]


def database_line(kind: str, url: str) -> str:
    """The database's name and version for a benchmark's first line."""
    if kind == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        return f"PostgreSQL {connection.server_version}"
    finally:
        connection.close()


def postgres_schema_url(url: str, schema: str) -> str:
    """``url`` with a fresh ``schema`` of its database as the search path (the database is
    made if missing; the schema is dropped when the benchmark ends)."""
    import atexit

    import psycopg2

    # The callers put the repository on the path (they import the portal too).
    from tests.worker_databases import ensure_database

    ensure_database(url)

    def run(statement: str) -> None:
        connection = psycopg2.connect(url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
        connection.close()

    run(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    atexit.register(run, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"
