"""The worker's heartbeat: proof for ``/api/health`` that a Huey worker is alive.

A thread in each worker process writes the time into the queue's own key-value store
(the SQLite queue file or Redis, whichever the jobs use, so every node of the portal
sees it) every :data:`INTERVAL_SECONDS`. A heartbeat older than the staleness limit
means no worker is running. In immediate mode (tests) jobs run in the caller and there
is no worker to hear from.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from huey.constants import EmptyData

INTERVAL_SECONDS = 30.0
KEY = "portal:worker-heartbeat"
log = logging.getLogger(__name__)
_started = threading.Lock()
_thread: threading.Thread | None = None
_stopping = threading.Event()


def beat(huey: Any, now: float | None = None) -> None:
    """Record that a worker is alive now."""
    huey.storage.put_data(KEY, repr(now if now is not None else time.time()).encode())


def last_beat(huey: Any) -> float | None:
    """When a worker last said it was alive (epoch seconds), or None."""
    value = huey.storage.peek_data(KEY)
    if value is EmptyData or value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _beat_until_stopped(huey: Any, interval: float) -> None:
    while True:
        try:
            beat(huey)
        except Exception:  # the queue is away for a moment: say so, and try again
            log.warning("worker heartbeat could not be written", exc_info=True)
        if _stopping.wait(interval):
            return


def start(huey: Any, interval: float = INTERVAL_SECONDS) -> None:
    """Start the heartbeat thread of this process (once, however often called)."""
    global _thread
    with _started:
        if _thread is not None and _thread.is_alive():
            return
        _stopping.clear()
        _thread = threading.Thread(
            target=_beat_until_stopped, args=(huey, interval), name="heartbeat", daemon=True
        )
        _thread.start()


def stop() -> None:
    """Stop this process's heartbeat thread (a worker shutting down, tests)."""
    global _thread
    with _started:
        _stopping.set()
        if _thread is not None:
            _thread.join(timeout=5)
        _thread = None


def register(huey: Any) -> None:
    """Have every Huey consumer started with ``huey`` write the heartbeat.

    Huey calls start-up hooks in each consumer worker when it starts; the web process
    never starts a consumer, so it never beats.
    """
    huey.on_startup("portal_worker_heartbeat")(lambda: start(huey))
    huey.on_shutdown("portal_worker_heartbeat")(stop)
