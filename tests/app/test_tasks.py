"""The default job queue: SQLite in the instance folder, synced like the database."""

from __future__ import annotations


def test_sqlite_queue_in_the_instance_folder_syncs_normally(monkeypatch, tmp_path):
    from app import tasks

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE", str(tmp_path))
    queue = tasks._make_huey()
    connection = queue.storage.conn
    # NORMAL (1), not SQLite's FULL (2), where every enqueue and dequeue waits for the disk.
    assert connection.execute("pragma synchronous").fetchone() == (1,)
    assert connection.execute("pragma journal_mode").fetchone() == ("wal",)
    assert (tmp_path / "queue.sqlite3").exists()

    @queue.task()
    def add(a, b):
        return a + b

    result = add(2, 3)
    queue.execute(queue.dequeue())
    assert result.get() == 5
    queue.storage.close()
