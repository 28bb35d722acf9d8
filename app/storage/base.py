"""The storage interface every backend implements, and the registry of backends by name.

A stored file is named by a key such as ``attachments/<id>`` (see ``docs/storage.md``
for the layout). Keys are plain relative names: letters, digits, ``._-`` and ``/``
between parts; anything else is refused before a backend sees it, so no key can
reach outside its store.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, ClassVar

from app.class_registry import ClassRegistry

# How much of a file one read or write handles at a time: no backend holds more.
CHUNK_SIZE = 1024 * 1024
_PART = r"[A-Za-z0-9_-][A-Za-z0-9._-]*"
_KEY = re.compile(rf"^{_PART}(/{_PART})*$")


class StorageError(RuntimeError):
    """Base of the errors a storage raises."""


class FileMissing(StorageError, FileNotFoundError):
    """No file is stored under the key."""


class StorageUnavailable(StorageError):
    """The storage cannot be used now; the message says why (``/api/health``)."""


@dataclass(frozen=True)
class Entry:
    """One stored file as a listing shows it."""

    key: str
    size: int
    modified: datetime  # timezone-aware, UTC


def check_key(key: str) -> str:
    """``key`` when it is a valid relative name; ValueError otherwise."""
    if not isinstance(key, str) or len(key) > 512 or not _KEY.match(key) or ".." in key:
        raise ValueError(f"not a valid storage key: {key!r}")
    return key


def as_stream(data: BinaryIO | bytes) -> BinaryIO:
    """``data`` as something to ``read(n)`` from."""
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(data))
    return data


def chunks(stream: BinaryIO, size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The content of ``stream`` in pieces of at most ``size`` bytes."""
    while True:
        piece = stream.read(size)
        if not piece:
            return
        yield piece


class Storage:
    """Where the portal keeps files. Subclasses implement every method.

    ``put`` is atomic (a reader sees the old file or the new one, never part of one)
    and reads ``data`` in chunks; ``open`` returns a context manager of a stream read
    in chunks. Neither holds a whole file in memory.
    """

    name: ClassVar[str] = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Storage:
        """The backend as the configuration sets it up."""
        raise NotImplementedError

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        """Settings this backend cannot work with (checked when the configuration loads)."""
        return []

    def put(self, key: str, data: BinaryIO | bytes) -> int:
        """Store ``data`` under ``key`` (replacing what was there); the bytes written."""
        raise NotImplementedError

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        """The stored file to read from; :class:`FileMissing` when there is none."""
        raise NotImplementedError

    def delete(self, key: str) -> None:
        """Remove the file under ``key``; nothing happens when there is none."""
        raise NotImplementedError

    def entries(self, prefix: str = "") -> Iterator[Entry]:
        """Every stored file whose key starts with ``prefix``, in key order."""
        raise NotImplementedError

    def stat(self, key: str) -> Entry:
        """Size and time of the file under ``key``; :class:`FileMissing` when there is none."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise :class:`StorageUnavailable` (with the reason) when files cannot be stored."""
        raise NotImplementedError

    # Derived from the above; backends may answer them faster.

    def keys(self, prefix: str = "") -> Iterator[str]:
        """The keys that start with ``prefix``, in order."""
        return (entry.key for entry in self.entries(prefix))

    def size(self, key: str) -> int:
        """The size in bytes of the file under ``key``."""
        return self.stat(key).size

    def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""
        try:
            self.stat(key)
        except FileMissing:
            return False
        return True

    def read(self, key: str) -> bytes:
        """The whole file (only for small ones: documents sent along in a mail)."""
        with self.open(key) as handle:
            return handle.read()


backends: ClassRegistry[type[Storage]] = ClassRegistry("storage backend")
