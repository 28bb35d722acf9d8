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
  thread, and counts the notifications it receives (trusting them only while a probe
  it sends comes back, see ``_Listener``); this process's own changes count at once
  when they commit. A change made by another process is seen when its
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
import secrets
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
_PROBE_SECONDS = 5.0
_PROBE_PREFIX = "probe:"
_RECONNECT_SECONDS = 1.0
_MAX_PAUSE_SECONDS = 60.0

_GENERATION_SQL = "SELECT value FROM auth_change WHERE id = 1"


def generation() -> int | None:
    """The current count of changes, or None when it cannot be known (then nothing may
    be taken from a cache)."""
    database = db.obj
    if isinstance(database, peewee.PostgresqlDatabase):
        return _listener_for(database).generation()
    row = database.execute_sql(_GENERATION_SQL).fetchone()
    return row[0] if row else None


# The attribute of a signed-in user's model that holds the count its session was
# checked at (``seen_with``).
_SEEN = "_auth_generation_seen"


def seen_with(user: Any, count: int | None) -> None:
    """Note on the signed-in ``user``'s model (one per request) the count its session
    was checked at. Answers about that user later in the same request
    (:func:`generation_for`) then stand on the same count, not on a second read: a
    request sees who may do what as of its start, as it sees its session."""
    user.__dict__[_SEEN] = count


def generation_for(user: Any) -> int | None:
    """The count a cache may use for answers about ``user``: the one its session was
    checked at in this request (``seen_with``), else the current one."""
    seen = user.__dict__.get(_SEEN)
    return seen if seen is not None else generation()


def note_statement(sql: str) -> None:
    """Count a change this process makes to sessions, accounts or staff areas as soon as
    it commits (PostgreSQL): its own next request must not wait for the notification.

    Called after each statement other than a SELECT (``app.db.observe_writes``)."""
    if any(table in sql for table in TABLES) and not _ROUTINE.match(sql):
        listener = _LISTENERS.get((os.getpid(), _key(db.obj)))
        if listener is not None:
            on_commit(listener.count_change)


def register() -> None:
    """Have this process's own changes counted as they commit (PostgreSQL)."""
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
    """``LISTEN portal_auth_change`` on a connection of its own, in a daemon thread.

    Listening is trusted only while it is shown to work: after ``LISTEN`` and then
    every ``_HEARTBEAT_SECONDS``, a second connection of its own sends a probe, which
    must come back within ``_PROBE_SECONDS``. A path that does not carry notifications
    (a connection pooler in transaction mode, say) thus never lets a process keep
    sessions, and one that stops carrying them ends the keeping within a heartbeat.
    """

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

        pause = _RECONNECT_SECONDS
        while True:
            connections: list[Any] = []
            try:
                listening = psycopg2.connect(dbname=self._name, **self._params)
                connections.append(listening)
                probing = psycopg2.connect(dbname=self._name, **self._params)
                connections.append(probing)
                for connection in connections:
                    connection.autocommit = True
                listening.cursor().execute(f"LISTEN {CHANNEL}")
                self._probe(listening, probing)
                # Whatever was kept while nobody listened may be stale.
                self.count_change()
                self._listening = True
                pause = _RECONNECT_SECONDS
                self._listen(listening, probing)
            except Exception:  # any failure: stop trusting caches, then retry
                log.warning("Listening for changes to sessions failed; retrying", exc_info=True)
            finally:
                self._listening = False
                self.count_change()
                for connection in connections:
                    with contextlib.suppress(Exception):  # may be broken already
                        connection.close()
            time.sleep(pause)
            pause = min(pause * 2, _MAX_PAUSE_SECONDS)

    def _listen(self, listening: Any, probing: Any) -> None:
        while True:
            ready, _w, _x = select.select([listening], [], [], _HEARTBEAT_SECONDS)
            if not ready:
                self._probe(listening, probing)
                continue
            self._received(listening)

    def _received(self, listening: Any) -> set[str]:
        """Count the changes announced since the last look; return the probes seen."""
        listening.poll()
        probes = set()
        changed = False
        while listening.notifies:
            payload = listening.notifies.pop(0).payload
            if payload.startswith(_PROBE_PREFIX):
                probes.add(payload)
            else:
                changed = True
        if changed:
            self.count_change()
        return probes

    def _probe(self, listening: Any, probing: Any) -> None:
        """Send a probe on the second connection; raise unless it comes back in time."""
        probe = _PROBE_PREFIX + secrets.token_hex(8)
        probing.cursor().execute("SELECT pg_notify(%s, %s)", (CHANNEL, probe))
        deadline = time.monotonic() + _PROBE_SECONDS
        while time.monotonic() < deadline:
            if probe in self._received(listening):
                return
            select.select([listening], [], [], max(0.0, deadline - time.monotonic()))
        raise RuntimeError("a notification sent to the database did not come back")
