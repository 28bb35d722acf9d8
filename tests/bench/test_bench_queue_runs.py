"""The queue benchmark keeps working (tiny size here; budgets are judged in bench/ runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_queue_benchmark_runs_and_prints_its_figures():
    result = subprocess.run(
        [
            sys.executable,
            "bench/bench_queue.py",
            "--database",
            "sqlite",
            "--citizens",
            "50",
            "--applications",
            "600",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("machine: ")
    for label in ("queue, first page", "queue, deep page", "reference look-up"):
        assert label in result.stdout
