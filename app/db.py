"""Database connection: SQLite (WAL, foreign keys on) by default, PostgreSQL by URL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import peewee
from playhouse.db_url import connect as connect_url

db = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def open_database(url: str, pool_size: int = 20) -> peewee.Database:
    """Create the database for ``url`` and bind the global proxy to it."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        database = connect_url(url, pragmas=SQLITE_PRAGMAS)
    elif scheme in ("postgres", "postgresql"):
        # A pool keeps connection setup out of every request; stale ones are recycled.
        pooled = url.replace(f"{scheme}://", "postgresql+pool://", 1)
        database = connect_url(pooled, max_connections=pool_size, stale_timeout=300)
    else:
        raise ValueError(f"Unsupported DATABASE_URL scheme {scheme!r} (use sqlite or postgresql)")
    db.initialize(database)
    return database


def is_postgres() -> bool:
    """True when the bound database is PostgreSQL."""
    return isinstance(db.obj, peewee.PostgresqlDatabase)


def utcnow() -> datetime:
    """The current time in UTC, naive, as every timestamp column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso_utc(value: datetime) -> str:
    """``value`` as ISO 8601 in UTC with its zone (``2025-01-31T09:30:00Z``).

    Naive values are UTC, as every timestamp column stores them; sending them without a
    zone would leave clients to guess (a browser reads them as local time).
    """
    stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
    return stamp.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso(value: Any) -> Any:
    """Timestamps via :func:`iso_utc`, dates as ``YYYY-MM-DD``, anything else unchanged."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
