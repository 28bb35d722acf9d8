"""The checks ``/api/health`` runs: a registry of named functions.

Each check is a function without arguments that returns None when all is well, or a
short reason (a few words, no host names, no exception text) when not; a check that
raises counts as failed with the exception's class as its reason. A check may also
return :class:`Passed` with a note (the worker check says "immediate" when jobs run in
the caller).

Built-in checks: ``database`` (a query, and no pending migrations), ``redis`` (PING,
when ``REDIS_URL`` is set), ``worker`` (the heartbeat, ``app.worker_heartbeat``) and
``storage`` (``app.storage.current().check()``).
Another package adds its own with one call, e.g.
``health_checks.register("archive", archive.check, reasons=(ArchiveUnreachable,))``:
an exception of a type named in ``reasons`` fails the check with its text (a short
reason the raiser wrote for this), any other only with its class name.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app import migrations, storage, worker_heartbeat
from app.db import db
from app.tasks import config as job_config

log = logging.getLogger(__name__)


class Passed(str):
    """A passing check's note, e.g. ``Passed("immediate")``."""


Check = Callable[[], "str | None"]


@dataclass(frozen=True)
class Outcome:
    """One check's answer: ``ok`` or ``failed``, with a short reason or note."""

    ok: bool
    reason: str | None = None


_checks: dict[str, tuple[Check, tuple[type[BaseException], ...]]] = {}


def register(name: str, check: Check, reasons: tuple[type[BaseException], ...] = ()) -> None:
    """Add ``check`` under ``name`` (replacing a check of that name).

    Exceptions of the types in ``reasons`` carry a short reason in their text.
    """
    _checks[name] = (check, reasons)


def unregister(name: str) -> None:
    """Remove the check ``name`` (no error when there is none)."""
    _checks.pop(name, None)


def names() -> list[str]:
    """The registered checks, in the order they run."""
    return list(_checks)


def run(name: str, check: Check, reasons: tuple[type[BaseException], ...] = ()) -> Outcome:
    """Run one check and turn what it returned or raised into an :class:`Outcome`."""
    try:
        answer = check()
    except Exception as exc:
        log.warning("health check %s failed", name, exc_info=True)
        if reasons and isinstance(exc, reasons) and str(exc):
            return Outcome(False, str(exc)[:200])
        return Outcome(False, type(exc).__name__)
    if answer is None:
        return Outcome(True)
    if isinstance(answer, Passed):
        return Outcome(True, str(answer))
    return Outcome(False, str(answer)[:200])


def run_all() -> dict[str, Outcome]:
    """Every registered check's outcome, by name."""
    return {name: run(name, *entry) for name, entry in list(_checks.items())}


# --- the built-in checks --------------------------------------------------------------


def check_database() -> str | None:
    """A query answers, and every migration is applied."""
    # Inside a request the connection is open already and stays open for the rest.
    opened_here = db.is_closed()
    if opened_here:
        db.connect()
    try:
        db.execute_sql("SELECT 1").fetchone()
        pending = migrations.pending(db.obj)
    finally:
        if opened_here:
            db.close()
    if pending:
        return "pending migrations: " + ", ".join(pending)
    return None


def redis_check(url: str) -> Check:
    """PING the Redis at ``url`` (one client per process, short timeouts)."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def check_redis() -> str | None:
        try:
            client.ping()
        except redis.RedisError:
            return "no answer to PING"
        return None

    return check_redis


def worker_check(huey: Any, stale_after: float) -> Check:
    """A worker wrote its heartbeat within ``stale_after`` seconds."""

    def check_worker() -> str | None:
        if huey.immediate:
            return Passed("immediate")
        last = worker_heartbeat.last_beat(huey)
        if last is None:
            return "no heartbeat from any worker"
        age = time.time() - last
        if age > stale_after:
            return f"last heartbeat {int(age)} s ago"
        return None

    return check_worker


def check_storage() -> str | None:
    """The configured file storage can store and read files.

    The backends' reasons name folders and buckets: they go to the log, the answer
    only names the backend.
    """
    try:
        storage.current().check()
    except storage.StorageUnavailable:
        log.warning("health check storage failed", exc_info=True)
        backend = job_config().get("PORTAL_STORAGE") or "file"
        return f"{backend} storage cannot store or read files"
    return None


def register_builtin(config: Mapping[str, Any], huey: Any) -> None:
    """Register ``database``, ``redis`` (when configured), ``worker`` and ``storage``."""
    register("database", check_database)
    if config.get("REDIS_URL"):
        register("redis", redis_check(config["REDIS_URL"]))
    else:
        unregister("redis")
    register("worker", worker_check(huey, float(config["WORKER_HEARTBEAT_STALE_SECONDS"])))
    register("storage", check_storage)
