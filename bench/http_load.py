"""HTTP load for the benchmarks: wrk where it is installed, else a Python generator.

Both keep ``connections`` keep-alive connections busy for a given time with one
request (method, path, headers, body) and report requests per second, the median and
the 99th percentile latency, and how many answers were not the expected ones.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Request:
    """One request as every connection sends it, again and again."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    expect_status: int = 200


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    # Answers with another status than expected, and failed connections or reads.
    bad: int


LoadGenerator = Callable[[int, Request, float, int], LoadResult]


# --- wrk ------------------------------------------------------------------------------

_WRK_RESULT = re.compile(r"^WRK-RESULT((?: \d+){9})$", re.M)


def lua_string(text: str) -> str:
    """``text`` as a Lua string literal (every byte outside plain ASCII escaped)."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char in '\\"':
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def wrk_script(request: Request) -> str:
    """The Lua script that makes wrk send ``request`` and print its figures in one line."""
    lines = [
        f"wrk.method = {lua_string(request.method)}",
        f"wrk.path = {lua_string(request.path)}",
    ]
    if request.body is not None:
        lines.append(f"wrk.body = {lua_string(request.body.decode())}")
    lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in request.headers.items()]
    # Latencies are in microseconds. Non-2xx/3xx answers count as status errors.
    lines.append(
        "function done(summary, latency, requests)\n"
        '  io.write(string.format("WRK-RESULT %d %d %d %d %d %d %d %d %d\\n",\n'
        "    summary.requests, summary.duration, latency:percentile(50),\n"
        "    latency:percentile(99), summary.errors.status, summary.errors.connect,\n"
        "    summary.errors.read, summary.errors.write, summary.errors.timeout))\n"
        "end"
    )
    return "\n".join(lines) + "\n"


def wrk_seconds(seconds: float) -> int:
    """wrk takes whole seconds only, at least one."""
    return max(1, round(seconds))


def run_wrk(port: int, request: Request, seconds: float, connections: int) -> LoadResult:
    """Drive ``request`` with wrk (threads: one per core, as many as connections allow)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(request))
    try:
        threads = max(1, min(connections, os.cpu_count() or 1))
        completed = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{wrk_seconds(seconds)}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(script.name).unlink()
    found = _WRK_RESULT.search(completed.stdout)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    requests, duration_us, p50, p99, *errors = (int(v) for v in found.group(1).split())
    return LoadResult(
        requests_per_second=requests / (duration_us / 1e6),
        p50_ms=p50 / 1000,
        p99_ms=p99 / 1000,
        requests=requests,
        bad=sum(errors),
    )


# --- Python ---------------------------------------------------------------------------


def _percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))
    return sorted_values[index]


def run_python(port: int, request: Request, seconds: float, connections: int) -> LoadResult:
    """Drive ``request`` from one thread per connection (http.client, keep-alive).

    Slower than wrk: the generator shares the machine's cores and the GIL, so its
    figures are lower, but the ratios between servers driven by it still compare.
    """
    latencies: list[list[float]] = [[] for _ in range(connections)]
    bad = [0] * connections
    start_line = threading.Barrier(connections + 1)
    deadline = [0.0]

    def connection(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start_line.wait()
        own = latencies[index]
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                conn.request(request.method, request.path, request.body, request.headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                bad[index] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            own.append(time.perf_counter() - began)
            if response.status != request.expect_status:
                bad[index] += 1
        conn.close()

    threads = [threading.Thread(target=connection, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    merged = sorted(value for own in latencies for value in own)
    return LoadResult(
        requests_per_second=len(merged) / elapsed,
        p50_ms=_percentile(merged, 0.50) * 1000,
        p99_ms=_percentile(merged, 0.99) * 1000,
        requests=len(merged),
        bad=sum(bad),
    )


LOAD_GENERATORS: dict[str, LoadGenerator] = {"wrk": run_wrk, "python": run_python}


def pick_generator(choice: str) -> str:
    """``auto``: wrk when it is on PATH, else the Python generator."""
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if choice == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not on PATH (Debian: apt-get install wrk); use --load python")
    return choice


def generator_version(name: str) -> str:
    """What drives the load, with its version."""
    if name == "wrk":
        shown = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        return shown.splitlines()[0].split(" [")[0] if shown else "wrk"
    return "Python load generator (http.client threads)"
