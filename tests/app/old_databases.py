"""Databases as an older portal left them, for the tests of one migration each: SQLite in
a temporary folder, PostgreSQL in a schema of its own (skipped where none is configured)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import peewee
import pytest

from app import migrations
from app.migrations import Step


@contextmanager
def sqlite_database(folder: Path) -> Iterator[peewee.Database]:
    """An empty SQLite database file in ``folder``."""
    database = peewee.SqliteDatabase(str(folder / "old.sqlite3"), pragmas={"foreign_keys": 1})
    try:
        yield database
    finally:
        database.close()


@contextmanager
def postgres_database(schema: str) -> Iterator[peewee.Database]:
    """An empty schema ``schema`` of the test PostgreSQL database, dropped afterwards."""
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        pytest.skip("no PostgreSQL configured (TEST_POSTGRES_URL)")
    from playhouse.db_url import parse

    admin = peewee.PostgresqlDatabase(**parse(url))
    admin.execute_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.execute_sql(f"CREATE SCHEMA {schema}")
    admin.close()
    database = peewee.PostgresqlDatabase(**parse(url), options=f"-c search_path={schema}")
    try:
        yield database
    finally:
        database.execute_sql(f"DROP SCHEMA {schema} CASCADE")
        database.close()


def upgrade_before(database: peewee.Database, name: str) -> None:
    """Apply every migration older than ``name``, each in its own transaction."""
    for older, module in migrations.available():
        if older >= name:
            break
        with database.atomic():
            module.upgrade(Step(database))


def upgrade_one(database: peewee.Database, name: str) -> None:
    """Apply the migration ``name`` alone."""
    with database.atomic():
        dict(migrations.available())[name].upgrade(Step(database))


def insert_as_then(
    database: peewee.Database, model: type[peewee.Model], **values: object
) -> object:
    """Insert a row of ``model`` into an older database with only the columns its table
    has there (a column added by a later migration is left out), filling the others
    from the model's defaults; returns the new row's id.

    ``Model.create`` would name every column of today's model and fail on an old schema
    as soon as a later migration adds one."""
    table = model._meta.table_name
    existing = {column.name for column in database.get_columns(table)}
    row: dict[str, object] = {}
    for field in model._meta.sorted_fields:
        if field.column_name not in existing:
            continue
        if field.name in values:
            value = values.pop(field.name)
        elif field.default is not None:
            value = field.default() if callable(field.default) else field.default
        else:
            continue
        if isinstance(value, peewee.Model):
            value = value.get_id()
        row[field.column_name] = field.db_value(value)
    if values:
        raise TypeError(f"{table} has no column for {sorted(values)} at this schema")
    # A key made by a default (a random id) is the row's id, not the database's row number.
    key = model._meta.primary_key.column_name
    target = peewee.Table(table, columns=[*row, key]).bind(database)
    if key in row:
        target.insert(row).execute()
        return row[key]
    if isinstance(database, peewee.PostgresqlDatabase):
        ((made,),) = target.insert(row).returning(getattr(target, key)).tuples().execute()
        return made
    return target.insert(row).execute()
