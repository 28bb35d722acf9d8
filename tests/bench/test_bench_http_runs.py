"""The HTTP benchmark keeps working (tiny runs here; figures are read in bench/ runs)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PATHS = (
    "GET /api/services",
    "GET /api/services, If-None-Match (304)",
    "GET /api/applications (citizen, 20 drafts)",
    "GET /api/inbox/threads (citizen, 20 threads)",
    "GET /api/notices (citizen, 20 notices)",
    "GET /api/staff/applications (queue page, 20 rows)",
    "POST /api/officer/passes/verify",
)
NUMBER = re.compile(r"^\d[\d,]*(\.\d+)?$")


def _rows(section: str) -> dict[str, list[str]]:
    """A Markdown table's rows by their first cell."""
    rows = {}
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| path ", "|---")):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def _run(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bench/bench_http.py", "--rounds", "1", "--connections", "8", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


# Every path through the Python load generator, in runs of a tenth of a second; wrk
# (what "auto" picks where it is installed, as the documented command does) takes whole
# seconds, so it drives one path here, which shows its figures reach the same table.
@pytest.mark.parametrize(
    ("load", "paths"),
    [("python", PATHS), ("auto", PATHS[1:2])],
    ids=["python", "auto"],
)
def test_http_benchmark_prints_every_path_with_its_ratio(load, paths):
    only = () if paths == PATHS else ("--only", paths[0])
    result = _run("--seconds", "0.1", "--load", load, *only)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("machine: ")
    assert "SQLite " in result.stdout.splitlines()[0]
    over_http, _, in_process = result.stdout.partition("## In process")
    assert in_process, result.stdout
    over_http, _, server_cpu = over_http.partition("Server CPU per answer")
    assert server_cpu, result.stdout

    http_rows = _rows(over_http)
    floor = next(label for label in http_rows if label.startswith("bare list, 20 rows"))
    assert http_rows[floor][2] == "1.00"
    for label in (*paths, "Flask hello (ceiling)"):
        assert label in http_rows, f"{label} missing:\n{over_http}"
        bare_rate, _portal_rate, ratio, *_ = http_rows[label]
        assert NUMBER.match(bare_rate), http_rows[label]
        assert NUMBER.match(ratio) and float(ratio) > 0, http_rows[label]
    for label in paths:
        cells = http_rows[label]
        assert NUMBER.match(cells[1]), cells  # the portal's requests per second
        assert cells[3].endswith(" ms") and cells[4].endswith(" ms"), cells  # p99s
        assert cells[6] in ("yes", "**NO**"), cells  # a verdict, and no wrong answers

    cpu_rows = _rows(server_cpu)
    for label in paths:
        bare_cpu, portal_cpu, share = cpu_rows[label]
        assert NUMBER.match(bare_cpu) and NUMBER.match(portal_cpu), cpu_rows[label]
        assert float(portal_cpu.replace(",", "")) > 0, cpu_rows[label]  # the workers were seen
        assert NUMBER.match(share), cpu_rows[label]

    inproc_rows = _rows(in_process)
    for label in (*paths, "Flask hello"):
        assert label in inproc_rows, f"{label} missing:\n{in_process}"
        assert NUMBER.match(inproc_rows[label][2]), inproc_rows[label]
