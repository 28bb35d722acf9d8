"""Files in the instance folder (the embedded default): ``<instance>/<key>``.

Folders and files are owner-only from their creation (``app.private_files``). A file
is written to a private temporary name beside its place and renamed into it, so a
reader sees the old file or the new one; a write that fails removes its temporary.
Only for a single node (or nodes sharing one POSIX file system).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from app.private_files import FILE_MODE, private_dir, tighten
from app.storage.base import (
    Entry,
    FileMissing,
    Storage,
    StorageUnavailable,
    as_stream,
    check_key,
    chunks,
)

_TEMPORARY = ".tmp"


class LocalStorage(Storage):
    """Files below ``root`` (the instance folder)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LocalStorage:
        return cls(config["INSTANCE_PATH"])

    def path(self, key: str) -> Path:
        """Where the file of ``key`` lies."""
        return self.root / check_key(key)

    def put(self, key: str, data: BinaryIO | bytes) -> int:
        target = self.path(key)
        private_dir(target.parent)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}{_TEMPORARY}")
        written = 0
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as handle:
                for piece in chunks(as_stream(data)):
                    handle.write(piece)
                    written += len(piece)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            raise
        # Should the folder hold an older, wider file of ours, the new one is private.
        tighten(target, FILE_MODE)
        return written

    @contextlib.contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        try:
            handle = self.path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise FileMissing(key) from exc
        with handle:
            yield handle

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    def entries(self, prefix: str = "") -> Iterator[Entry]:
        # Walk only the folder the prefix points into.
        start = self.root / prefix.rpartition("/")[0] if "/" in prefix else self.root
        if not start.is_dir():
            return
        found = []
        for folder, _dirs, files in os.walk(start):
            for name in files:
                if name.startswith(".") or name.endswith(_TEMPORARY):
                    continue  # a write under way (or one a crash left)
                path = Path(folder) / name
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    found.append(key)
        for key in sorted(found):
            try:
                yield self.stat(key)
            except (FileMissing, ValueError):
                continue  # deleted meanwhile, or a name no key can have

    def stat(self, key: str) -> Entry:
        try:
            status = self.path(key).stat()
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise FileMissing(key) from exc
        return Entry(key, status.st_size, datetime.fromtimestamp(status.st_mtime, UTC))

    def check(self) -> None:
        try:
            private_dir(self.root)
            probe = self.root / f".storage-check.{secrets.token_hex(4)}{_TEMPORARY}"
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            os.close(fd)
            probe.unlink()
        except OSError as exc:
            raise StorageUnavailable(f"cannot write to {self.root}: {exc.strerror}") from exc
