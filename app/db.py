"""Database connection: SQLite (WAL, foreign keys on) by default, PostgreSQL by URL.

Work that must only happen once a transaction is durable (queueing a job that reads
the new rows, deleting the files of deleted rows) registers with :func:`on_commit`:
it runs right after the outermost transaction commits and is dropped when the
transaction, or the savepoint it was registered in, rolls back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import peewee
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from app.private_files import create_private_sqlite

log = logging.getLogger(__name__)

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
# A request waits this long (seconds) for a free pooled connection when every
# pooled one is in use, rather than failing.
POOL_WAIT_SECONDS = 10


class _Savepoint(peewee._savepoint):
    """A savepoint that also forgets the commit hooks registered inside it on rollback."""

    def _begin(self) -> None:
        self._hooks_before = len(self.db._state.commit_callbacks)
        super()._begin()

    def rollback(self, begin: bool = True) -> None:
        super().rollback(begin=False)
        del self.db._state.commit_callbacks[self._hooks_before :]
        if begin:
            self._begin()


class _CommitHooks:
    """Peewee's ``after_commit`` with savepoint-aware discarding (see :class:`_Savepoint`)."""

    def savepoint(self) -> peewee._savepoint:
        return _Savepoint(self)


class _PortalProxy(peewee.DatabaseProxy):
    """The global database handle; its savepoints are commit-hook aware too."""

    def savepoint(self) -> peewee._savepoint:
        return _Savepoint(self)


db = _PortalProxy()


class PortalSqliteDatabase(_CommitHooks, PooledSqliteDatabase):
    """Pooled SQLite with commit hooks.

    Opening a connection and applying the pragmas costs more than a short request's
    queries; a pooled connection is handed from thread to thread between requests
    (never used by two at once), hence ``check_same_thread=False``.
    """


# A pooled PostgreSQL connection handed back less than this long ago is handed out
# again as it is; one idle for longer is first asked ``SELECT 1`` (the server may have
# dropped it meanwhile), as peewee's pool asks every connection on every checkout.
PING_AFTER_IDLE_SECONDS = 1.0


# Called with every statement other than a SELECT that the portal has sent to
# PostgreSQL (see ``observe_writes``).
_write_observers: list[Callable[[str], None]] = []


def observe_writes(observer: Callable[[str], None]) -> None:
    """Have ``observer`` called with each statement other than a SELECT, right after
    PostgreSQL ran it (e.g. to act when the transaction that made a change commits)."""
    if observer not in _write_observers:
        _write_observers.append(observer)


class PortalPostgresDatabase(_CommitHooks, PooledPostgresqlDatabase):
    """Pooled PostgreSQL with commit hooks.

    Every request checks a connection out of the pool and back in. peewee's pool makes
    sure a connection still works with a round trip to the server on each checkout,
    which for a short request is as much as its own statements. A connection that
    came back moments ago, without an open transaction, is taken as it is: under load
    that is nearly every checkout. One idle for longer is asked first, as before.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Connection id -> when it came back to the pool (monotonic seconds).
        self._returned_at: dict[int, float] = {}
        super().__init__(*args, **kwargs)

    def _is_closed(self, conn: Any) -> bool:
        returned = self._returned_at.pop(id(conn), None)
        if conn.closed:
            return True
        if (
            returned is not None
            and time.monotonic() - returned < PING_AFTER_IDLE_SECONDS
            and conn.get_transaction_status() == TRANSACTION_STATUS_IDLE
        ):
            return False
        return super()._is_closed(conn)

    def execute_sql(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        cursor = super().execute_sql(sql, *args, **kwargs)
        if _write_observers and not sql.startswith("SELECT"):
            for observer in _write_observers:
                observer(sql)
        return cursor

    def _close(self, conn: Any, close_conn: bool = False) -> None:
        with self._pool_lock:
            super()._close(conn, close_conn)
            if not conn.closed:
                # Back in the pool (a closed one is dropped and asked nothing again).
                self._returned_at[id(conn)] = time.monotonic()
            else:
                self._returned_at.pop(id(conn), None)


def open_database(url: str, pool_size: int = 20) -> peewee.Database:
    """Create the database for ``url`` and bind the global proxy to it."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        database: peewee.Database = PortalSqliteDatabase(
            **parse(url),
            pragmas=SQLITE_PRAGMAS,
            lock_type=SQLITE_LOCK_TYPE,
            check_same_thread=False,
            max_connections=pool_size,
            stale_timeout=300,
            timeout=POOL_WAIT_SECONDS,
        )
        # Before SQLite creates the file (0644 under the usual umask): its -wal and
        # -shm files then take the database file's owner-only mode.
        create_private_sqlite(database.database)
    elif scheme in ("postgres", "postgresql"):
        # A pool keeps connection setup out of every request; stale ones are recycled.
        database = PortalPostgresDatabase(
            **parse(url), max_connections=pool_size, stale_timeout=300, timeout=POOL_WAIT_SECONDS
        )
    else:
        raise ValueError(f"Unsupported DATABASE_URL scheme {scheme!r} (use sqlite or postgresql)")
    db.initialize(database)
    return database


def is_postgres() -> bool:
    """True when the bound database is PostgreSQL."""
    return isinstance(db.obj, peewee.PostgresqlDatabase)


def in_transaction() -> bool:
    """True inside an open transaction of the bound database (False when none is bound)."""
    return db.obj is not None and db.in_transaction()


def on_commit(func: Callable[[], object]) -> None:
    """Run ``func`` once the current transaction has committed (at once outside one).

    Dropped if the transaction or the enclosing savepoint rolls back. A hook that
    raises is logged: the commit has happened and the other hooks still run.
    """

    def guarded() -> None:
        try:
            func()
        except Exception:
            log.exception("A hook after commit failed: %r", func)

    if not in_transaction():
        func()
        return
    db.after_commit(guarded)


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
