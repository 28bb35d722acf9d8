"""v0015: cases already in the workflow get a due date counted from their submission
(their definition version's target, else 14 days); drafts and unpaid cases get none.
The queue's order by due date is served by an index scan on both databases."""

from __future__ import annotations

from datetime import datetime

import peewee
import pytest

from app import migrations
from tests.app.old_databases import postgres_database, sqlite_database, upgrade_before, upgrade_one

MIGRATION = "v0015_queue_deadlines"
SUBMITTED = datetime(2026, 3, 2, 9, 30)


def _before(database: peewee.Database) -> None:
    database.execute_sql(
        f"CREATE TABLE {migrations.MIGRATIONS_TABLE} "
        "(version VARCHAR(100) PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    upgrade_before(database, MIGRATION)


def _insert(database, row_id: str, definition: int, status: str, submitted) -> None:
    database.execute_sql(
        "INSERT INTO application (id, user_id, definition_id, service_id, area, status,"
        " answers, revision, fee_cents, fees, warnings, applicant_name, created_at,"
        " updated_at, submitted_at) VALUES (%s, 1, %s, 'waste_bins', 'x', %s, '{}', 1, 0, '{}',"
        " '[]',"
        " '', %s, %s, %s)".replace("%s", database.param),
        (row_id, definition, status, SUBMITTED, SUBMITTED, submitted),
    )


def _check(database: peewee.Database) -> None:
    _before(database)
    database.execute_sql(
        'INSERT INTO "user" (email, role, trust_level, locale, user_handle, created_at)'
        f" VALUES ('a@example.org', 'citizen', 'basic', 'de', {database.param},"
        f" {database.param})",
        (b"h", SUBMITTED),
    )
    for version, data in ((1, '{"processing": {"target_days": 10}}'), (2, "{}")):
        database.execute_sql(
            "INSERT INTO service_definition (service_id, version, state, area, data,"
            " fingerprint, source, created_at) VALUES ('waste_bins', "
            f"{version}, 'published', 'x', {database.param}, 'f', 'b', {database.param})",
            (data, SUBMITTED),
        )
    _insert(database, "named", 1, "in_review", SUBMITTED)
    _insert(database, "unnamed", 2, "submitted", SUBMITTED)
    _insert(database, "unpaid", 1, "awaiting_payment", SUBMITTED)
    _insert(database, "draft", 1, "draft", None)
    upgrade_one(database, MIGRATION)
    rows = dict(database.execute_sql("SELECT id, due_at FROM application").fetchall())
    as_time = {
        key: (
            value if isinstance(value, datetime) or value is None else datetime.fromisoformat(value)
        )
        for key, value in rows.items()
    }
    assert as_time == {
        "named": datetime(2026, 3, 12, 9, 30),  # the version's target: 10 days
        "unnamed": datetime(2026, 3, 16, 9, 30),  # no target: 14 days
        "unpaid": None,
        "draft": None,
    }


def test_backfill_on_sqlite(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_backfill_on_postgres():
    with postgres_database("deadline_check") as database:
        _check(database)


def test_due_date_order_uses_the_index_on_sqlite(tmp_path):
    with sqlite_database(tmp_path) as database:
        migrations.upgrade(database)
        plan = " ".join(
            str(row[-1])
            for row in database.execute_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM application WHERE area = ? AND status = ?"
                " AND due_at IS NOT NULL AND (due_at, id) > (?, ?) ORDER BY due_at, id LIMIT 26",
                ("abfall", "submitted", "2026-01-01", ""),
            ).fetchall()
        )
        assert "application_area_status_due_at_id" in plan
        assert "TEMP B-TREE" not in plan  # no sort: the index gives the order


@pytest.mark.postgres
def test_due_date_order_uses_the_index_on_postgres():
    with postgres_database("deadline_check") as database:
        migrations.upgrade(database)
        # A table this small would be read whole; the question is whether the index
        # serves the order without a sort.
        database.execute_sql("SET enable_seqscan = off")
        plan = " ".join(
            row[0]
            for row in database.execute_sql(
                "EXPLAIN SELECT id FROM application WHERE area = %s AND status = %s"
                " AND due_at IS NOT NULL AND (due_at, id) > (%s, %s) ORDER BY due_at, id"
                " LIMIT 26",
                ("abfall", "submitted", datetime(2026, 1, 1), ""),
            ).fetchall()
        )
        assert "application_area_status_due_at_id" in plan
        assert "Sort" not in plan
