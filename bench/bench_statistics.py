"""Statistics benchmark: 1,000,000 applications and 10,000,000 step views.

Seeds in bulk inside the database (``INSERT … SELECT`` over ``generate_series`` on
PostgreSQL, a recursive CTE on SQLite), runs the aggregation from nothing (the first
run) and again (a nightly run), then times each dashboard query through the same code
the API uses (``app.statistics.figures``): all services and one service, by month,
quarter and year over two years, and the open-data export. For comparison it times a
bare ``SELECT count(*)`` over the applications in the same run. Budget: dashboard
queries under 100 ms (p95).

    .venv/bin/python bench/bench_statistics.py                          # SQLite, full size
    .venv/bin/python bench/bench_statistics.py --database postgresql
    .venv/bin/python bench/bench_statistics.py --applications 100000 --step-views 1000000

PostgreSQL is taken from BENCH_POSTGRES_URL (default below); the benchmark works in a
schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import peewee
from measure import machine_baseline

from app import builtin_plugins, migrations
from app.applications.definitions import sync_builtin
from app.db import db
from app.models import ServiceDefinitionRecord
from app.statistics import aggregation, figures

BUDGET_MS = 100.0
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/bench_statistics"
SCHEMA = "bench_statistics"
START = datetime(2024, 11, 1)
SPAN_SECONDS = 2 * 365 * 86400
NOW = datetime(2026, 11, 2, 6, 0)
CITIZENS = 10_000
CHUNK = 500_000


def _postgres() -> bool:
    return isinstance(db.obj, peewee.PostgresqlDatabase)


def _series(count: int, offset: int) -> str:
    """A row source ``s(n)`` of ``offset`` … ``offset + count - 1``."""
    if _postgres():
        # Big integers: n * 7919 outgrows a 32-bit integer at a million rows.
        return f"generate_series(CAST({offset} AS BIGINT), {offset + count - 1}) AS s(n)"
    return (
        f"(WITH RECURSIVE r(n) AS (SELECT {offset} UNION ALL SELECT n + 1 FROM r"
        f" WHERE n < {offset + count - 1}) SELECT n FROM r) AS s"
    )


def _plus_seconds(expression: str) -> str:
    if _postgres():
        return f"(TIMESTAMP '{START:%Y-%m-%d %H:%M:%S}' + ({expression}) * INTERVAL '1 second')"
    return f"datetime('{START:%Y-%m-%d %H:%M:%S}', '+' || ({expression}) || ' seconds')"


def _shift_hours(column: str, hours: str) -> str:
    if _postgres():
        return f"({column} + ({hours}) * INTERVAL '1 hour')"
    return f"datetime({column}, '+' || ({hours}) || ' hours')"


def _text_id(prefix: str, expression: str) -> str:
    if _postgres():
        return f"'{prefix}' || lpad(({expression})::text, 11, '0')"
    return f"'{prefix}' || printf('%011d', {expression})"


def _in_chunks(total: int, statement: Callable[[int, int], str]) -> None:
    for offset in range(0, total, CHUNK):
        sql = statement(min(CHUNK, total - offset), offset)
        with db.atomic():
            # The PostgreSQL driver reads "%" as a parameter mark.
            db.execute_sql(sql.replace("%", "%%") if _postgres() else sql, ())


def seed(applications: int, step_views: int) -> None:
    """Citizens, applications over two years in every service, step views, counter cases."""
    builtin_plugins.register_all()
    sync_builtin()
    records = list(
        ServiceDefinitionRecord.select().where(ServiceDefinitionRecord.state == "published")
    )
    db.execute_sql(
        "CREATE TABLE bench_definition (idx INTEGER PRIMARY KEY, id INTEGER,"
        " service_id VARCHAR(64), area VARCHAR(64))"
    )
    for index, record in enumerate(records):
        db.execute_sql(
            "INSERT INTO bench_definition VALUES (%s, %s, %s, %s)".replace("%s", db.param),
            (index, record.id, record.service_id, record.area),
        )
    handle = "decode('00', 'hex')" if _postgres() else "x'00'"
    _in_chunks(
        CITIZENS,
        lambda count, offset: (
            'INSERT INTO "user" (email, role, trust_level, locale, user_handle, created_at)'
            f" SELECT 'b' || n || '@bench.example', 'citizen', 'basic', 'de', {handle},"
            f" {_plus_seconds('0')} FROM {_series(count, offset)}"
        ),
    )
    first_user = db.execute_sql('SELECT MIN(id) FROM "user"').fetchone()[0]
    kinds = len(records)
    created = _plus_seconds(f"(n * 7919) % {SPAN_SECONDS}")
    # n % 10: 0 draft, 1 waiting in the queue, 2–9 decided (half a year's cases differ
    # in their waiting times through the hour offsets below).
    status = (
        "CASE n % 10 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' WHEN 2 THEN 'in_review'"
        " WHEN 3 THEN 'rejected' WHEN 4 THEN 'approved' ELSE 'completed' END"
    )
    submitted = f"CASE WHEN n % 10 = 0 THEN NULL ELSE {_shift_hours(created, 'n % 97')} END"
    decided = (
        f"CASE WHEN n % 10 < 3 THEN NULL ELSE {_shift_hours(created, '(n % 97) + (n * 13) % 700')}"
        " END"
    )
    _in_chunks(
        applications,
        lambda count, offset: (
            "INSERT INTO application (id, user_id, definition_id, service_id, area, status,"
            " answers, revision, fee_cents, fees, warnings, applicant_name, created_at,"
            " updated_at, submitted_at, decided_at, due_at, submitted_via, decided_by)"
            f" SELECT {_text_id('a', 'n')}, {first_user} + n % {CITIZENS}, d.id, d.service_id,"
            f" d.area, {status}, '{{}}', 2, 0, '{{}}', '[]', '', {created},"
            f" COALESCE({decided}, {submitted}, {created}), {submitted}, {decided},"
            f" CASE WHEN n % 10 = 0 THEN NULL ELSE {_shift_hours(created, '(n % 97) + 336')} END,"
            " CASE WHEN n % 10 = 0 THEN '' WHEN n % 3 = 0 THEN 'passkey'"
            " WHEN n % 3 = 1 THEN 'email' ELSE 'eid' END,"
            " CASE WHEN n % 10 < 3 THEN '' WHEN n % 5 = 0 THEN 'system' ELSE 'staff' END"
            f" FROM {_series(count, offset)} JOIN bench_definition d ON d.idx = n % {kinds}"
        ),
    )
    # Five views per journey; every fourth leaves at the receipt, every third never
    # submits. Journeys start spread over two years.
    at = _plus_seconds(f"((n / 5) * 7907) % {SPAN_SECONDS} + (n % 5) * 60")
    day = f"CAST({at} AS DATE)" if _postgres() else f"date({at})"
    step = (
        "CASE n % 5 WHEN 0 THEN 'property' WHEN 1 THEN 'bins_step' WHEN 2 THEN 'date_step'"
        " WHEN 3 THEN CASE WHEN (n / 5) % 4 = 0 THEN 'receipt' ELSE 'confirm' END"
        " ELSE CASE WHEN (n / 5) % 3 = 0 THEN 'order_confirmation' ELSE '_submitted' END END"
    )
    _in_chunks(
        step_views,
        lambda count, offset: (
            "INSERT INTO step_view (journey, service_id, version, step, at, day)"
            f" SELECT {_text_id('journey-', 'n / 5')}, 'waste_bins', 1, {step}, {at}, {day}"
            f" FROM {_series(count, offset)}"
        ),
    )
    day_of_case = (
        f"CAST({_plus_seconds(f'(n * 104729) % {SPAN_SECONDS}')} AS DATE)"
        if _postgres()
        else f"date({_plus_seconds(f'(n * 104729) % {SPAN_SECONDS}')})"
    )
    _in_chunks(
        applications // 5,
        lambda count, offset: (
            "INSERT INTO counter_case (service_id, day, created_at)"
            f" SELECT d.service_id, {day_of_case}, {_plus_seconds('0')}"
            f" FROM {_series(count, offset)} JOIN bench_definition d ON d.idx = n % {kinds}"
        ),
    )
    db.execute_sql("DROP TABLE bench_definition")


def timed(label: str, func: Callable[[], object], repeat: int = 20) -> tuple[str, float, float]:
    func()  # warm the cache, as a second look at the dashboard would
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return label, statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def measure(name: str, applications: int, step_views: int) -> list[tuple[str, float, float]]:
    start = time.perf_counter()
    migrations.upgrade(db.obj)
    seed(applications, step_views)
    db.obj.execute_sql("ANALYZE")
    print(
        f"[{name}] seeded {applications:,} applications, {step_views:,} step views,"
        f" {applications // 5:,} counter cases in {time.perf_counter() - start:.0f} s"
    )
    start = time.perf_counter()
    first = aggregation.run(NOW)
    print(
        f"[{name}] aggregation, first run: {first.days} days in {time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    nightly = aggregation.run(NOW)
    print(
        f"[{name}] aggregation, nightly run: {nightly.days} days in"
        f" {time.perf_counter() - start:.2f} s"
    )
    rows = db.execute_sql("SELECT COUNT(*) FROM statistics_daily").fetchone()[0]
    print(f"[{name}] aggregate: {rows:,} daily rows")
    begin, end = date(2024, 11, 1), date(2026, 10, 31)
    one = "waste_bins"
    results = [
        timed(
            f"figures, all services, {group}, 2 years",
            lambda g=group: figures.figures(None, begin, end, g),
        )
        for group in ("month", "quarter", "year")
    ]
    results += [
        timed(
            f"figures, one service, {group}, 2 years",
            lambda g=group: figures.figures(one, begin, end, g),
        )
        for group in ("month", "quarter", "year")
    ]
    results.append(timed("open-data export, 2 years", lambda: figures.export_rows(begin, end)))
    results.append(
        timed(
            "bare SELECT count(*) FROM application",
            lambda: db.execute_sql("SELECT COUNT(*) FROM application").fetchone(),
            repeat=5,
        )
    )
    for label, median, p95 in results:
        verdict = "" if label.startswith("bare") else ("ok" if p95 < BUDGET_MS else "OVER BUDGET")
        print(f"[{name}] {label:<44} median {median:8.2f} ms   p95 {p95:8.2f} ms   {verdict}")
    return results[:-1]


def run_sqlite(applications: int, step_views: int) -> list:
    from app.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        open_database(f"sqlite:///{folder}/bench.sqlite3")
        db.connect()
        try:
            return measure("sqlite", applications, step_views)
        finally:
            db.close()


def run_postgres(applications: int, step_views: int) -> list:
    from playhouse.db_url import parse

    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    admin = peewee.PostgresqlDatabase(**parse(url))
    admin.execute_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    admin.execute_sql(f"CREATE SCHEMA {SCHEMA}")
    database = peewee.PostgresqlDatabase(**parse(url), options=f"-c search_path={SCHEMA}")
    db.initialize(database)
    database.connect()
    try:
        return measure("postgresql", applications, step_views)
    finally:
        database.close()
        admin.execute_sql(f"DROP SCHEMA {SCHEMA} CASCADE")
        admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--step-views", type=int, default=10_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args(argv)
    print(machine_baseline())
    print(f"budget: dashboard queries p95 under {BUDGET_MS:.0f} ms")
    runner = run_sqlite if args.database == "sqlite" else run_postgres
    over = sum(
        p95 >= BUDGET_MS for _label, _median, p95 in runner(args.applications, args.step_views)
    )
    print("all within budget" if not over else f"{over} measurement(s) over budget")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
