"""The backup benchmark keeps working (figures are judged in bench/ runs, not here)."""

from __future__ import annotations

import subprocess
import sys


def test_backup_benchmark_runs_and_prints_its_figures():
    done = subprocess.run(
        [sys.executable, "bench/bench_backup.py", "--mb", "2", "--files", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for step in ("create, encrypted", "verify, encrypted", "restore, encrypted"):
        assert step in done.stdout
