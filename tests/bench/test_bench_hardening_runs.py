"""The hardening benchmark keeps working (a quick run; figures are read in bench/ runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_hardening_benchmark_runs_and_every_hostile_body_is_refused():
    result = subprocess.run(
        [sys.executable, "bench/bench_hardening.py", "--rounds", "1", "--seconds", "0.2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("machine: ")
    names = ("500,000-element array", "nested 1,000 deep", "9.9 MB answer")
    hostile = [line for line in result.stdout.splitlines() if line.startswith(names, 2)]
    assert len(hostile) == 3, result.stdout
    # Every hostile body was refused as bad input, none reached a server error.
    assert all(row.rstrip(" |").endswith("422") for row in hostile), result.stdout
