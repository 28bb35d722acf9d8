"""Definition versions stored before the editor existed: revision 1, no working copy,
never changed by anyone; a user deleted later leaves the version without ``changed_by``."""

from __future__ import annotations

import peewee
import pytest

from tests.app.old_databases import postgres_database, sqlite_database, upgrade_before, upgrade_one

NAME = "v0024_definition_working_copy"


def _check(database: peewee.Database) -> None:
    upgrade_before(database, NAME)
    # A version as the portal wrote it before (only the old columns).
    database.execute_sql(
        "INSERT INTO service_definition (service_id, version, state, area, data, fingerprint, "
        "source, created_at) VALUES ('dogs', 1, 'draft', 'taxes', '{}', 'f', 'admin', "
        "'2026-01-02 10:00:00')"
    )
    upgrade_one(database, NAME)
    row = database.execute_sql(
        "SELECT working, revision, changed_at, changed_by_id FROM service_definition"
    ).fetchone()
    assert tuple(row) == (None, 1, None, None)
    mark = database.param
    database.execute_sql(
        'INSERT INTO "user" (email, role, trust_level, locale, user_handle, created_at) '
        f"VALUES ('a@example.org', 'admin', 'basic', 'de', {mark}, '2026-01-02 10:00:00')",
        (b"handle",),
    )
    (user_id,) = database.execute_sql('SELECT id FROM "user"').fetchone()
    database.execute_sql(
        'UPDATE service_definition SET revision = 2, working = \'{"id": "dogs"}\', '
        f"changed_at = '2026-01-03 10:00:00', changed_by_id = {int(user_id)}"
    )
    database.execute_sql(f'DELETE FROM "user" WHERE id = {int(user_id)}')
    row = database.execute_sql(
        "SELECT working, revision, changed_by_id FROM service_definition"
    ).fetchone()
    assert tuple(row) == ('{"id": "dogs"}', 2, None)


def test_sqlite_rows_from_before(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_postgres_rows_from_before():
    with postgres_database("definition_working_migration") as database:
        _check(database)
