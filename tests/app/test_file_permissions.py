"""The portal's SQLite files, secrets and instance folder are private from their creation."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import migrations
from app.db import db


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The usual umask, under which new files are world-readable (0644)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _assert_sqlite_files_private(database: Path, companions_may_be_gone: bool = False) -> None:
    for suffix in ("", "-wal", "-shm"):
        path = database.with_name(database.name + suffix)
        if suffix and companions_may_be_gone and not path.exists():
            continue
        assert path.exists(), f"{path.name} missing"
        assert _mode(path) == 0o600, f"{path.name}: {oct(_mode(path))}"


def test_a_new_instance_and_its_database_are_owner_only(permissive_umask, other_app, tmp_path):
    instance = tmp_path / "fresh" / "instance"
    database = instance / "portal.sqlite3"
    flask_app = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(instance),
            "DATABASE_URL": f"sqlite:///{database}",
        }
    )
    assert _mode(instance) == 0o700
    assert _mode(instance / "secret_key") == 0o600
    assert flask_app.config["SECRET_KEY"] == (instance / "secret_key").read_text().strip()
    with db.connection_context():
        migrations.upgrade(db.obj)
        # The -wal and -shm files exist while a connection is open after a write.
        _assert_sqlite_files_private(database)


def test_an_instance_from_before_is_made_owner_only(permissive_umask, other_app, tmp_path):
    # An installation from before files were created private: folder 0755, database and
    # its companions 0644. Starting the portal takes everyone else's access away.
    instance = tmp_path / "old" / "instance"
    instance.mkdir(parents=True, mode=0o755)
    database = instance / "portal.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        path = database.with_name(database.name + suffix)
        path.touch(mode=0o644)
    assert _mode(instance) == 0o755 and _mode(database) == 0o644
    other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(instance),
            "DATABASE_URL": f"sqlite:///{database}",
        }
    )
    assert _mode(instance) == 0o700
    # Starting opens the database once (stored definitions are checked against the
    # plugins); SQLite removes the empty -wal and -shm files when that connection closes.
    _assert_sqlite_files_private(database, companions_may_be_gone=True)


def test_the_job_queue_is_owner_only(permissive_umask, monkeypatch, tmp_path):
    from app import tasks

    instance = tmp_path / "fresh" / "instance"
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE", str(instance))
    queue = tasks._make_huey()

    @queue.task()
    def add(a, b):
        return a + b

    add(2, 3)
    assert queue.pending_count() == 1
    assert _mode(instance) == 0o700
    _assert_sqlite_files_private(instance / "queue.sqlite3")
    queue.storage.close()


def test_the_outbox_folder_is_owner_only(permissive_umask, tmp_path):
    from app.mail import outbox_dir

    assert _mode(outbox_dir(str(tmp_path))) == 0o700


def test_an_instance_secret_is_written_once_and_owner_only(permissive_umask, tmp_path):
    from app.config import instance_secret

    first = instance_secret(tmp_path, "secret_key")
    assert _mode(tmp_path / "secret_key") == 0o600
    assert instance_secret(tmp_path, "secret_key") == first
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary left


def test_stored_documents_and_uploads_are_owner_only(permissive_umask, app):
    from app.applications.documents import write_private

    write_private("documents", "example", b"%PDF-1.7 example")
    path = Path(app.config["INSTANCE_PATH"]) / "documents" / "example"
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    # A file from before, readable by others, is private again once rewritten.
    os.chmod(path, 0o644)
    write_private("documents", "example", b"%PDF-1.7 again")
    assert _mode(path) == 0o600 and path.read_bytes() == b"%PDF-1.7 again"
