"""Background jobs (Huey): SQLite queue by default, Redis when ``REDIS_URL`` is set.

The queue is chosen from the environment at import time because the worker process
(`huey_consumer portal.worker.huey`) imports this module before any app exists.

A job queued inside a database transaction is handed to the queue only when that
transaction commits (and never if it rolls back): a worker must not pick up a job
before the rows it reads are visible.

Every job carries the request id it was queued under (``app.log_context``) and when it
was queued, beside Huey's own message: the worker's log lines for the job show the
request's id, and the queue's oldest job has an age (``app.job_queue_stats``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.api import ResultGroup, chord, group
from huey.storage import SqliteStorage

from app import log_context
from app.db import in_transaction, on_commit
from app.locations import REPO_ROOT
from app.private_files import create_private_sqlite, private_dir


class QueueStorage(SqliteStorage):
    """SqliteHuey's storage with ``synchronous=NORMAL``, as the portal's own database.

    Huey leaves SQLite's default (FULL) or switches syncing off; in WAL mode NORMAL
    keeps the file safe on any crash and syncs at checkpoints rather than on every
    enqueue and dequeue (the push benchmark's queue path: 345/s → 433/s).
    """

    def _create_connection(self):
        # Queued jobs carry mail (sign-in codes): the file is private from its creation,
        # and SQLite gives its -wal and -shm files the same mode.
        create_private_sqlite(self.filename)
        conn = super()._create_connection()
        conn.execute("pragma synchronous=1")
        return conn


# Marks a stored job that carries the portal's own fields beside Huey's message.
_ENVELOPE = "portal-job-1"


def job_meta(task: Any) -> dict[str, Any]:
    """The portal's fields of a queued job: ``request_id`` and ``enqueued_at``."""
    return getattr(task, "portal_meta", None) or {}


class _EnqueueAfterCommit:
    """Every way of queueing a job (calling a task, ``schedule``, retries) passes
    ``enqueue``; inside a transaction the job waits for the commit."""

    def enqueue(self, task: Any) -> Any:
        if not isinstance(task, group | chord):
            # A retry keeps the request it came from; each queueing has its own time.
            meta = job_meta(task)
            task.portal_meta = {
                "request_id": meta.get("request_id", log_context.request_id()),
                "enqueued_at": time.time(),
            }
        if isinstance(task, group | chord) or not in_transaction():
            # A group enqueues its members one by one, which comes back here.
            return super().enqueue(task)
        on_commit(lambda: super(_EnqueueAfterCommit, self).enqueue(task))
        if not self.results:
            return None
        # The same result handle Huey gives for a queued task (it reads by task id).
        results = self._pipeline_results(task)
        return results[0] if len(results) == 1 else ResultGroup(results)

    def serialize_task(self, task: Any) -> bytes:
        message = self._registry.create_message(task)
        return self.serializer.serialize((_ENVELOPE, job_meta(task), message))

    def deserialize_task(self, data: bytes) -> Any:
        stored = self.serializer.deserialize(data)
        meta: dict[str, Any] = {}
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == _ENVELOPE:
            _marker, meta, stored = stored
        # Jobs queued before the envelope existed are plain messages.
        task = self._registry.create_task(stored)
        task.portal_meta = meta
        return task

    def execute(self, task: Any, timestamp: Any = None) -> Any:
        """Run ``task`` with its request id (and its name) in every log line it writes."""
        context = log_context.LogContext(
            request_id=job_meta(task).get("request_id") or log_context.request_id(),
            job=f"{type(task).__module__}.{task.name}",
            job_id=task.id,
        )
        with log_context.bound(context):
            return super().execute(task, timestamp)


class PortalRedisHuey(_EnqueueAfterCommit, RedisHuey):
    """Redis queue, enqueueing after commit."""


class PortalSqliteHuey(_EnqueueAfterCommit, SqliteHuey):
    """SQLite queue, enqueueing after commit."""


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return PortalRedisHuey("buergerportal", url=os.environ["REDIS_URL"])
    instance = Path(os.environ.get("PORTAL_INSTANCE") or REPO_ROOT / "instance")
    private_dir(instance)
    return PortalSqliteHuey(
        "buergerportal", filename=str(instance / "queue.sqlite3"), storage_class=QueueStorage
    )


huey = _make_huey()
_config: dict[str, Any] = {}


def configure(config: dict[str, Any]) -> None:
    """Give jobs the app configuration; immediate mode runs jobs in the caller."""
    _config.clear()
    _config.update(config)
    huey.immediate = bool(config.get("HUEY_IMMEDIATE"))


def config() -> dict[str, Any]:
    """The configuration jobs run with."""
    return _config


@huey.task(retries=3, retry_delay=30)
def send_mail(to: str, subject: str, body: str) -> None:
    """Deliver a mail in the background, retrying when the mail server is away."""
    from app.mail import deliver

    deliver(_config, to, subject, body)
