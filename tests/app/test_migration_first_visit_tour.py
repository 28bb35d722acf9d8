"""The guided first visit on an older database: accounts that signed in before know
their way around (``existing``); accounts never signed in still get the tour."""

from __future__ import annotations

import peewee
import pytest

from tests.app.old_databases import postgres_database, sqlite_database, upgrade_before, upgrade_one

NAME = "v0046_first_visit_tour"


def _check(database: peewee.Database) -> None:
    upgrade_before(database, NAME)
    handle = b"\x00" * 32
    accounts = (("old@example.org", "2026-03-01 09:00:00"), ("new@example.org", None))
    for email, last_login in accounts:
        database.execute_sql(
            'INSERT INTO "user" (email, role, trust_level, locale, user_handle, created_at, '
            "last_login_at) VALUES (%s, 'citizen', 'basic', 'de', %s, '2026-01-02 10:00:00', %s)"
            if isinstance(database, peewee.PostgresqlDatabase)
            else 'INSERT INTO "user" (email, role, trust_level, locale, user_handle, created_at, '
            "last_login_at) VALUES (?, 'citizen', 'basic', 'de', ?, '2026-01-02 10:00:00', ?)",
            (email, handle, last_login),
        )
    upgrade_one(database, NAME)
    rows = {
        email: (outcome, done is not None)
        for email, outcome, done in database.execute_sql(
            'SELECT email, tour_outcome, tour_done_at FROM "user"'
        ).fetchall()
    }
    assert rows == {"old@example.org": ("existing", True), "new@example.org": (None, False)}


def test_sqlite_accounts_from_before(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_postgres_accounts_from_before():
    with postgres_database("tour_migration") as database:
        _check(database)
