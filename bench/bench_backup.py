"""Backup benchmark: time, throughput and peak memory of ``create`` (plain and
encrypted), ``verify`` and ``restore`` of an instance with a SQLite database and
stored files in the instance folder, next to a bare copy of the same bytes.

    .venv/bin/python bench/bench_backup.py               # 100 MB of files
    .venv/bin/python bench/bench_backup.py --mb 500 --files 50

Peaks are ``tracemalloc`` peaks of this process (what the backup itself holds).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import machine_baseline

from app.backup import service
from app.storage import register_builtin
from app.storage.local import LocalStorage

KEY = "a benchmark passphrase"


def measured(label: str, megabytes: float, run: Callable[[], object]) -> None:
    """Run twice: timed, then under ``tracemalloc`` (which slows every allocation) for
    the peak; print seconds, MB/s and the peak memory."""
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<28} {seconds:7.2f} s  {megabytes / seconds:7.1f} MB/s  "
        f"peak {peak / 2**20:5.1f} MiB"
    )


def main() -> None:
    """Seed an instance, then measure each step."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100, help="megabytes of stored files")
    parser.add_argument("--files", type=int, default=20, help="number of stored files")
    args = parser.parse_args()
    register_builtin()
    print(machine_baseline())
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        source = root / "source"
        store = LocalStorage(source)
        each = args.mb * 2**20 // args.files
        for number in range(args.files):
            store.put(f"attachments/{number:05d}", os.urandom(each))
        connection = sqlite3.connect(source / "portal.sqlite3")
        connection.execute("CREATE TABLE application (id TEXT PRIMARY KEY, answers TEXT)")
        connection.executemany(
            "INSERT INTO application VALUES (?, ?)",
            ((f"a{n}", os.urandom(512).hex()) for n in range(20000)),
        )
        connection.commit()
        connection.close()
        total = (args.mb * 2**20 + (source / "portal.sqlite3").stat().st_size) / 1e6
        config = {
            "DATABASE_URL": f"sqlite:///{source / 'portal.sqlite3'}",
            "INSTANCE_PATH": str(source),
            "PORTAL_STORAGE": "local",
        }
        print(f"instance: {args.files} files, {total:.0f} MB with the database")

        def bare_copy() -> None:
            shutil.copytree(source, root / "copy", dirs_exist_ok=True)

        def create(path: Path, key: str | None) -> Callable[[], object]:
            def run() -> None:
                with path.open("wb") as handle:
                    service.create(config, handle, key=key)

            return run

        plain, sealed = root / "plain.backup", root / "sealed.backup"
        measured("bare copy of the folder", total, bare_copy)
        measured("create, unencrypted", total, create(plain, None))
        measured("create, encrypted", total, create(sealed, KEY))
        measured("verify, encrypted", total, lambda: service.verify(sealed, key=KEY))
        target = {
            **config,
            "DATABASE_URL": f"sqlite:///{root / 'target' / 'portal.sqlite3'}",
            "INSTANCE_PATH": str(root / "target"),
        }
        measured(
            "restore, encrypted",
            total,
            lambda: service.restore(target, sealed, key=KEY, force=True),
        )
        print(
            f"archive: {plain.stat().st_size / 1e6:.0f} MB plain, "
            f"{sealed.stat().st_size / 1e6:.0f} MB encrypted"
        )


if __name__ == "__main__":
    main()
