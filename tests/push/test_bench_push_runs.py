"""The push benchmark keeps working end to end (tiny sizes here; budgets are judged in bench/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_push_benchmark_measures_the_bare_loop_and_the_portal_pipeline():
    result = subprocess.run(
        [
            sys.executable,
            "bench/bench_push.py",
            "--count",
            "150",
            "--subscriptions",
            "10",
            "--only",
            "bare",
            "--only",
            "queue",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Exit code 1 also means "budget missed", which a loaded test machine may see.
    assert "queue + database:" not in result.stderr, result.stderr[-2000:]
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert result.stdout.startswith("machine: ")
    assert "bare pywebpush" in result.stdout
    assert "portal: queue + database (worker process, 2 thr)" in result.stdout
    assert "budget: portal with queue and database at" in result.stdout
