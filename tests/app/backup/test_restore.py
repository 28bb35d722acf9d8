"""A backup restored into a fresh, empty instance (new folder, new database of the
same kind as the test database: a second SQLite file, or PostgreSQL ``<name>_restore``)
holds every application, every file byte for byte, every permit, and the keys: a
pass issued before the backup still verifies afterwards."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from app.accounts import users
from app.backup import service
from app.db import db
from app.models import User
from app.parking import keys, officers
from app.parking.key_table import DatabaseKeyStore
from tests.app.backup.support import holdings, instance_env, restore_database_url, seed


def run(flask_app, *args: str):
    return flask_app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def backed_up(app, signed_in, tmp_path: Path, *options: str) -> tuple[dict, dict, Path]:
    seeded = seed(signed_in)
    before = holdings(app.config)
    assert len(before["applications"]) == 2 and len(before["permits"]) == 1
    assert any(k.startswith("attachments/") for k in before["files"])
    assert any(k.startswith("documents/") for k in before["files"])
    archive = tmp_path / "portal.backup"
    created = run(app, "backup", "create", str(archive), *options)
    assert created.exit_code == 0, created.output
    return seeded, before, archive


def test_restore_finds_every_application_file_permit_and_key(app, signed_in, other_app, tmp_path):
    seeded, before, archive = backed_up(app, signed_in, tmp_path)
    env = instance_env(app, tmp_path, restore_database_url(app.config["DATABASE_URL"], tmp_path))
    target = other_app(env)
    assert target.config["SECRET_KEY"] != app.config["SECRET_KEY"]  # generated anew

    restored = run(target, "backup", "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "the instance holds what the archive holds" in restored.output

    # The portal starts again after a restore and reads the restored keys.
    restarted = other_app(env)
    assert restarted.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    assert restarted.config["PASS_KEY_ENCRYPTION_KEY"] == app.config["PASS_KEY_ENCRYPTION_KEY"]
    with restarted.app_context():
        assert holdings(restarted.config) == before
        with db.connection_context():
            # The signing key decrypts with the restored key-encryption key ...
            store = DatabaseKeyStore(restarted.config["PASS_KEY_ENCRYPTION_KEY"])
            assert store.current().kid == seeded["kid"]
            keys.parsed_keyset(fresh=True)
            # ... and the pass printed before the backup verifies.
            assert officers.verify(seeded["permit"]["pass_text"], "A").valid
    verified = run(restarted, "backup", "verify", str(archive), "--instance")
    assert verified.exit_code == 0, verified.output
    assert "The instance holds what the archive holds." in verified.output


def test_restore_from_the_instance_folder_into_database_storage(
    app, signed_in, other_app, tmp_path
):
    _seeded, before, archive = backed_up(app, signed_in, tmp_path)
    env = instance_env(
        app,
        tmp_path,
        restore_database_url(app.config["DATABASE_URL"], tmp_path),
        PORTAL_STORAGE="postgres",
    )
    target = other_app(env)
    restored = run(target, "backup", "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        assert holdings(target.config) == before
        with db.connection_context():
            stored = db.obj.execute_sql("SELECT count(*) FROM stored_file").fetchone()[0]
        assert stored == len(before["files"])
    # Nothing of the files landed in the new instance folder.
    assert not (Path(env["PORTAL_INSTANCE"]) / "attachments").exists()


def test_a_non_empty_instance_is_refused_unless_forced(app, signed_in, other_app, tmp_path):
    _seeded, before, archive = backed_up(app, signed_in, tmp_path)
    refused = run(app, "backup", "restore", str(archive))
    assert refused.exit_code != 0
    assert "not empty" in refused.output and "--force" in refused.output
    assert holdings(app.config) == before


def test_an_encrypted_archive_restores_and_a_changed_one_changes_nothing(
    app, signed_in, other_app, tmp_path, monkeypatch
):
    app.config["BACKUP_ENCRYPTION_KEY"] = "a passphrase of the operator"
    try:
        _seeded, before, archive = backed_up(app, signed_in, tmp_path)
    finally:
        app.config["BACKUP_ENCRYPTION_KEY"] = None
    with pytest.raises(tarfile.ReadError), tarfile.open(archive):
        pass  # not a readable tar without the key
    env = instance_env(
        app,
        tmp_path,
        restore_database_url(app.config["DATABASE_URL"], tmp_path),
        BACKUP_ENCRYPTION_KEY="a passphrase of the operator",
    )
    # A byte changed in the middle, and the archive cut short: both refused, and the
    # empty instance stays empty.
    data = archive.read_bytes()
    changed = tmp_path / "changed.backup"
    changed.write_bytes(
        data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) + data[len(data) // 2 + 1 :]
    )
    cut = tmp_path / "cut.backup"
    cut.write_bytes(data[: len(data) - 100])
    target = other_app(env)
    for bad in (changed, cut):
        refused = run(target, "backup", "restore", str(bad))
        assert refused.exit_code != 0
        assert "changed" in refused.output or "cut short" in refused.output, refused.output
        # Refused before anything changed: the new instance holds no tables, no files.
        held = service.counts_now(dict(target.config))
        assert held.get("applications", 0) == held.get("users", 0) == held["files"] == 0
    without_key = other_app({**env, "BACKUP_ENCRYPTION_KEY": ""})
    refused = run(without_key, "backup", "verify", str(archive))
    assert refused.exit_code != 0 and "BACKUP_ENCRYPTION_KEY" in refused.output

    target = other_app(env)
    restored = run(target, "backup", "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        assert holdings(target.config) == before


def test_production_refuses_an_unencrypted_archive_unless_told(app, tmp_path):
    app.config["PORTAL_ENV"] = "production"
    try:
        refused = run(app, "backup", "create", str(tmp_path / "a.backup"))
        assert refused.exit_code != 0 and "unencrypted" in refused.output
        assert not list(tmp_path.iterdir())
        allowed = run(app, "backup", "create", str(tmp_path / "a.backup"), "--unencrypted")
        assert allowed.exit_code == 0, allowed.output
        assert "NOT encrypted" in allowed.output
    finally:
        app.config["PORTAL_ENV"] = "test"
    assert service.verify(tmp_path / "a.backup", key=None)["encrypted"] is False


def test_secrets_only_with_include_secrets(app, other_app, tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "SMTP_PASSWORD").write_text("s3cret\n")
    app.config["PORTAL_SECRETS_DIR"] = str(secrets)
    try:
        plain = tmp_path / "plain.backup"
        assert run(app, "backup", "create", str(plain)).exit_code == 0
        with_secrets = tmp_path / "with.backup"
        assert run(app, "backup", "create", str(with_secrets), "--include-secrets").exit_code == 0
    finally:
        app.config["PORTAL_SECRETS_DIR"] = None
    assert "keys/secrets/SMTP_PASSWORD" not in service.verify(plain, key=None)["members"]
    manifest = service.verify(with_secrets, key=None)
    assert "keys/secrets/SMTP_PASSWORD" in manifest["members"] and manifest["secrets_included"]
    assert "keys/instance/secret_key" in manifest["members"]

    env = instance_env(app, tmp_path, restore_database_url(app.config["DATABASE_URL"], tmp_path))
    target = other_app(env)
    restored = run(
        target, "backup", "restore", str(with_secrets), "--secrets-to", str(tmp_path / "s2")
    )
    assert restored.exit_code == 0, restored.output
    assert (tmp_path / "s2" / "SMTP_PASSWORD").read_text() == "s3cret\n"
    assert (tmp_path / "s2" / "SMTP_PASSWORD").stat().st_mode & 0o777 == 0o600


def test_a_forced_restore_replaces_what_the_instance_holds(app, signed_in, other_app, tmp_path):
    _seeded, before, archive = backed_up(app, signed_in, tmp_path)
    env = instance_env(app, tmp_path, restore_database_url(app.config["DATABASE_URL"], tmp_path))
    target = other_app(env)
    assert run(target, "backup", "restore", str(archive)).exit_code == 0
    with target.app_context(), db.connection_context():
        users.create_user("later@example.org", "citizen", [])
    refused = run(target, "backup", "restore", str(archive))
    assert refused.exit_code != 0 and "3 users" in refused.output
    forced = run(target, "backup", "restore", str(archive), "--force")
    assert forced.exit_code == 0, forced.output
    with target.app_context():
        assert holdings(target.config) == before
        with db.connection_context():
            assert not User.select().where(User.email == "later@example.org").exists()
