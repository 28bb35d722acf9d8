"""``flask backup``: write a backup archive, check one, restore one into an empty instance."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from app.backup import service
from app.backup.crypto import EncryptionError
from app.backup.database import DatabaseBackupError
from app.storage import StorageError


def _key(config: dict[str, Any]) -> str | None:
    return config.get("BACKUP_ENCRYPTION_KEY") or None


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


_EXPECTED = (service.BackupError, DatabaseBackupError, EncryptionError, StorageError, OSError)


@click.group("backup")
def backup_group() -> None:
    """Backups: database, stored files and keys in one archive."""


@backup_group.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--include-secrets",
    is_flag=True,
    help="Also copy the secrets folder (PORTAL_SECRETS_DIR) into the archive.",
)
@click.option(
    "--unencrypted",
    is_flag=True,
    help="Allow an unencrypted archive in production (BACKUP_ENCRYPTION_KEY not set).",
)
@click.option("--verbose", is_flag=True, help="Say what goes into the archive.")
@with_appcontext
def create(path: Path, include_secrets: bool, unencrypted: bool, verbose: bool) -> None:
    """Write a backup archive to PATH (encrypted when BACKUP_ENCRYPTION_KEY is set)."""
    config = current_app.config
    key = _key(config)
    if key is None and config["PORTAL_ENV"] == "production" and not unencrypted:
        raise click.ClickException(
            "refusing to write an unencrypted backup in production: the archive holds "
            "personal data. Set BACKUP_ENCRYPTION_KEY (environment or secrets folder), or "
            "give --unencrypted when the archive is protected otherwise."
        )
    if path.exists():
        raise click.ClickException(f"{path} exists already; name a new file")
    partial = path.with_name(path.name + ".partial")
    # Owner-only from the start: the archive holds personal data (and keys).
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            manifest = service.create(
                dict(config),
                handle,
                key=key,
                include_secrets=include_secrets,
                echo=click.echo if verbose else lambda _l: None,
            )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except _EXPECTED as exc:
        partial.unlink(missing_ok=True)
        raise _fail(exc) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    counts = ", ".join(f"{v} {k}" for k, v in sorted(manifest["counts"].items()))
    state = "encrypted" if key else "NOT encrypted"
    click.echo(f"Backup written to {path} ({state}): {counts}.")


@backup_group.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--instance",
    "against_instance",
    is_flag=True,
    help="Also compare the archive's counts with this instance (after a restore).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@with_appcontext
def verify(path: Path, against_instance: bool, as_json: bool) -> None:
    """Check every member of the archive at PATH against its manifest."""
    config = dict(current_app.config)
    try:
        manifest = service.verify(path, key=_key(config))
    except _EXPECTED as exc:
        raise _fail(exc) from exc
    if as_json:
        click.echo(json.dumps(manifest, indent=2))
    counts = ", ".join(f"{v} {k}" for k, v in sorted(manifest["counts"].items()))
    click.echo(
        f"{path}: {len(manifest['members'])} members match the manifest; portal "
        f"{manifest['portal_version']}, {manifest['database']['kind']}, created "
        f"{manifest['created_at']}; {counts}."
    )
    if against_instance:
        found = service.differences(manifest, service.counts_now(config))
        if found:
            raise click.ClickException("the instance differs: " + "; ".join(found))
        click.echo("The instance holds what the archive holds.")


@backup_group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restore even into an instance that holds data.")
@click.option(
    "--secrets-to",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write secrets the archive holds (--include-secrets) into this folder.",
)
@with_appcontext
def restore(path: Path, force: bool, secrets_to: Path | None) -> None:
    """Restore the archive at PATH into this (empty) instance, then migrate it."""
    from app import migrations
    from app.applications.definitions import sync_builtin
    from app.db import db

    def close_database() -> None:
        if not db.is_closed():
            db.close()
        close_all = getattr(db.obj, "close_all", None)
        if close_all:
            close_all()

    def migrate() -> list[str]:
        with db.connection_context():
            ran = migrations.upgrade(db.obj)
            sync_builtin()
        return ran

    config = dict(current_app.config)
    try:
        done = service.restore(
            config,
            path,
            key=_key(config),
            force=force,
            secrets_to=secrets_to,
            close_database=close_database,
            migrate=migrate,
            echo=click.echo,
        )
    except _EXPECTED as exc:
        raise _fail(exc) from exc
    if done.skipped_secrets:
        click.echo(
            "Not restored (give --secrets-to FOLDER): "
            + ", ".join(name.rsplit("/", 1)[-1] for name in done.skipped_secrets)
        )
    found = service.differences(done.manifest, service.counts_now(config))
    if found:
        raise click.ClickException("restored, but the counts differ: " + "; ".join(found))
    click.echo(f"Restored {path}: the instance holds what the archive holds.")
