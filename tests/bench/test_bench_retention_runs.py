"""The retention benchmark keeps working (tiny size here; figures are read in bench/ runs)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(
    r"^\| (?P<name>[^|]+?) \| (?P<count>[\d,]+) \| [\d.]+ \| [\d,.]+ \| (?P<ratio>[\d.]+) \|"
)


def test_retention_benchmark_deletes_every_application_both_ways():
    result = subprocess.run(
        [
            sys.executable,
            "bench/bench_retention.py",
            "--applications",
            "30",
            "--database",
            "sqlite",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("machine: ")
    rows = {
        match["name"]: match
        for match in map(ROW.match, result.stdout.splitlines())
        if match is not None
    }
    bare = rows["bare delete (batch IN, cascade, unlink)"]
    portal = rows["portal retention run (holds, audit, files)"]
    # Each measurement checked that all 30 went (rows, files; the run: 30 audit records).
    assert bare["count"] == portal["count"] == "30"
    assert bare["ratio"] == "1.00" and float(portal["ratio"]) > 0
    assert "portal retention run / bare delete: " in result.stdout
