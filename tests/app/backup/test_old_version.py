"""A backup made by an older portal (its database at an earlier migration) restores
and is migrated up to the running code; the tools' version check speaks plainly."""

from __future__ import annotations

import hashlib

import peewee
import pytest
from playhouse.db_url import parse

from app import migrations
from app.backup import database, service
from app.db import db, utcnow
from app.models import User
from tests.app.backup.support import instance_env, restore_database_url
from tests.app.old_databases import insert_as_then, upgrade_before

OLDER = "v0028_handoff"


def old_database(url: str) -> peewee.Database:
    if url.startswith("sqlite"):
        return peewee.SqliteDatabase(url.split(":///", 1)[1], pragmas={"foreign_keys": 1})
    return peewee.PostgresqlDatabase(**parse(url))


def test_a_backup_of_an_older_version_is_migrated_on_restore(other_app, app, tmp_path):
    """The old database is of the test database's kind: SQLite, or PostgreSQL
    ``<name>_old``."""
    old_url = restore_database_url(app.config["DATABASE_URL"], tmp_path, "old")
    old_instance = tmp_path / "old"
    old_instance.mkdir(exist_ok=True)
    old = old_database(old_url)
    try:
        upgrade_before(old, OLDER)
        # Recorded as the older portal recorded them.
        old.execute_sql(
            "CREATE TABLE schema_migrations (version VARCHAR(100) PRIMARY KEY, "
            "applied_at TIMESTAMP NOT NULL)"
        )
        recorded = peewee.Table("schema_migrations", ("version", "applied_at")).bind(old)
        for name, _module in migrations.available():
            if name < OLDER:
                recorded.insert(version=name, applied_at=utcnow()).execute()
        insert_as_then(old, User, email="alt@example.org", role="citizen")
    finally:
        old.close()
    (old_instance / "attachments").mkdir()
    upload = b"%PDF-1.4 an upload of the older portal"
    (old_instance / "attachments" / "old-upload").write_bytes(upload)
    (old_instance / "secret_key").write_text("an older secret key of forty-odd characters\n")
    archive = tmp_path / "old.backup"
    config = {
        "DATABASE_URL": old_url,
        "INSTANCE_PATH": str(old_instance),
        "PORTAL_STORAGE": "local",
    }
    with archive.open("wb") as handle:
        manifest = service.create(config, handle, key=None)
    assert manifest["migrations"][-1] < OLDER and manifest["counts"]["users"] == 1

    env = instance_env(app, tmp_path, restore_database_url(app.config["DATABASE_URL"], tmp_path))
    target = other_app(env)
    done = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert done.exit_code == 0, done.output
    assert f"migrated: {OLDER}" in done.output
    with target.app_context(), db.connection_context():
        assert migrations.is_current(db.obj)
        assert User.get(User.email == "alt@example.org").role == "citizen"
    with target.app_context():
        from app.storage import for_config

        restored = for_config(target.config).read("attachments/old-upload")
    assert hashlib.sha256(restored).digest() == hashlib.sha256(upload).digest()
    assert other_app(env).config["SECRET_KEY"] == "an older secret key of forty-odd characters"


def test_an_older_pg_dump_than_the_server_is_refused_plainly():
    major, _line = database.tool_version("pg_dump")
    with pytest.raises(database.DatabaseBackupError) as refused:
        database.check_tool("pg_dump", major + 1)
    message = str(refused.value)
    assert f"pg_dump is version {major}" in message
    assert f"PostgreSQL {major + 1} client tools" in message
    assert database.check_tool("pg_dump", major).startswith("pg_dump")


def test_an_archive_of_another_database_kind_is_refused(app, tmp_path):
    config = {
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "INSTANCE_PATH": str(tmp_path),
    }
    with pytest.raises(database.DatabaseBackupError, match="holds a sqlite database"):
        database.restore("sqlite", tmp_path / "x", config["DATABASE_URL"])
