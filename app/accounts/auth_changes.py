"""A count of changes to who may do what, for caches of sessions and staff areas.

Nearly every request asks who is signed in, and a clerk's requests which service areas
they work on. Asking the database each time is one round trip more per request than
the request's own work, which on PostgreSQL costs as much as that work. The answers
change rarely (signing in and out, an admin changing a role or areas, deactivating an
account), so each process keeps them and asks again only after such a change.

Such a change is seen by database triggers (migration ``v0027_auth_changes``), whatever
code made it, cascades included: on the tables ``auth_session`` (any change but the
periodic ``last_seen_at`` refresh), ``user`` (any change but ``last_login_at``) and
``staff_area``.

- SQLite (one machine): the triggers count changes in the one-row table
  ``auth_change``; :func:`generation` reads that count, a statement far cheaper than
  the session's own.
- PostgreSQL (several processes and nodes): the triggers ``NOTIFY portal_auth_change``
  when the change commits. Each process listens on a connection of its own, in a
  thread, and counts the notifications it receives; this process's own changes count
  at once when they commit. A change made by another process is seen when its
  notification arrives (within milliseconds). While the listening connection is down
  :func:`generation` answers None: nothing is cached and every request asks the
  database, as without a cache; reconnecting counts as a change, so nothing kept
  from before is used again.

A cache keeps each entry with the generation read *before* the entry was read from
the database, and uses it only while the generation is still the same.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import select
import threading
import time
from typing import Any

import peewee

from app.db import db, observe_writes, on_commit

log = logging.getLogger(__name__)

CHANNEL = "portal_auth_change"
# Tables whose changes affect sessions, accounts and staff areas, as peewee names them
# in the statements it writes (a change the triggers see; see ``note_statement``).
TABLES = ('"auth_session"', '"user"', '"staff_area"', "auth_session", "staff_area")
# The routine refreshes the triggers leave out too, as peewee writes them (``save(only=``).
_ROUTINE = re.compile(
    r'UPDATE "(auth_session" SET "last_seen_at|user" SET "last_login_at)" = %s WHERE [^;]*$'
)
# The listener asks its connection whether it still works when nothing came this long.
_HEARTBEAT_SECONDS = 30.0
_RECONNECT_SECONDS = 1.0

_GENERATION_SQL = "SELECT value FROM auth_change WHERE id = 1"


def generation() -> int | None:
    """The current count of changes, or None when it cannot be known (then nothing may
    be taken from a cache)."""
    database = db.obj
    if isinstance(database, peewee.PostgresqlDatabase):
        return _listener_for(database).generation()
    row = database.execute_sql(_GENERATION_SQL).fetchone()
    return row[0] if row else None


def note_statement(sql: str) -> None:
    """Count a change this process makes to sessions, accounts or staff areas as soon as
    it commits (PostgreSQL): its own next request must not wait for the notification.

    Called after each statement other than a SELECT (``app.db.observe_writes``)."""
    if any(table in sql for table in TABLES) and not _ROUTINE.match(sql):
        listener = _LISTENERS.get((os.getpid(), _key(db.obj)))
        if listener is not None:
            on_commit(listener.count_change)


observe_writes(note_statement)


# --- PostgreSQL ------------------------------------------------------------------------


def _key(database: Any) -> tuple[Any, ...]:
    params = getattr(database, "connect_params", {})
    return (database.database, *sorted((k, str(v)) for k, v in params.items()))


_LISTENERS: dict[tuple[Any, ...], _Listener] = {}
_LISTENERS_LOCK = threading.Lock()


def _listener_for(database: peewee.PostgresqlDatabase) -> _Listener:
    # Per process: a thread started before a fork does not run in the child.
    key = (os.getpid(), _key(database))
    listener = _LISTENERS.get(key)
    if listener is None:
        with _LISTENERS_LOCK:
            listener = _LISTENERS.get(key)
            if listener is None:
                listener = _LISTENERS[key] = _Listener(database.database, database.connect_params)
                listener.start()
    return listener


class _Listener:
    """``LISTEN portal_auth_change`` on a connection of its own, in a daemon thread."""

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        self._name, self._params = name, dict(params)
        self._count = 0
        self._listening = False
        self._lock = threading.Lock()

    def generation(self) -> int | None:
        return self._count if self._listening else None

    def count_change(self) -> None:
        with self._lock:
            self._count += 1

    def start(self) -> None:
        thread = threading.Thread(target=self._run, name="auth-change-listener", daemon=True)
        thread.start()

    def _run(self) -> None:
        import psycopg2

        while True:
            connection = None
            try:
                connection = psycopg2.connect(dbname=self._name, **self._params)
                connection.autocommit = True
                connection.cursor().execute(f"LISTEN {CHANNEL}")
                # Whatever was kept while nobody listened may be stale.
                self.count_change()
                self._listening = True
                self._listen(connection)
            except Exception:  # any failure: stop trusting caches, then retry
                log.warning("Listening for changes to sessions failed; retrying", exc_info=True)
            finally:
                self._listening = False
                self.count_change()
                if connection is not None:
                    with contextlib.suppress(Exception):  # already broken
                        connection.close()
            time.sleep(_RECONNECT_SECONDS)

    def _listen(self, connection: Any) -> None:
        while True:
            ready, _w, _x = select.select([connection], [], [], _HEARTBEAT_SECONDS)
            if not ready:
                connection.cursor().execute("SELECT 1")  # raises once the server is gone
                continue
            connection.poll()
            if connection.notifies:
                connection.notifies.clear()
                self.count_change()
