"""Create, check and restore backups of a portal instance (see ``docs/backups.md``).

Every function takes the portal's configuration: ``DATABASE_URL``, ``INSTANCE_PATH``,
the storage settings, ``PORTAL_SECRETS_DIR``. Restoring also needs the portal's
database handle bound to that database (it runs the migrations afterwards).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from app.backup import archive, database, keys
from app.backup.archive import ArchiveError
from app.storage import FileMissing, check_key, for_config

FILES_PREFIX = "files/"
# Every folder of stored files (docs/storage.md).
FILE_FOLDERS = ("attachments/", "documents/", "treasury/")
DATABASE_MEMBER = {"sqlite": "database/portal.sqlite3", "postgresql": "database/portal.pgdump"}

Echo = Callable[[str], None]


class BackupError(RuntimeError):
    """A backup or restore cannot go ahead; the message says why (shown as it is)."""


class NotEmpty(BackupError):
    """The target instance already holds data."""


def portal_version() -> str:
    """The installed portal's version."""
    try:
        return metadata.version("buergerportal")
    except metadata.PackageNotFoundError:
        return "unknown"


def _stored_keys(store) -> list[str]:
    return [key for folder in FILE_FOLDERS for key in store.keys(folder)]


def create(
    config: Mapping[str, Any],
    target: BinaryIO,
    *,
    key: str | None,
    include_secrets: bool = False,
    echo: Echo = lambda _l: None,
) -> dict[str, Any]:
    """Write a backup of the instance to ``target``: the database snapshot first, then
    every stored file, the instance's keys (and the secrets folder when asked), the
    manifest last. Encrypted with ``key`` when given. Returns the manifest."""
    instance = Path(config["INSTANCE_PATH"])
    secrets_dir = config.get("PORTAL_SECRETS_DIR")
    if include_secrets and not secrets_dir:
        raise BackupError("--include-secrets needs PORTAL_SECRETS_DIR (no secrets folder is set)")
    store = for_config(config)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as scratch:
        os.chmod(scratch, 0o700)
        kind = database.kind_of(config["DATABASE_URL"])
        snap = database.snapshot(config["DATABASE_URL"], Path(scratch) / "database")
        echo(f"database: {kind} snapshot, {snap.path.stat().st_size} bytes")
        with archive.writing(target, key) as writer:
            with snap.path.open("rb") as handle:
                writer.add(DATABASE_MEMBER[kind], handle, snap.path.stat().st_size)
            snap.path.unlink()
            files, gone = 0, []
            for name in _stored_keys(store):
                try:
                    size = store.size(name)
                    with store.open(name) as handle:
                        writer.add(FILES_PREFIX + name, handle, size)
                except FileMissing:
                    # Deleted since the snapshot (its row is gone in a later state).
                    gone.append(name)
                    continue
                files += 1
            echo(f"files: {files}" + (f" ({len(gone)} deleted meanwhile)" if gone else ""))
            key_members = list(keys.instance_key_files(instance))
            if include_secrets:
                key_members += list(keys.secrets_files(Path(secrets_dir)))
            for member, path in key_members:
                with path.open("rb") as handle:
                    writer.add(member, handle, path.stat().st_size)
            echo(f"keys: {', '.join(m for m, _ in key_members) or 'none'}")
            manifest = {
                "format_version": archive.FORMAT_VERSION,
                "portal_version": portal_version(),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": {"kind": kind, "tool": snap.tool_version},
                "migrations": snap.migrations,
                "storage": config.get("PORTAL_STORAGE") or "local",
                "encrypted": bool(key),
                "secrets_included": include_secrets,
                "counts": {**snap.counts, "files": files},
            }
            writer.finish(manifest)
    return {**manifest, "members": writer.members}


def verify(path: Path, *, key: str | None) -> dict[str, Any]:
    """Read the archive at ``path`` whole and return its manifest when every member
    matches it; :class:`BackupError` otherwise."""
    try:
        with path.open("rb") as handle:
            return archive.check(handle, key)
    except (ArchiveError, ValueError) as exc:
        raise BackupError(f"{path}: {exc}") from exc


def counts_now(config: Mapping[str, Any]) -> dict[str, int]:
    """The instance's applications, permits, users and stored files as they are now."""
    counted = database.counts_now(config["DATABASE_URL"])
    return {**counted, "files": len(_stored_keys(for_config(config)))}


def differences(manifest: Mapping[str, Any], now: Mapping[str, int]) -> list[str]:
    """Where the instance's counts differ from the manifest's, in words."""
    return [
        f"{name}: archive {value}, instance {now.get(name, 0)}"
        for name, value in sorted(manifest.get("counts", {}).items())
        if now.get(name, 0) != value
    ]


def check_empty(config: Mapping[str, Any]) -> None:
    """:class:`NotEmpty` when the instance's database has applications or users."""
    try:
        counted = database.counts_now(config["DATABASE_URL"])
    except Exception:  # a database not yet created holds nothing
        return
    held = {k: v for k, v in counted.items() if k in ("applications", "users") and v}
    if held:
        listed = ", ".join(f"{v} {k}" for k, v in held.items())
        raise NotEmpty(
            f"the instance is not empty ({listed}); a backup is only restored into an empty "
            "instance (use --force to replace what it holds)"
        )


def _check_names(
    manifest: Mapping[str, Any], kind: str, instance: Path, secrets_to: Path | None
) -> None:
    """Refuse, before anything changes, a member that a restore would not know where
    to put (or that would reach outside the storage or the instance folder)."""
    for name in manifest["members"]:
        try:
            if name.startswith(FILES_PREFIX):
                check_key(name[len(FILES_PREFIX) :])
            elif name.startswith("keys/"):
                keys.target_of(name, instance, secrets_to)
            elif name != DATABASE_MEMBER[kind]:
                raise ValueError(f"unexpected member {name}")
        except ValueError as exc:
            raise BackupError(f"the archive cannot be restored: {exc}") from exc
    if DATABASE_MEMBER[kind] not in manifest["members"]:
        raise BackupError("the archive holds no database")


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    manifest: dict[str, Any]
    files: int
    keys: list[str]
    skipped_secrets: list[str]
    migrated: list[str]


def restore(
    config: Mapping[str, Any],
    path: Path,
    *,
    key: str | None,
    force: bool = False,
    secrets_to: Path | None = None,
    close_database: Callable[[], None] = lambda: None,
    migrate: Callable[[], list[str]] = lambda: [],
    echo: Echo = lambda _l: None,
) -> Restored:
    """Restore the archive at ``path`` into the instance ``config`` describes.

    Order: refuse a non-empty instance (unless ``force``), check every hash before
    changing anything, then the database (``close_database`` first lets go of this
    process's connections), ``migrate`` (the migrations up to the running code),
    the stored files through the configured storage, the keys."""
    if not force:
        check_empty(config)
    manifest = verify(path, key=key)
    kind = manifest["database"]["kind"]
    if kind != database.kind_of(config["DATABASE_URL"]):
        raise BackupError(
            f"the archive holds a {kind} database but DATABASE_URL names "
            f"{database.kind_of(config['DATABASE_URL'])}"
        )
    instance = Path(config["INSTANCE_PATH"])
    _check_names(manifest, kind, instance, secrets_to)
    echo(f"archive checked: {len(manifest['members'])} members match the manifest")
    store = for_config(config)
    files, restored_keys, skipped = 0, [], []
    migrated: list[str] = []
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as scratch, path.open("rb") as src:
        os.chmod(scratch, 0o700)
        for member in archive.members(src, key):
            name = member.name
            if name == archive.MANIFEST:
                continue
            if name == DATABASE_MEMBER[kind]:
                temporary = Path(scratch) / "database"
                with temporary.open("wb") as out:
                    shutil.copyfileobj(member.stream, out, archive.PIECE)
                close_database()
                database.restore(kind, temporary, config["DATABASE_URL"])
                migrated = migrate()
                done = f"; migrated: {', '.join(migrated)}" if migrated else ""
                echo("database restored" + done)
            elif name.startswith(FILES_PREFIX):
                store.put(name[len(FILES_PREFIX) :], member.stream)
                files += 1
            elif name.startswith("keys/"):
                try:
                    where = keys.target_of(name, instance, secrets_to)
                except ValueError as exc:
                    raise BackupError(str(exc)) from exc
                if where is None:
                    skipped.append(name)
                    continue
                keys.write_key(where, member.stream)
                restored_keys.append(name)
            else:
                raise BackupError(f"unexpected member {name} in the archive")
    echo(f"files: {files}; keys: {', '.join(restored_keys) or 'none'}")
    return Restored(manifest, files, restored_keys, skipped, migrated)
