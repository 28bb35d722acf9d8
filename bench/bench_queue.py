"""Clerk queue benchmark: 100,000 citizens and 1,000,000 applications.

Times, through the same code the API uses (app.applications.queue), the first page of
a clerk's queue, a deep page (keyset cursor far into the queue) and a reference
look-up, on SQLite and on PostgreSQL. Budget: under 50 ms per page at this size.

    .venv/bin/python bench/bench_queue.py                      # both databases, full size
    .venv/bin/python bench/bench_queue.py --database sqlite --applications 100000

PostgreSQL is taken from BENCH_POSTGRES_URL (default: the local test database); the
benchmark works in its own schema and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import peewee
from measure import machine_baseline

from app import builtin_plugins, migrations
from app.applications import queue
from app.applications.definitions import definition_of, sync_builtin
from app.applications.references import ALPHABET, _check_char
from app.db import db
from app.models import Application, ServiceDefinitionRecord, StaffArea, User
from app.service_definitions import workflow

BUDGET_MS = 50.0
STATUSES = (
    ["submitted"] * 3
    + ["in_review"] * 3
    + ["info_requested", "approved", "rejected", "completed"] * 2
)
FAMILY = [
    "Müller",
    "Schmitz",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
]
GIVEN = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hans", "Ida", "Jonas"]


def unique_references(count: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    while len(seen) < count:
        body = "".join(rng.choice(ALPHABET) for _ in range(7))
        seen.add(body + _check_char(body))
    return list(seen)


def seed(citizens: int, applications: int, rng: random.Random) -> None:
    """Bulk-load users and applications spread over two years and all areas."""
    # The built-in definitions name the built-in plugins; without an app, register them.
    builtin_plugins.register_all()
    sync_builtin()
    records = list(ServiceDefinitionRecord.select())
    now = datetime(2026, 11, 1)
    with db.atomic():
        batch = []
        for index in range(citizens):
            batch.append(
                {
                    "email": f"b{index}@bench.example",
                    "role": "citizen",
                    "trust_level": "basic",
                    "locale": "de",
                    "user_handle": os.urandom(8),
                    "created_at": now,
                }
            )
            if len(batch) == 5000:
                User.insert_many(batch).execute()
                batch = []
        if batch:
            User.insert_many(batch).execute()
    first_user = User.select(peewee.fn.MIN(User.id)).scalar()
    references = unique_references(applications, rng)
    # Which seeded statuses await a decision in each version, as lifecycle marks them.
    awaiting = {
        record.id: {
            status
            for status in STATUSES
            if status in workflow.statuses(definition_of(record))
            and workflow.awaits_decision(definition_of(record), status)
        }
        for record in records
    }
    batch = []
    for index in range(applications):
        record = rng.choice(records)
        submitted = now - timedelta(seconds=rng.randrange(2 * 365 * 86400))
        status = rng.choice(STATUSES)
        batch.append(
            {
                "id": f"a{index:011d}",
                "reference": references[index],
                "user": first_user + rng.randrange(citizens),
                "definition": record.id,
                "service_id": record.service_id,
                "area": record.area,
                "status": status,
                "awaiting_decision": status in awaiting[record.id],
                "answers": '{"bench": true}',
                "revision": 2,
                "fee_cents": 0,
                "fees": "{}",
                "warnings": "[]",
                "applicant_name": f"{rng.choice(FAMILY)}, {rng.choice(GIVEN)}",
                "created_at": submitted,
                "updated_at": submitted,
                "submitted_at": submitted,
                "due_at": submitted + timedelta(days=14),
            }
        )
        if len(batch) == 5000:
            with db.atomic():
                Application.insert_many(batch).execute()
            batch = []
    if batch:
        with db.atomic():
            Application.insert_many(batch).execute()


def timed(label: str, func, repeat: int = 30) -> tuple[str, float, float]:
    func()  # warm the cache, as a clerk's second click would
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return label, statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def measure(name: str, citizens: int, applications: int) -> list[tuple[str, float, float]]:
    rng = random.Random(20261121)
    start = time.perf_counter()
    migrations.upgrade(db.obj)
    seed(citizens, applications, rng)
    db.obj.execute_sql("ANALYZE")
    took = time.perf_counter() - start
    print(f"[{name}] seeded {citizens:,} citizens, {applications:,} applications in {took:.0f} s")
    clerk = User.create(email="clerk@bench.example", role="staff")
    StaffArea.create(user=clerk, area="hundesteuer")
    StaffArea.create(user=clerk, area="abfall")
    area_total = Application.select().where(Application.area.in_(["hundesteuer", "abfall"])).count()
    depth = area_total * 3 // 4
    deep_row = (
        Application.select()
        .where(Application.area.in_(["hundesteuer", "abfall"]))
        .order_by(Application.submitted_at, Application.id)
        .offset(depth)
        .limit(1)
        .get()
    )
    deep_cursor = queue.encode_cursor(deep_row)
    some_reference = (
        Application.select(Application.reference).order_by(Application.id.desc()).limit(1).scalar()
    )
    results = [
        timed("queue, first page (2 areas, 50 rows)", lambda: queue.queue(clerk, limit=50)),
        timed(
            "queue, first page filtered by status",
            lambda: queue.queue(clerk, status="in_review", area="abfall", limit=50),
        ),
        timed(
            f"queue, deep page (after row {depth:,} of {area_total:,})",
            lambda: queue.queue(clerk, after=deep_cursor, limit=50),
        ),
        timed(
            "queue, deep page filtered by status",
            lambda: queue.queue(clerk, status="in_review", after=deep_cursor, limit=50),
        ),
        timed(
            "queue, open cases by due date (default view)",
            lambda: queue.queue(clerk, view="open", sort="due", limit=50),
        ),
        timed("reference look-up", lambda: queue.search(clerk, some_reference)),
    ]
    for label, median, p95 in results:
        verdict = "ok" if p95 < BUDGET_MS else "OVER BUDGET"
        print(f"[{name}] {label:<48} median {median:7.2f} ms   p95 {p95:7.2f} ms   {verdict}")
    return results


def run_sqlite(citizens: int, applications: int) -> list:
    from app.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        open_database(f"sqlite:///{folder}/bench.sqlite3")
        db.connect()
        try:
            return measure("sqlite", citizens, applications)
        finally:
            db.close()


def run_postgres(citizens: int, applications: int) -> list:
    from playhouse.db_url import parse

    url = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = peewee.PostgresqlDatabase(**parse(url))
    admin.execute_sql("DROP SCHEMA IF EXISTS bench_queue CASCADE")
    admin.execute_sql("CREATE SCHEMA bench_queue")
    database = peewee.PostgresqlDatabase(**parse(url), options="-c search_path=bench_queue")
    db.initialize(database)
    database.connect()
    try:
        return measure("postgres", citizens, applications)
    finally:
        database.close()
        admin.execute_sql("DROP SCHEMA bench_queue CASCADE")
        admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args(argv)
    print(machine_baseline())
    print(f"budget: p95 under {BUDGET_MS:.0f} ms per page")
    over = 0
    if args.database in ("sqlite", "both"):
        over += sum(
            p95 >= BUDGET_MS for _l, _m, p95 in run_sqlite(args.citizens, args.applications)
        )
    if args.database in ("postgres", "both"):
        over += sum(
            p95 >= BUDGET_MS for _l, _m, p95 in run_postgres(args.citizens, args.applications)
        )
    print("all within budget" if not over else f"{over} measurement(s) over budget")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
