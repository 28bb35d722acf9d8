"""Storage benchmark: time and peak memory of writing and reading one large file on
every backend, next to a bare file copy of the same size.

    .venv/bin/python bench/bench_storage.py            # 20 MB
    .venv/bin/python bench/bench_storage.py --mb 100

Backends: the instance folder, the database storage on SQLite and (when
BENCH_POSTGRES_URL or TEST_POSTGRES_URL names one) on PostgreSQL in a schema of its own,
and S3 against moto's server on loopback (a process of its own, so its memory does not
count). Peaks are ``tracemalloc`` peaks of this process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import machine_baseline

from app.storage.database import DatabaseStorage
from app.storage.local import LocalStorage
from tests.app.storage.conftest import make_s3, postgres_schema, sqlite_database
from tests.app.storage.test_contract import Pattern
from tests.fakes.s3 import s3_server

MB = 1024 * 1024


def measure(operation: Callable[[], object]) -> tuple[float, float]:
    """Seconds and peak MB of ``operation``."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        operation()
        took = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return took, peak / MB


def read_all(store, key: str) -> int:
    total = 0
    with store.open(key) as handle:
        while piece := handle.read(256 * 1024):
            total += len(piece)
    return total


def report(name: str, store, size: int) -> None:
    write_s, write_peak = measure(lambda: store.put("documents/bench", Pattern(size)))
    read_s, read_peak = measure(lambda: read_all(store, "documents/bench"))
    print(
        f"{name:32} write {size / MB / write_s:7.1f} MB/s peak {write_peak:5.1f} MB | "
        f"read {size / MB / read_s:7.1f} MB/s peak {read_peak:5.1f} MB"
    )


def bare_copy(folder: Path, size: int) -> None:
    source = folder / "bare-source"
    with source.open("wb") as handle:
        shutil.copyfileobj(Pattern(size), handle, 1024 * 1024)
    took, peak = measure(lambda: shutil.copyfile(source, folder / "bare-target"))
    print(f"{'bare: shutil.copyfile':32} copy  {size / MB / took:7.1f} MB/s peak {peak:5.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=20)
    size = parser.parse_args().mb * MB
    print(machine_baseline())
    print(f"file size: {size // MB} MB")
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        root = Path(folder)
        report("local (instance folder)", LocalStorage(root / "instance"), size)
        stack.enter_context(sqlite_database(root))
        report("postgres backend on SQLite", DatabaseStorage(), size)
        stack.close()
        url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
        if url:
            with postgres_schema(url):
                report("postgres backend on PostgreSQL", DatabaseStorage(), size)
        else:
            print("postgres backend on PostgreSQL: skipped (no BENCH_POSTGRES_URL)")
        with s3_server() as server:
            report("s3 (moto on loopback)", make_s3(server), size)
        bare_copy(root, size)


if __name__ == "__main__":
    main()
