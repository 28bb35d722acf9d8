"""Which key files a backup carries.

The instance folder holds the keys a development or single-node installation
generated for itself: the session key, the VAPID key of push notifications, the key
that encrypts the pass signing keys (the signing keys themselves live in the
database), and the signing keys of an older installation not yet taken over. They are
part of the instance, so they go into every backup.

Keys from the environment or a secrets folder (``PORTAL_SECRETS_DIR``) are the
operator's: a backup holding them needs the same protection as the keys themselves,
so they are only copied with ``--include-secrets`` (the secrets folder; values given
only in the environment are never written anywhere).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from app.private_files import private_dir
from app.push.vapid import KEY_FILENAME as VAPID_KEY_FILE

INSTANCE_KEYS = ("secret_key", "pass_key_encryption_key", VAPID_KEY_FILE)
INSTANCE_KEY_FOLDERS = ("pass_keys",)
INSTANCE_PREFIX = "keys/instance/"
SECRETS_PREFIX = "keys/secrets/"
_SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")


def instance_key_files(instance: Path) -> Iterator[tuple[str, Path]]:
    """(member name, file) of every key file in the instance folder."""
    for name in INSTANCE_KEYS:
        path = instance / name
        if path.is_file():
            yield INSTANCE_PREFIX + name, path
    for folder in INSTANCE_KEY_FOLDERS:
        root = instance / folder
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                yield INSTANCE_PREFIX + path.relative_to(instance).as_posix(), path


def secrets_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(member name, file) of every setting in the secrets folder."""
    for path in sorted(folder.iterdir()):
        # Setting-like names only, as the portal reads them (a mount's ``..data`` is none).
        if _SETTING.match(path.name) and path.is_file():
            yield SECRETS_PREFIX + path.name, path


def target_of(member: str, instance: Path, secrets_to: Path | None) -> Path | None:
    """Where a key member is restored to (None: not restored, secrets without a folder)."""
    if member.startswith(INSTANCE_PREFIX):
        relative = member[len(INSTANCE_PREFIX) :]
        allowed = relative in INSTANCE_KEYS or relative.split("/", 1)[0] in INSTANCE_KEY_FOLDERS
        if not allowed or ".." in relative.split("/"):
            raise ValueError(f"unexpected key member {member}")
        return instance / relative
    if member.startswith(SECRETS_PREFIX):
        name = member[len(SECRETS_PREFIX) :]
        if "/" in name or name in ("", ".", ".."):
            raise ValueError(f"unexpected key member {member}")
        return None if secrets_to is None else secrets_to / name
    raise ValueError(f"not a key member: {member}")


def write_key(path: Path, stream, chunk: int = 64 * 1024) -> None:
    """Write a key file owner-only (replacing one the new instance generated)."""
    private_dir(path.parent)
    temporary = path.with_name(path.name + ".restoring")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        while piece := stream.read(chunk):
            handle.write(piece)
    os.replace(temporary, path)
