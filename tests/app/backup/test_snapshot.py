"""The SQLite snapshot is one consistent state while the portal goes on writing."""

from __future__ import annotations

import sqlite3
import threading

from app.backup import database


def test_a_snapshot_while_another_connection_writes(tmp_path):
    path = tmp_path / "portal.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=wal")
    setup.execute('CREATE TABLE "user" (id INTEGER PRIMARY KEY, email TEXT)')
    setup.execute("CREATE TABLE application (id INTEGER PRIMARY KEY, user_id INTEGER)")
    setup.executemany('INSERT INTO "user" (email) VALUES (?)', [(f"u{n}",) for n in range(5000)])
    setup.commit()
    setup.close()
    stop = threading.Event()
    written = []

    def write() -> None:
        # Each transaction adds a user and their application together.
        connection = sqlite3.connect(path, timeout=10)
        while not stop.is_set():
            with connection:
                cursor = connection.execute('INSERT INTO "user" (email) VALUES (?)', ("w",))
                connection.execute(
                    "INSERT INTO application (user_id) VALUES (?)", (cursor.lastrowid,)
                )
            written.append(1)
        connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        snapshot = database.snapshot(f"sqlite:///{path}", tmp_path / "copy.sqlite3")
        more = len(written)
        while len(written) < more + 20:  # the writer was not held up
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join()
    copy = sqlite3.connect(snapshot.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    users = copy.execute('SELECT count(*) FROM "user"').fetchone()[0]
    applications = copy.execute("SELECT count(*) FROM application").fetchone()[0]
    copy.close()
    # One state: every application's user is there, and only whole transactions.
    assert users - 5000 == applications > 0
    assert snapshot.counts == {"users": users, "applications": applications}
