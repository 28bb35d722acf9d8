"""Rate-limit counters in a SQLite file, shared by every process on the host.

flask-limiter keeps its counters in a ``limits`` storage. Its memory storage counts
per process, so under gunicorn with several workers each worker would allow the full
limit (twice the promised number with two). Without Redis the portal uses this storage
instead: one SQLite file in the instance folder that all workers and threads update
atomically, one statement per hit. It implements the fixed-window strategy (the
portal's, flask-limiter's default).

Used for URIs ``sqlite://`` followed by an absolute path (e.g.
``sqlite:///srv/portal/ratelimits.sqlite3``) once :func:`register` has run.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from urllib.parse import urlsplit

from limits.storage import SCHEMES, Storage

from app.private_files import create_private_sqlite

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counter ("
    " key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at REAL NOT NULL)"
)
_EXPIRES_INDEX = "CREATE INDEX IF NOT EXISTS counter_expires_at ON counter (expires_at)"
# One statement, so SQLite's write lock makes it atomic across processes: a counter
# whose window has ended starts again at ``amount`` with a new expiry.
_INCREMENT = (
    "INSERT INTO counter (key, value, expires_at) VALUES (:key, :amount, :expires_at) "
    "ON CONFLICT (key) DO UPDATE SET "
    " value = CASE WHEN counter.expires_at <= :now THEN excluded.value"
    "  ELSE counter.value + excluded.value END,"
    " expires_at = CASE WHEN counter.expires_at <= :now THEN excluded.expires_at"
    "  ELSE counter.expires_at END "
    "RETURNING value"
)
# Expired counters are removed now and then, not on every hit.
_PURGE_EVERY_SECONDS = 60.0


class SqliteStorage(Storage):
    """A ``limits`` storage for fixed windows in one SQLite file (WAL, owner-only)."""

    STORAGE_SCHEME = ["sqlite"]  # noqa: RUF012 - the registry reads a list

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool):
        """Use the file named by ``uri`` (``sqlite://`` and an absolute path), creating it."""
        path = urlsplit(uri).path
        if not path.startswith("/") or path.endswith("/"):
            raise ValueError(f"{uri!r} names no file (use sqlite:// and an absolute path)")
        self.path = path
        self.timeout = float(options.get("timeout", 5.0))
        self._local = threading.local()
        self._purged_at = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        conn = self._connection()
        conn.execute(_SCHEMA)
        conn.execute(_EXPIRES_INDEX)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """What a failing storage raises (flask-limiter can be told to let requests pass)."""
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread and process: a connection must not cross a fork
        # (gunicorn --preload) or be used by two threads at once.
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            create_private_sqlite(self.path)
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            self._use_wal(conn)
            # Counters need not survive a power cut; every commit need not wait for the disk.
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch the file to write-ahead logging, once.

        Switching needs the file to itself, and SQLite answers "database is locked" at
        once (without waiting) while other processes open it at the same moment, as
        the workers of a starting server do. The mode is kept in the file: once one
        process switched it, the others find it switched.
        """
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to ``key``'s counter, starting a window of ``expiry`` seconds."""
        now = time.time()
        rows = (
            self._connection()
            .execute(
                _INCREMENT,
                {"key": key, "amount": amount, "expires_at": now + expiry, "now": now},
            )
            .fetchall()  # all rows: the statement (and its write) is then finished
        )
        self._purge_expired(now)
        return int(rows[0][0])

    def get(self, key: str) -> int:
        """The counter of ``key`` in its current window (0 when there is none)."""
        row = (
            self._connection()
            .execute(
                "SELECT value FROM counter WHERE key = ? AND expires_at > ?", (key, time.time())
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """When ``key``'s window ends (now when there is none), as a UNIX time."""
        now = time.time()
        row = (
            self._connection()
            .execute("SELECT expires_at FROM counter WHERE key = ? AND expires_at > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        """Whether the file can be read."""
        try:
            self._connection().execute("SELECT 1 FROM counter LIMIT 1").fetchall()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Remove every counter; the number removed."""
        return self._connection().execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        """Remove ``key``'s counter."""
        self._connection().execute("DELETE FROM counter WHERE key = ?", (key,))

    def _purge_expired(self, now: float) -> None:
        if now - self._purged_at < _PURGE_EVERY_SECONDS:
            return
        self._purged_at = now
        self._connection().execute("DELETE FROM counter WHERE expires_at <= ?", (now,))


def register() -> None:
    """Make ``sqlite://`` rate-limit URIs use :class:`SqliteStorage`.

    ``limits`` files a storage class under its scheme when the class is defined; this
    states the dependency where the portal is assembled and refuses to run with another
    class holding the scheme. Calling it again changes nothing.
    """
    known = SCHEMES.get("sqlite")
    if known is not None and known is not SqliteStorage:
        raise RuntimeError(f"rate-limit storage sqlite:// is taken by {known!r}")
    SCHEMES["sqlite"] = SqliteStorage
