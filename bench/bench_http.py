"""The portal over HTTP, side by side with the bare stack it is built on.

Starts the portal under gunicorn as ``scripts/run.sh`` does (2 workers × 4 threads,
gthread) and, next to it, ``bench/bare_list_app.py`` (flask-smorest + peewee +
marshmallow listing 20 rows of a small table on the same kind of database, plus a
Flask hello) with the same gunicorn settings. Both get the same load (wrk where it is
installed, else a Python generator), round by round: every portal path is measured
right next to the bare 20-row list, alternating which goes first, and the table shows
the medians of the rounds, each path's ratio to the bare list, and p99 latencies.
A second table gives each server's CPU time per answer in the same rounds (its
workers' user + system time): under saturation latency is mostly waiting in line and
moves with whatever else the machine runs, the cost of an answer far less.

Seeded for the paths: a citizen with 20 drafts and 20 notices (each notice brings its
inbox message, so 20 messages); a
clerk whose queue holds 40 submitted applications; an officer and a valid parking pass.
Everyone signs in over HTTP with an e-mail code, as in the browser.

    .venv/bin/python bench/bench_http.py                          # SQLite, 5 × 10 s
    .venv/bin/python bench/bench_http.py --database postgresql --seconds 5
    .venv/bin/python bench/bench_http.py --only notices       # paths whose label has it

PostgreSQL: BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/bench_http);
the benchmark works in two schemas of its own there and drops them afterwards. Rate
limits then count in Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/12), as
in production; the benchmark clears the limiter's counters there before signing in.

The figures are a measurement, not a test: the exit code is 0 whether or not the goals
are met (unmet goals are marked NO); it is not 0 when a path does not answer as
expected, because then there is nothing to measure.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import importlib
import importlib.metadata
import json
import logging
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bare_list_app
from http_load import (
    LOAD_GENERATORS,
    LoadResult,
    Request,
    generator_version,
    pick_generator,
    wrk_seconds,
)
from measure import machine_baseline, postgres_schema_url, rate

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

# The portal's application factory, as gunicorn is given it; the first importable wins.
PORTAL_FACTORIES = ("portal:create_app()",)
BARE_FACTORY = "bare_list_app:create_app()"
# As scripts/run.sh starts the portal.
GUNICORN_ARGS = ("--workers", "2", "--threads", "4", "--worker-class", "gthread")
# One log line per request on both sides, each into its log file: the portal writes its
# own (LOG_REQUESTS), so the run command turns gunicorn's access log off; the bare app
# gets gunicorn's.
BARE_ACCESS_LOG = "--access-logfile"

ROWS = 20
QUEUE_CASES = 40
CITIZEN = "buergerin@bench.example"
APPLICANT = "antragsteller@bench.example"
CLERK = "sachbearbeitung@bench.example"
OFFICER = "ordnungsamt@bench.example"
PG_SCHEMAS = ("bench_http_portal", "bench_http_bare")


@dataclass(frozen=True)
class Goal:
    """What the issue asks of a path: a ratio to the bare list, an absolute rate, or a
    p99 no worse than the bare list's."""

    text: str
    min_ratio: float | None = None
    min_rate: float | None = None
    p99_within_bare: bool = False

    def met(self, ratio: float, portal_rate: float, p99_portal: float, p99_bare: float) -> bool:
        if self.min_ratio is not None and ratio < self.min_ratio:
            return False
        if self.min_rate is not None and portal_rate < self.min_rate:
            return False
        return not (self.p99_within_bare and p99_portal > p99_bare)


@dataclass(frozen=True)
class PortalPath:
    """A portal path measured against the bare list, and how to tell its answer is right."""

    label: str
    request: Request
    check: Callable[[Any], bool]
    goal: Goal


# --- Setup ------------------------------------------------------------------------------


def portal_factory() -> tuple[str, Callable[..., Any]]:
    """The first of PORTAL_FACTORIES whose module imports: its spec and its function."""
    for spec in PORTAL_FACTORIES:
        module_name, _, call = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        function = getattr(module, call.removesuffix("()"), None)
        if function is not None:
            return spec, function
    raise SystemExit(f"None of {', '.join(PORTAL_FACTORIES)} can be imported")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_urls(url: str) -> tuple[str, str]:
    """Fresh schemas for the portal and the bare app in ``url``'s database (dropped at exit)."""
    portal, bare = (postgres_schema_url(url, schema) for schema in PG_SCHEMAS)
    return portal, bare


def database_versions(kind: str, url: str | None) -> str:
    if kind == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg2

    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    return f"PostgreSQL {version} (psycopg2 {psycopg2.__version__.split()[0]})"


def redis_for_limits(url: str) -> str | None:
    """``url`` with the limiter's old counters removed, or None when no Redis answers."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=3)
        # Sign-ins of earlier runs within the hour would count against this one.
        for key in client.scan_iter("*LIMITER*"):
            client.delete(key)
    except redis.RedisError as exc:
        print(f"Redis at {url} not reachable ({exc}); rate limits count in SQLite", file=sys.stderr)
        return None
    return url


def seed_portal() -> str:
    """Accounts and data every path needs; returns the parking pass text to verify."""
    from app import migrations
    from app.accounts import profile, users
    from app.applications import deadlines, definitions, drafts
    from app.applications.references import new_reference
    from app.db import db
    from app.models import Application
    from app.parking import officers, permits
    from app.payments.notices import KINDS, InstalmentInput, create_notice
    from app.service_definitions import validate_answers, workflow

    migrations.upgrade(db.obj)
    definitions.sync_builtin()
    services = [r for r in definitions.catalogue() if r.service_id != "resident_parking"]
    with db.connection_context():
        citizen = users.create_user(CITIZEN, "citizen", [])
        profile.update_profile(citizen, {"given_names": "Erika", "family_name": "Bench"})
        applicant = users.create_user(APPLICANT, "citizen", [])
        profile.update_profile(applicant, {"given_names": "Anton", "family_name": "Antrag"})
        for number in range(ROWS):
            record = services[number % len(services)]
            drafts.create_draft(citizen, record.service_id, None, f"bench-{number}")
        # Every notice reaches the inbox as a message: these are the citizen's 20.
        for number in range(ROWS):
            instalments = [
                InstalmentInput(date(2027, 2, 15) + timedelta(days=91 * n), 4500 + number)
                for n in range(1 + number % 4)
            ]
            create_notice(
                citizen,
                kind=KINDS[number % len(KINDS)],
                title=f"Bescheid {number + 1}",
                kassenzeichen=f"9BENCH{number:04d}",
                instalments=instalments,
                actor=None,
            )
        # The clerk's queue: submitted applications of another citizen in all areas.
        areas = sorted({r.area for r in services})
        submitted = datetime(2026, 11, 1, 8, 0)
        for number in range(QUEUE_CASES):
            record = services[number % len(services)]
            Application.create(
                user=applicant,
                definition=record,
                service_id=record.service_id,
                area=record.area,
                status="submitted",
                # Set with the status, as lifecycle.enter_workflow does.
                awaiting_decision=workflow.awaits_decision(
                    definitions.definition_of(record), "submitted"
                ),
                answers={"bench": True},
                reference=new_reference(),
                applicant_name="Antrag, Anton",
                submitted_at=submitted + timedelta(minutes=number),
                # Set on entering the workflow, as lifecycle.enter_workflow does.
                due_at=deadlines.due_from(
                    definitions.definition_of(record), submitted + timedelta(minutes=number)
                ),
            )
        users.create_user(CLERK, "staff", areas)
        users.create_user(OFFICER, "officer", [])
        # A valid resident parking pass, issued the way an approved application gets one.
        parking = definitions.published("resident_parking")
        answers = validate_answers(
            definitions.definition_of(parking),
            {
                "residence": {"street": "Markt", "house_number": "3"},
                "main_residence": True,
                "plate": "DN-AB 1234",
                "holder": "registered",
                "months": 12,
                "truthful": True,
            },
        ).answers
        approved = Application.create(
            user=applicant,
            definition=parking,
            service_id="resident_parking",
            area=parking.area,
            status="approved",
            answers=answers,
            reference=new_reference(),
            fee_cents=3000,
        )
        text = permits.issue_for_application(approved).pass_text
        if not officers.verify(text, "A").valid:
            raise SystemExit("The seeded parking pass does not verify")
    return text


def start_server(
    spec: str, port: int, env: dict[str, str], log: Path, extra: tuple[str, ...] = ()
) -> subprocess.Popen:
    """gunicorn with the run command's settings; stopped when the benchmark ends."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        *GUNICORN_ARGS,
        *extra,
        spec,
    ]
    with log.open("w") as errors:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
    atexit.register(stop_server, process)
    return process


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(process: subprocess.Popen, port: int, path: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} ended:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if fetch(port, Request("GET", path))[0] < 500:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not answer in 90 s:\n{log.read_text()[-3000:]}")


def fetch(port: int, request: Request) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection: status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(request.method, request.path, request.body, request.headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@dataclass(frozen=True)
class SignedIn:
    cookie: str
    csrf: str


Fetch = Callable[[Request], tuple[int, dict[str, str], bytes]]


def sign_in(fetcher: Fetch, base_url: str, instance: Path, email: str) -> SignedIn:
    """E-mail code sign-in, as the PWA does it, through ``fetcher`` (HTTP or in process)."""
    from app.mail import read_outbox

    headers = {"Origin": base_url, "Content-Type": "application/json"}
    body = json.dumps({"email": email}).encode()
    status, _h, answer = fetcher(Request("POST", "/api/auth/email/start", headers, body))
    if status != 202:
        raise SystemExit(f"sign-in of {email} refused: {status} {answer[:300]!r}")
    code = read_outbox(str(instance), email)[0]["subject"].rsplit(" ", 1)[-1]
    body = json.dumps({"email": email, "code": code}).encode()
    status, answer_headers, answer = fetcher(
        Request("POST", "/api/auth/email/verify", headers, body)
    )
    if status != 200:
        raise SystemExit(f"code of {email} refused: {status} {answer[:300]!r}")
    cookie = answer_headers["Set-Cookie"].split(";", 1)[0]
    return SignedIn(cookie=cookie, csrf=json.loads(answer)["csrf_token"])


def portal_paths(
    fetcher: Fetch, base_url: str, instance: Path, pass_text: str
) -> tuple[list[PortalPath], Request]:
    """The portal paths with signed-in sessions, and the bare list request."""
    citizen = sign_in(fetcher, base_url, instance, CITIZEN)
    clerk = sign_in(fetcher, base_url, instance, CLERK)
    officer = sign_in(fetcher, base_url, instance, OFFICER)
    status, headers, _body = fetcher(Request("GET", "/api/services"))
    if status != 200 or "ETag" not in headers:
        raise SystemExit(f"GET /api/services answered {status} without an ETag")
    etag = headers["ETag"]
    lists_goal = Goal("≥ 1× bare list, p99 ≤ bare p99", min_ratio=1.0, p99_within_bare=True)

    def as_citizen(who: SignedIn) -> dict[str, str]:
        return {"Cookie": who.cookie, "Accept-Language": "de"}

    def has_rows(body: Any) -> bool:
        return isinstance(body, list) and len(body) == ROWS

    verify_body = json.dumps({"text": pass_text, "zone": "A"}).encode()
    paths = [
        PortalPath(
            "GET /api/services",
            Request("GET", "/api/services"),
            lambda body: isinstance(body, list) and len(body) > 0,
            Goal("≥ 2× bare list", min_ratio=2.0),
        ),
        PortalPath(
            "GET /api/services, If-None-Match (304)",
            Request("GET", "/api/services", {"If-None-Match": etag}, expect_status=304),
            lambda body: body is None,
            Goal("≥ 4× bare list", min_ratio=4.0),
        ),
        PortalPath(
            f"GET /api/applications (citizen, {ROWS} drafts)",
            Request("GET", "/api/applications", as_citizen(citizen)),
            has_rows,
            lists_goal,
        ),
        PortalPath(
            f"GET /api/inbox/threads (citizen, {ROWS} threads)",
            Request("GET", "/api/inbox/threads", as_citizen(citizen)),
            has_rows,
            lists_goal,
        ),
        PortalPath(
            f"GET /api/notices (citizen, {ROWS} notices)",
            Request("GET", "/api/notices", as_citizen(citizen)),
            has_rows,
            lists_goal,
        ),
        PortalPath(
            f"GET /api/staff/applications (queue page, {ROWS} rows)",
            Request(
                "GET",
                # What the clerk's queue page asks first: open cases, earliest due first.
                f"/api/staff/applications?view=open&sort=due&limit={ROWS}",
                as_citizen(clerk),
            ),
            lambda body: isinstance(body, dict) and len(body["items"]) == ROWS and body["next"],
            lists_goal,
        ),
        PortalPath(
            "POST /api/officer/passes/verify",
            Request(
                "POST",
                "/api/officer/passes/verify",
                {
                    **as_citizen(officer),
                    "Origin": base_url,
                    "X-CSRF-Token": officer.csrf,
                    "Content-Type": "application/json",
                },
                verify_body,
            ),
            lambda body: isinstance(body, dict) and body.get("valid") is True,
            Goal("≥ 1,000/s", min_rate=1000.0),
        ),
    ]
    return paths, Request("GET", "/items")


def check_answer(port: int, request: Request, check: Callable[[Any], bool], label: str) -> None:
    """Refuse to measure a path that does not answer as it should."""
    status, _headers, body = fetch(port, request)
    parsed = json.loads(body) if body else None
    if status != request.expect_status or not check(parsed):
        raise SystemExit(f"{label} answered {status}, not as expected: {body[:400]!r}")


# --- In process -------------------------------------------------------------------------


def in_process_us(flask_app: Any, request: Request, seconds: float) -> float:
    """Microseconds per request through the Flask test client (no network, no gunicorn)."""
    client = flask_app.test_client(use_cookies=False)

    def call() -> None:
        response = client.open(
            request.path, method=request.method, headers=request.headers, data=request.body
        )
        if response.status_code != request.expect_status:
            raise SystemExit(f"{request.path} in process: {response.status_code}")

    return 1e6 / rate(call, seconds)


def in_process_rounds(
    bare_app: Any,
    bare_list: Request,
    targets: list[tuple[str, Any, Request]],
    seconds: float,
    rounds: int,
) -> dict[str, tuple[float, float]]:
    """Per target: median µs of the bare list and of the target, measured side by side
    and alternating which goes first, as over HTTP."""
    measured: dict[str, tuple[list[float], list[float]]] = {}
    for round_number in range(rounds):
        for label, flask_app, request in targets:
            floor, target = measured.setdefault(label, ([], []))
            pair = [(floor, bare_app, bare_list), (target, flask_app, request)]
            if round_number % 2:
                pair.reverse()
            for figures, side_app, side_request in pair:
                figures.append(in_process_us(side_app, side_request, seconds))
    return {
        label: (statistics.median(floor), statistics.median(target))
        for label, (floor, target) in measured.items()
    }


# --- Load rounds ------------------------------------------------------------------------


@dataclass
class Samples:
    floor: list[LoadResult]  # the bare list, measured next to the target
    target: list[LoadResult]
    # The server's CPU time (µs, its workers' user + system time) per answer, per round.
    floor_cpu: list[float] = field(default_factory=list)
    target_cpu: list[float] = field(default_factory=list)


def worker_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system time the workers of a gunicorn master have used so far (Linux
    ``/proc``; 0 where there is none). Per answer, it is the cost the server pays for
    it, which other work on the machine changes far less than latency or throughput."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return 0.0
    ticks = 0
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker that has just exited
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def median_of(results: list[LoadResult], attribute: str) -> float:
    return statistics.median(getattr(r, attribute) for r in results)


def run_rounds(
    generator: Callable[..., LoadResult],
    bare_port: int,
    bare_list: Request,
    targets: list[tuple[str, int, Request]],
    seconds: float,
    rounds: int,
    connections: int,
    servers: dict[int, subprocess.Popen],
) -> dict[str, Samples]:
    """Each target next to the bare list, alternating which goes first, ``rounds`` times;
    ``servers`` by port, for their CPU time per answer."""
    samples = {label: Samples([], []) for label, _p, _r in targets}
    warm = min(seconds, 1.0)
    for _label, port, request in [("bare", bare_port, bare_list), *targets]:
        generator(port, request, warm, connections)
    for round_number in range(rounds):
        for label, port, request in targets:
            pair = [("floor", bare_port, bare_list), ("target", port, request)]
            if round_number % 2:
                pair.reverse()
            for side, side_port, side_request in pair:
                server = servers[side_port]
                cpu_before = worker_cpu_seconds(server)
                result = generator(side_port, side_request, seconds, connections)
                cpu_used = worker_cpu_seconds(server) - cpu_before
                getattr(samples[label], side).append(result)
                getattr(samples[label], f"{side}_cpu").append(
                    1e6 * cpu_used / max(result.requests, 1)
                )
        print(f"round {round_number + 1} of {rounds} done", file=sys.stderr)
    return samples


# --- Report -----------------------------------------------------------------------------


def figure(value: float) -> str:
    return f"{value:,.0f}"


def ms(value: float) -> str:
    return f"{value:.1f} ms"


def print_http_table(
    paths: list[PortalPath], samples: dict[str, Samples], hello_label: str, bare_label: str
) -> None:
    every_bare = [r for s in samples.values() for r in s.floor]
    floor = median_of(every_bare, "requests_per_second")
    print(
        "| path | bare req/s | portal req/s | ratio to bare list | p99 bare | p99 portal "
        "| goal | met? |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {bare_label} (floor) | {figure(floor)} | – | 1.00 "
        f"| {ms(median_of(every_bare, 'p99_ms'))} | – | – | – |"
    )
    for path in paths:
        pair = samples[path.label]
        bare_rate = median_of(pair.floor, "requests_per_second")
        portal_rate = median_of(pair.target, "requests_per_second")
        p99_bare, p99_portal = median_of(pair.floor, "p99_ms"), median_of(pair.target, "p99_ms")
        ratio = portal_rate / bare_rate
        bad = sum(r.bad for r in (*pair.floor, *pair.target))
        if bad:
            verdict = f"**NO** ({bad:,} wrong answers)"
        elif path.goal.met(ratio, portal_rate, p99_portal, p99_bare):
            verdict = "yes"
        else:
            verdict = "**NO**"
        print(
            f"| {path.label} | {figure(bare_rate)} | {figure(portal_rate)} | {ratio:.2f} "
            f"| {ms(p99_bare)} | {ms(p99_portal)} | {path.goal.text} | {verdict} |"
        )
    hello = samples[hello_label]
    hello_rate = median_of(hello.target, "requests_per_second")
    print(
        f"| {hello_label} (ceiling) | {figure(hello_rate)} | – "
        f"| {hello_rate / median_of(hello.floor, 'requests_per_second'):.2f} "
        f"| {ms(median_of(hello.target, 'p99_ms'))} | – | – | – |"
    )


def print_cpu_table(paths: list[PortalPath], samples: dict[str, Samples], bare_label: str) -> None:
    """The servers' CPU time per answer in the same rounds: the figure that other work on
    the machine disturbs least (latency under saturation is mostly waiting in line)."""
    print("Server CPU per answer, same rounds (medians; workers' user + system time):")
    print()
    print("| path | bare list µs | portal µs | bare ÷ portal |")
    print("|---|---|---|---|")
    every_bare = [cpu for s in samples.values() for cpu in s.floor_cpu]
    if every_bare:
        print(f"| {bare_label} | {figure(statistics.median(every_bare))} | – | 1.00 |")
    for path in paths:
        pair = samples[path.label]
        if not pair.target_cpu or not pair.floor_cpu:
            continue
        floor, target = statistics.median(pair.floor_cpu), statistics.median(pair.target_cpu)
        share = f"{floor / target:.2f}" if target else "–"
        print(f"| {path.label} | {figure(floor)} | {figure(target)} | {share} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one run")
    # Five, not three: on a shared virtual machine one side's p99 moved by a third
    # between neighbouring rounds, and a median of three followed a single outlier.
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--only", help="measure only paths whose label contains this")
    args = parser.parse_args(argv)
    generator_name = pick_generator(args.load)
    generator = LOAD_GENERATORS[generator_name]
    seconds = wrk_seconds(args.seconds) if generator_name == "wrk" else args.seconds

    folder = Path(tempfile.mkdtemp(prefix="bench-http-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    instance = folder / "instance"
    portal_port, bare_port = free_port(), free_port()
    base_url = f"http://localhost:{portal_port}"
    env = {
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE": str(instance),
        "PORTAL_BASE_URL": base_url,
        # No background worker runs here: the sign-in mail is written at once.
        "HUEY_IMMEDIATE": "1",
    }
    pg_url = None
    if args.database == "postgresql":
        pg_url = os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/bench_http"
        )
        env["DATABASE_URL"], bare_url = postgres_urls(pg_url)
        redis_url = redis_for_limits(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
        if redis_url:
            env["REDIS_URL"] = redis_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{instance / 'portal.sqlite3'}"
        bare_url = f"sqlite:///{folder / 'bare.sqlite3'}"
    # The job queue picks its storage from the environment when it is first imported.
    os.environ.update(env)

    spec, create_app = portal_factory()
    version = importlib.metadata.version

    print(
        machine_baseline(
            f"{database_versions(args.database, pg_url)}; "
            f"gunicorn {version('gunicorn')}, Flask {version('flask')}, "
            f"flask-smorest {version('flask-smorest')}, peewee {version('peewee')}, "
            f"marshmallow {version('marshmallow')}"
        )
    )
    print(
        f"load: {generator_version(generator_name)}, {args.connections} connections, "
        f"{args.rounds} rounds of {seconds:g} s, alternating; gunicorn {' '.join(GUNICORN_ARGS)}; "
        f"portal {spec} on {args.database}"
        + (", rate limits in Redis" if "REDIS_URL" in env else "")
    )
    print()

    logging.disable(logging.INFO)
    portal_app = create_app(env)
    pass_text = seed_portal()
    bare_list_app.seed(bare_url)
    bare_app = bare_list_app.create_app(bare_url)

    logs = folder / "logs"
    logs.mkdir()
    portal = start_server(spec, portal_port, {**os.environ, **env}, logs / "portal.log")
    bare = start_server(
        BARE_FACTORY,
        bare_port,
        {**os.environ, "BARE_DATABASE_URL": bare_url},
        logs / "bare.log",
        ("--pythonpath", str(BENCH_DIR), BARE_ACCESS_LOG, str(logs / "bare-access.log")),
    )
    wait_until_up(portal, portal_port, "/api/health/live", logs / "portal.log")
    wait_until_up(bare, bare_port, "/hello", logs / "bare.log")

    paths, bare_list = portal_paths(
        lambda request: fetch(portal_port, request), base_url, instance, pass_text
    )
    check_answer(bare_port, bare_list, lambda body: len(body) == ROWS, "bare list")
    for path in paths:
        check_answer(portal_port, path.request, path.check, path.label)

    hello_label = "Flask hello"
    bare_label = f"bare list, {ROWS} rows (flask-smorest + peewee + marshmallow)"
    hello = Request("GET", "/hello")
    paths = [p for p in paths if args.only is None or args.only in p.label]
    inproc = in_process_rounds(
        bare_app,
        bare_list,
        [*((p.label, portal_app, p.request) for p in paths), (hello_label, bare_app, hello)],
        min(args.seconds, 1.0),
        args.rounds,
    )
    targets = [(p.label, portal_port, p.request) for p in paths]
    targets.append((hello_label, bare_port, hello))
    samples = run_rounds(
        generator,
        bare_port,
        bare_list,
        targets,
        seconds,
        args.rounds,
        args.connections,
        {portal_port: portal, bare_port: bare},
    )
    for path in paths:  # still answering as it should after the load
        check_answer(portal_port, path.request, path.check, path.label)

    print(f"## Over HTTP ({args.database}, medians of {args.rounds} rounds)")
    print()
    print_http_table(paths, samples, hello_label, bare_label)
    print()
    print_cpu_table(paths, samples, bare_label)
    print()
    print(
        f"## In process (Flask test client, {args.database}, no network, "
        f"medians of {args.rounds} rounds)"
    )
    print()
    print("| path | µs per request | bare list µs | ratio to bare list |")
    print("|---|---|---|---|")
    every_floor = statistics.median(floor for floor, _target in inproc.values())
    print(f"| {bare_label} | {every_floor:,.0f} | {every_floor:,.0f} | 1.00 |")
    for label, (floor, target) in inproc.items():
        print(f"| {label} | {target:,.0f} | {floor:,.0f} | {floor / target:.2f} |")
    stop_server(portal)
    stop_server(bare)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
