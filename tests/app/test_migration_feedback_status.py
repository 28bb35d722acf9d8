"""Feedback stored before it had a status: handled feedback becomes closed, the rest new."""

from __future__ import annotations

import peewee
import pytest

from tests.app.old_databases import postgres_database, sqlite_database, upgrade_before, upgrade_one

NAME = "v0022_feedback_status"


def _check(database: peewee.Database) -> None:
    upgrade_before(database, NAME)
    # Rows as the portal wrote them before (only the old columns).
    database.execute_sql(
        "INSERT INTO feedback (kind, message, page, locale, created_at, handled_at) VALUES "
        "('general', 'offen', '', 'de', '2026-01-02 10:00:00', NULL), "
        "('accessibility', 'erledigt', '', 'de', '2026-01-02 10:00:00', '2026-01-03 10:00:00')"
    )
    upgrade_one(database, NAME)
    rows = dict(database.execute_sql("SELECT message, status FROM feedback").fetchall())
    assert rows == {"offen": "new", "erledigt": "closed"}


def test_sqlite_rows_from_before(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_postgres_rows_from_before():
    with postgres_database("feedback_migration") as database:
        _check(database)
