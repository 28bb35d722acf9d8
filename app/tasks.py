"""Background jobs (Huey): SQLite queue by default, Redis when ``REDIS_URL`` is set.

The queue is chosen from the environment at import time because the worker process
(`huey_consumer app.worker.huey`) imports this module before any app exists.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.storage import SqliteStorage

from app.config import REPO_ROOT
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


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return RedisHuey("buergerportal", url=os.environ["REDIS_URL"])
    instance = Path(os.environ.get("PORTAL_INSTANCE") or REPO_ROOT / "instance")
    private_dir(instance)
    return SqliteHuey(
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
