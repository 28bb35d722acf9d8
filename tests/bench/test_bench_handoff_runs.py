"""The hand-off benchmark keeps working (tiny size here; figures are read in bench/ runs)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(
    r"^\| (?P<name>[^|]+?) \| (?P<count>[\d,]+) \| [\d.]+ \| "
    r"(?P<rate>[\d,.]+) \| (?P<ratio>[\d.]+) \|"
)


def test_handoff_benchmark_delivers_every_application_both_ways():
    result = subprocess.run(
        [sys.executable, "bench/bench_handoff.py", "--applications", "30", "--database", "sqlite"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("machine: ")
    assert "SQLite " in result.stdout.splitlines()[0]
    rows = {
        match["name"]: match
        for match in map(ROW.match, result.stdout.splitlines())
        if match is not None
    }
    bare, portal = rows["bare requests"], rows["portal outbox (record + attempt, webhook)"]
    # Each run checked that the receiver verified and counted all 30, none refused.
    assert bare["count"] == portal["count"] == "30"
    assert bare["ratio"] == "1.00" and float(portal["ratio"]) > 0
    assert "portal outbox / bare requests: " in result.stdout
