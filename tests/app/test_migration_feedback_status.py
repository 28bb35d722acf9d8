"""Feedback stored before it had a status: handled feedback becomes closed, the rest new."""

from __future__ import annotations

import os

import peewee
import pytest

from app import migrations
from app.migrations import Step

NAME = "v0022_feedback_status"


def _check(database: peewee.Database) -> None:
    for name, module in migrations.available():
        if name >= NAME:
            break
        module.upgrade(Step(database))
    # Rows as the portal wrote them before (only the old columns).
    database.execute_sql(
        "INSERT INTO feedback (kind, message, page, locale, created_at, handled_at) VALUES "
        "('general', 'offen', '', 'de', '2026-01-02 10:00:00', NULL), "
        "('accessibility', 'erledigt', '', 'de', '2026-01-02 10:00:00', '2026-01-03 10:00:00')"
    )
    dict(migrations.available())[NAME].upgrade(Step(database))
    rows = dict(database.execute_sql("SELECT message, status FROM feedback").fetchall())
    assert rows == {"offen": "new", "erledigt": "closed"}


def test_sqlite_rows_from_before(tmp_path):
    database = peewee.SqliteDatabase(str(tmp_path / "old.sqlite3"), pragmas={"foreign_keys": 1})
    _check(database)


@pytest.mark.postgres
def test_postgres_rows_from_before():
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        pytest.skip("no PostgreSQL configured (TEST_POSTGRES_URL)")
    from playhouse.db_url import parse

    admin = peewee.PostgresqlDatabase(**parse(url))
    admin.execute_sql("DROP SCHEMA IF EXISTS feedback_migration CASCADE")
    admin.execute_sql("CREATE SCHEMA feedback_migration")
    admin.close()
    database = peewee.PostgresqlDatabase(**parse(url), options="-c search_path=feedback_migration")
    try:
        _check(database)
    finally:
        database.execute_sql("DROP SCHEMA feedback_migration CASCADE")
        database.close()
