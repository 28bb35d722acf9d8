"""Database connection: SQLite (WAL, foreign keys on) by default, PostgreSQL by URL."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import peewee
from playhouse.db_url import connect as connect_url

db = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # Parallel writers wait for each other this long (ms) instead of failing at once.
    "busy_timeout": 10000,
    "synchronous": "normal",
}
# Every transaction takes SQLite's write lock when it begins. A transaction that reads
# and then writes would otherwise fail at once with "database is locked" when another
# writer committed in between (no waiting helps a stale read snapshot); this way it
# waits its turn (busy_timeout) and then reads current data.
SQLITE_LOCK_TYPE = "IMMEDIATE"
# A request waits this long (seconds) for a free PostgreSQL connection when every
# pooled one is in use, rather than failing.
POOL_WAIT_SECONDS = 10


def open_database(url: str, pool_size: int = 20) -> peewee.Database:
    """Create the database for ``url`` and bind the global proxy to it."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        database = connect_url(url, pragmas=SQLITE_PRAGMAS, lock_type=SQLITE_LOCK_TYPE)
    elif scheme in ("postgres", "postgresql"):
        # A pool keeps connection setup out of every request; stale ones are recycled.
        pooled = url.replace(f"{scheme}://", "postgresql+pool://", 1)
        database = connect_url(
            pooled, max_connections=pool_size, stale_timeout=300, timeout=POOL_WAIT_SECONDS
        )
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
