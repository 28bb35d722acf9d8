"""v0037: cases are marked as awaiting a decision from their own definition version's
workflow (neither a decision nor an end; never drafts or cases waiting for their fee),
and the open views' scans are served by the partial indexes on both databases."""

from __future__ import annotations

import json
from datetime import datetime

import peewee
import pytest

from app import migrations
from tests.app.old_databases import postgres_database, sqlite_database, upgrade_before, upgrade_one

MIGRATION = "v0037_queue_awaiting_decision"
AT = datetime(2026, 11, 2, 9, 30)

# Version 1 knows a review step; version 2 decides at once.
_WORKFLOWS = {
    1: [
        {"id": "submitted", "terminal": False},
        {"id": "in_review", "terminal": False},
        {"id": "info_requested", "terminal": False},
        {"id": "approved", "terminal": True, "decision": "positive"},
        {"id": "rejected", "terminal": False, "decision": "negative"},
        {"id": "withdrawn", "terminal": True},
    ],
    2: [
        {"id": "submitted", "terminal": False},
        {"id": "approved", "terminal": True, "decision": "positive"},
    ],
}
# id: (version, status, submitted) -> awaiting a decision afterwards?
_CASES = {
    "fresh": (1, "submitted", AT, True),
    "reviewed": (1, "in_review", AT, True),
    "asked": (1, "info_requested", AT, True),
    "approved": (1, "approved", AT, False),
    "rejected": (1, "rejected", AT, False),
    "withdrawn": (1, "withdrawn", AT, False),
    "unpaid": (1, "awaiting_payment", AT, False),
    "draft": (1, "draft", None, False),
    "other_version": (2, "submitted", AT, True),
    "unknown_there": (2, "in_review", AT, False),
}


def _check(database: peewee.Database) -> None:
    database.execute_sql(
        f"CREATE TABLE {migrations.MIGRATIONS_TABLE} "
        "(version VARCHAR(100) PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    upgrade_before(database, MIGRATION)
    param = database.param
    database.execute_sql(
        'INSERT INTO "user" (email, role, trust_level, locale, user_handle, created_at)'
        f" VALUES ('a@example.org', 'citizen', 'basic', 'de', {param}, {param})",
        (b"h", AT),
    )
    for version, statuses in _WORKFLOWS.items():
        data = json.dumps({"workflow": {"statuses": statuses, "transitions": []}})
        database.execute_sql(
            "INSERT INTO service_definition (service_id, version, state, area, data,"
            f" fingerprint, source, created_at) VALUES ('waste_bins', {version}, 'published',"
            f" 'abfall', {param}, 'f', 'b', {param})",
            (data, AT),
        )
    ids = dict(database.execute_sql("SELECT version, id FROM service_definition").fetchall())
    for row_id, (version, status, submitted, _awaiting) in _CASES.items():
        database.execute_sql(
            "INSERT INTO application (id, user_id, definition_id, service_id, area, status,"
            " answers, revision, fee_cents, fees, warnings, applicant_name, created_at,"
            " updated_at, submitted_at) VALUES (%s, 1, %s, 'waste_bins', 'abfall', %s, '{}',"
            " 1, 0, '{}', '[]', '', %s, %s, %s)".replace("%s", param),
            (row_id, ids[version], status, AT, AT, submitted),
        )
    upgrade_one(database, MIGRATION)
    rows = dict(database.execute_sql("SELECT id, awaiting_decision FROM application").fetchall())
    assert {key: bool(value) for key, value in rows.items()} == {
        key: case[3] for key, case in _CASES.items()
    }


def test_backfill_on_sqlite(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_backfill_on_postgres():
    with postgres_database("awaiting_check") as database:
        _check(database)


# An open view's scan of one area as the queue writes it (the bare column, as the
# partial indexes' condition says it), by due date and by submission.
_SCAN = (
    "SELECT due_at, id FROM application WHERE area = {p} AND submitted_at IS NOT NULL"
    " AND awaiting_decision AND due_at IS NOT NULL AND (due_at, id) > ({p}, {p})"
    " ORDER BY due_at, id LIMIT 26"
)
_BY_SUBMISSION = (
    "SELECT submitted_at, id FROM application WHERE area = {p} AND submitted_at IS NOT NULL"
    " AND awaiting_decision ORDER BY submitted_at, id LIMIT 26"
)


def test_open_view_scans_use_the_partial_indexes_on_sqlite(tmp_path):
    with sqlite_database(tmp_path) as database:
        migrations.upgrade(database)
        for sql, params, index in (
            (_SCAN, ("abfall", "2026-01-01", ""), "application_awaiting_area_due_at_id"),
            (_BY_SUBMISSION, ("abfall",), "application_awaiting_area_submitted_at_id"),
        ):
            plan = " ".join(
                str(row[-1])
                for row in database.execute_sql(
                    f"EXPLAIN QUERY PLAN {sql.format(p='?')}", params
                ).fetchall()
            )
            assert index in plan, plan
            assert "TEMP B-TREE" not in plan  # no sort: the index gives the order


@pytest.mark.postgres
def test_open_view_scans_use_the_partial_indexes_on_postgres():
    with postgres_database("awaiting_check") as database:
        migrations.upgrade(database)
        # A table this small would be read whole; the question is whether the partial
        # index serves the scan and its order.
        database.execute_sql("SET enable_seqscan = off")
        for sql, params, index in (
            (_SCAN, ("abfall", AT, ""), "application_awaiting_area_due_at_id"),
            (_BY_SUBMISSION, ("abfall",), "application_awaiting_area_submitted_at_id"),
        ):
            plan = " ".join(
                row[0]
                for row in database.execute_sql(f"EXPLAIN {sql.format(p='%s')}", params).fetchall()
            )
            assert index in plan, plan
            assert "Sort" not in plan
