"""Versioned schema migrations.

Each module in ``app/migrations/versions`` named ``vNNNN_<name>.py`` defines
``upgrade(step)``. Migrations are written as DDL with dialect placeholders rather than
from the live models, so an old migration keeps meaning the same thing after the models
change; a test checks that migrating an empty database yields exactly the models' columns.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

import peewee
from playhouse.migrate import SchemaMigrator

from app.db import utcnow

MIGRATIONS_TABLE = "schema_migrations"

_TYPES = {
    "sqlite": {
        "pk": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "blob": "BLOB",
        "ts": "DATETIME",
        "bool": "INTEGER",
        "bigint": "INTEGER",
    },
    "postgres": {
        "pk": "BIGSERIAL PRIMARY KEY",
        "blob": "BYTEA",
        "ts": "TIMESTAMP",
        "bool": "BOOLEAN",
        "bigint": "BIGINT",
    },
}


@dataclass
class Step:
    """What a migration's ``upgrade`` gets: the database and dialect-aware helpers."""

    database: peewee.Database

    @property
    def dialect(self) -> str:
        return "postgres" if isinstance(self.database, peewee.PostgresqlDatabase) else "sqlite"

    @property
    def migrator(self) -> SchemaMigrator:
        return SchemaMigrator.from_database(self.database)

    def sql(self, script: str) -> None:
        """Run ``;``-separated DDL after filling ``{pk}``, ``{blob}``, ``{ts}``, ``{bool}``."""
        for statement in script.format(**_TYPES[self.dialect]).split(";"):
            if statement.strip():
                self.database.execute_sql(statement)


def available() -> list[tuple[str, ModuleType]]:
    """All migration modules, ordered by version."""
    from app.migrations import versions

    found = []
    for info in pkgutil.iter_modules(versions.__path__):
        if info.name.startswith("v") and info.name[1:5].isdigit():
            found.append((info.name, importlib.import_module(f"{versions.__name__}.{info.name}")))
    return sorted(found)


def _ensure_table(database: peewee.Database) -> None:
    database.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
        "(version VARCHAR(100) PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )


def _table(database: peewee.Database) -> peewee.Table:
    return peewee.Table(MIGRATIONS_TABLE, ("version", "applied_at")).bind(database)


def applied(database: peewee.Database) -> list[str]:
    """Versions already applied to ``database``."""
    _ensure_table(database)
    table = _table(database)
    return [row["version"] for row in table.select(table.version).order_by(table.version).dicts()]


def pending(database: peewee.Database) -> list[str]:
    """Versions not yet applied."""
    done = set(applied(database))
    return [name for name, _module in available() if name not in done]


def upgrade(database: peewee.Database) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names."""
    _ensure_table(database)
    ran: list[str] = []
    for name, module in available():
        with database.atomic():
            if isinstance(database, peewee.PostgresqlDatabase):
                # Two processes starting at once must not both apply the same step.
                database.execute_sql("SELECT pg_advisory_xact_lock(8150001)")
            table = _table(database)
            if table.select().where(table.version == name).exists():
                continue
            module.upgrade(Step(database))
            table.insert(version=name, applied_at=utcnow()).execute()
            ran.append(name)
    return ran


def is_current(database: peewee.Database) -> bool:
    """True when every migration has been applied (reads only, creates nothing)."""
    if not database.table_exists(MIGRATIONS_TABLE):
        return False
    table = _table(database)
    done = {row["version"] for row in table.select(table.version).dicts()}
    return all(name in done for name, _module in available())
