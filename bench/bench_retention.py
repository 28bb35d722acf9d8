"""Deletion throughput of the retention run against a bare ``DELETE``.

Seeds closed (withdrawn) applications directly in the database, each with a status
history entry three years and more back, an inbox message and a stored document (a small
file in the configured storage), then measures in the same run, on the same data seeded
twice:

* ``bare delete``: batches of 200 ids, one transaction each: ``DELETE FROM application
  WHERE id IN (...)`` (the database cascades the dependent rows), then the files are
  deleted from the storage;
* ``portal retention run``: ``app.retention.runs.run`` with the same batch size: per
  batch it finds the expired applications (terminal status of their version, closing
  time from the history), looks up legal holds (payments, notices, refunds, hand-offs),
  deletes each application on its own (a ``DELETE`` that refuses a row changed since),
  writes its audit record, and removes the files after the commit.

Usage: ``.venv/bin/python bench/bench_retention.py [--applications 5000]
[--database sqlite|postgresql]``. PostgreSQL: BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/bench_http); the benchmark works in a schema of
its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import database_line, machine_baseline, postgres_schema_url

SERVICE_ID = "waste_bins"
PG_SCHEMA = "bench_retention"
BATCH = 200


@dataclass
class Result:
    name: str
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def start_portal(folder: Path, database_url: str) -> None:
    from app import migrations
    from app.applications.definitions import sync_builtin
    from app.db import db
    from portal import create_app

    create_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(folder),
            "DATABASE_URL": database_url,
            "HUEY_IMMEDIATE": "1",
        }
    )
    logging.getLogger("app.retention").setLevel(logging.WARNING)
    with db.connection_context():
        migrations.upgrade(db.obj)
        sync_builtin()


def seed(count: int, round_: int) -> None:
    """``count`` withdrawn applications closed 1,200 days ago, with their rows and files."""
    from app import storage, stored_files
    from app.applications import definitions
    from app.db import db, utcnow
    from app.models import Application, ApplicationEvent, Document, InboxMessage, User
    from tests.api.service_answers import complete_answers

    record = definitions.published(SERVICE_ID)
    answers = complete_answers(SERVICE_ID)
    closed = utcnow() - timedelta(days=1200)
    store = storage.current()
    with db.atomic():
        user = User.create(email=f"bench{round_}@bench.example", role="citizen")
    for start in range(0, count, 1000):
        numbers = range(start, min(start + 1000, count))
        ids = [f"r{round_}a{n:09d}" for n in numbers]
        with db.atomic():
            Application.insert_many(
                [
                    {
                        "id": ids[i],
                        "reference": f"R{round_}{n:06d}",
                        "user": user.id,
                        "definition": record.id,
                        "service_id": SERVICE_ID,
                        "area": record.area,
                        "status": "withdrawn",
                        "answers": answers,
                        "applicant_name": "Musterfrau, Erika",
                        "created_at": closed,
                        "updated_at": closed,
                        "submitted_at": closed,
                        "decided_at": closed,
                    }
                    for i, n in enumerate(numbers)
                ]
            ).execute()
            ApplicationEvent.insert_many(
                [
                    {
                        "application": application_id,
                        "at": closed,
                        "actor": user.id,
                        "actor_role": "citizen",
                        "kind": "status",
                        "from_status": "submitted",
                        "to_status": "withdrawn",
                    }
                    for application_id in ids
                ]
            ).execute()
            InboxMessage.insert_many(
                [
                    {
                        "user": user.id,
                        "application": application_id,
                        "kind": "status",
                        "subject": "Zurückgezogen",
                        "body": "Ihr Antrag ist zurückgezogen.",
                        "created_at": closed,
                    }
                    for application_id in ids
                ]
            ).execute()
            Document.insert_many(
                [
                    {
                        "id": f"d{application_id}",
                        "user": user.id,
                        "application": application_id,
                        "kind": "receipt",
                        "filename": "Eingangsbestaetigung.pdf",
                        "content_type": "application/pdf",
                        "size": 1000,
                        "sha256": "0" * 64,
                        "created_at": closed,
                    }
                    for application_id in ids
                ]
            ).execute()
        for application_id in ids:
            store.put(stored_files.document_key(f"d{application_id}"), b"%PDF-1.4\n" * 100)


def measure_bare(count: int) -> Result:
    from app import storage, stored_files
    from app.db import db
    from app.models import Application

    ids = [row.id for row in Application.select(Application.id).order_by(Application.id)]
    store = storage.current()
    started = time.perf_counter()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with db.atomic():
            files = stored_files.files_of_applications(batch)
            Application.delete().where(Application.id.in_(batch)).execute()
        for key in files:
            store.delete(key)
    seconds = time.perf_counter() - started
    assert Application.select().count() == 0 and len(ids) == count
    return Result("bare delete (batch IN, cascade, unlink)", count, seconds)


def measure_portal(count: int) -> Result:
    from app import storage
    from app.models import Application, AuditEvent
    from app.retention import runs

    started = time.perf_counter()
    record = runs.run(batch_size=BATCH)
    seconds = time.perf_counter() - started
    assert record.deleted_closed == count and Application.select().count() == 0
    assert AuditEvent.select().where(AuditEvent.action == "retention_deleted").count() == count
    assert not any(storage.current().keys("documents/"))
    return Result("portal retention run (holds, audit, files)", count, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-retention-"))
    pg_url = ""
    if args.database == "postgresql":
        pg_url = os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/bench_http"
        )
        database_url = postgres_schema_url(pg_url, PG_SCHEMA)
    else:
        database_url = f"sqlite:///{folder / 'portal.sqlite3'}"
    print(machine_baseline(database_line(args.database, pg_url)), flush=True)
    try:
        start_portal(folder, database_url)
        from app.db import db

        with db.connection_context():
            seed(args.applications, 1)
            bare = measure_bare(args.applications)
            seed(args.applications, 2)
            portal = measure_portal(args.applications)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"seeded twice {args.applications:,} withdrawn applications on {args.database}, "
        "each with a history entry, an inbox message and a stored document"
    )
    print()
    print(f"| deletion ({args.database}) | applications | seconds | applications/s | ratio |")
    print("|---|---:|---:|---:|---:|")
    for result in (bare, portal):
        print(
            f"| {result.name} | {result.count:,} | {result.seconds:.2f} | "
            f"{result.rate:,.1f} | {result.rate / bare.rate:.2f} |"
        )
    print()
    print(f"portal retention run / bare delete: {100 * portal.rate / bare.rate:.0f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
