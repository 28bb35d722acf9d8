"""Migrations: an empty database migrates to head and matches the models exactly."""

from __future__ import annotations

import os

import peewee
import pytest

from app import migrations
from app.models import ALL_MODELS


def _columns(database: peewee.Database, table: str) -> set[str]:
    return {column.name for column in database.get_columns(table)}


def _check_head(database: peewee.Database) -> None:
    assert migrations.applied(database) == []
    ran = migrations.upgrade(database)
    assert ran == [name for name, _ in migrations.available()]
    assert migrations.pending(database) == [] and migrations.upgrade(database) == []
    for model in ALL_MODELS:
        table = model._meta.table_name
        expected = {field.column_name for field in model._meta.sorted_fields}
        assert _columns(database, table) == expected, table


def test_empty_sqlite_to_head(tmp_path):
    database = peewee.SqliteDatabase(str(tmp_path / "fresh.sqlite3"), pragmas={"foreign_keys": 1})
    _check_head(database)
    assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.postgres
def test_empty_postgres_to_head():
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        pytest.skip("no PostgreSQL configured (TEST_POSTGRES_URL)")
    from playhouse.db_url import parse

    admin = peewee.PostgresqlDatabase(**parse(url))
    admin.execute_sql("DROP SCHEMA IF EXISTS migration_check CASCADE")
    admin.execute_sql("CREATE SCHEMA migration_check")
    admin.close()
    database = peewee.PostgresqlDatabase(**parse(url), options="-c search_path=migration_check")
    try:
        _check_head(database)
    finally:
        database.execute_sql("DROP SCHEMA migration_check CASCADE")
        database.close()
