"""How full the job queue is and how long its oldest job has waited.

Read at scrape time for ``/metrics`` from whichever queue Huey uses (SQLite file or
Redis). Jobs carry the time they were queued (``app.tasks``); the oldest is the one
queued first that no worker has taken yet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from huey.storage import RedisStorage, SqliteStorage


@dataclass(frozen=True)
class QueueStats:
    """Jobs waiting for a worker, jobs scheduled for later, the oldest waiting job's age."""

    queued: int
    scheduled: int
    oldest_age_seconds: float | None


def read(huey: Any, now: float | None = None) -> QueueStats:
    """The queue's figures now (an immediate-mode queue is always empty)."""
    if huey.immediate:
        return QueueStats(0, 0, None)
    storage = huey.storage
    oldest = _oldest_message(storage)
    age = None
    if oldest is not None:
        enqueued_at = _enqueued_at(huey, oldest)
        if enqueued_at is not None:
            age = max(0.0, (now or time.time()) - enqueued_at)
    return QueueStats(storage.queue_size(), storage.schedule_size(), age)


def _oldest_message(storage: Any) -> bytes | None:
    if isinstance(storage, RedisStorage):
        # Huey pushes on the left and takes from the right: the right end waited longest.
        return storage.conn.lindex(storage.queue_key, -1)
    if isinstance(storage, SqliteStorage):
        rows = storage.sql(
            "select data from task where queue=? order by id limit 1",
            (storage.name,),
            results=True,
        )
        return rows[0][0] if rows else None
    items = storage.enqueued_items(1)
    return items[0] if items else None


def _enqueued_at(huey: Any, data: bytes) -> float | None:
    try:
        task = huey.deserialize_task(data)
    except Exception:  # a job of an unknown kind: it has no age we can tell
        return None
    value = getattr(task, "portal_meta", {}).get("enqueued_at")
    return float(value) if value is not None else None
