"""The archive format: one tar stream, optionally encrypted, ending with ``manifest.json``.

Members (see ``docs/backups.md``)::

    database/portal.sqlite3 | database/portal.pgdump
    files/<storage key>            every stored file
    keys/instance/<name>           keys the instance folder holds
    keys/secrets/<NAME>            the secrets folder, only with --include-secrets
    manifest.json                  last: versions, counts, sha256 and size of each member

The manifest comes last because its hashes are computed while the members stream
past; a reader hashes every member and compares at the end, before it changes
anything. Nothing is held in memory whole: members are read and written in chunks.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from app.backup.crypto import DecryptingReader, EncryptingWriter, is_encrypted

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PIECE = 1024 * 1024


class ArchiveError(ValueError):
    """The archive cannot be used; the message says why."""


class _Hashing:
    """Reads from ``stream`` while hashing and counting what passes."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


@dataclass
class Writer:
    """Adds members to a tar stream and records their hashes for the manifest."""

    tar: tarfile.TarFile
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, stream: BinaryIO, size: int) -> None:
        """Add ``size`` bytes of ``stream`` as member ``name``, streamed."""
        if name in self.members or name == MANIFEST:
            raise ArchiveError(f"member {name} twice")
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        hashing = _Hashing(stream)
        self.tar.addfile(info, hashing)
        if hashing.size != size:
            raise ArchiveError(f"{name} changed size while it was written")
        self.members[name] = {"sha256": hashing.sha.hexdigest(), "size": size}

    def finish(self, manifest: dict[str, Any]) -> None:
        """Write the manifest (with every member's hash and size) as the last member."""
        body = json.dumps({**manifest, "members": self.members}, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(time.time())
        info.mode = 0o600
        self.tar.addfile(info, io.BytesIO(body))


@contextmanager
def writing(target: BinaryIO, key: str | None) -> Iterator[Writer]:
    """A :class:`Writer` over ``target``, encrypted with ``key`` when one is given."""
    stream = EncryptingWriter(target, key) if key else target
    with tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        yield Writer(tar)
    if isinstance(stream, EncryptingWriter):
        stream.close()


@dataclass(frozen=True)
class Member:
    """One member as a reader meets it: its name and a stream of its content."""

    name: str
    size: int
    stream: BinaryIO


def _plain(source: BinaryIO, key: str | None) -> BinaryIO:
    head = source.read(8)
    rest = _Prepend(head, source)
    if is_encrypted(head):
        if not key:
            raise ArchiveError(
                "the archive is encrypted: set BACKUP_ENCRYPTION_KEY (environment or "
                "secrets folder) to the key it was written with"
            )
        return DecryptingReader(rest, key)  # type: ignore[arg-type]
    return rest  # type: ignore[return-value]


class _Prepend:
    """``head`` followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def read(self, n: int = -1) -> bytes:
        if self.head:
            if n < 0:
                data, self.head = self.head + self.stream.read(), b""
                return data
            data, self.head = self.head[:n], self.head[n:]
            if len(data) < n:
                data += self.stream.read(n - len(data))
            return data
        return self.stream.read(n)


def members(source: BinaryIO, key: str | None) -> Iterator[Member]:
    """Every member of the archive in ``source`` in order (the manifest last); each
    stream must be read before the next member is asked for."""
    try:
        with tarfile.open(fileobj=_plain(source, key), mode="r|") as tar:  # type: ignore[call-overload]
            for info in tar:
                if not info.isfile():
                    raise ArchiveError(f"unexpected entry {info.name} in the archive")
                stream = tar.extractfile(info)
                assert stream is not None
                yield Member(info.name, info.size, stream)
    except tarfile.TarError as exc:
        raise ArchiveError(f"not a readable backup archive: {exc}") from exc


def check(source: BinaryIO, key: str | None) -> dict[str, Any]:
    """Read the whole archive, hash every member, and return the manifest when every
    hash and size matches it; :class:`ArchiveError` naming the first difference."""
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    for member in members(source, key):
        if manifest is not None:
            raise ArchiveError(f"member {member.name} after the manifest")
        if member.name == MANIFEST:
            try:
                manifest = json.loads(member.stream.read())
            except ValueError as exc:
                raise ArchiveError("the manifest is not JSON") from exc
            continue
        hashing = _Hashing(member.stream)
        while hashing.read(PIECE):
            pass
        seen[member.name] = {"sha256": hashing.sha.hexdigest(), "size": hashing.size}
    if manifest is None:
        raise ArchiveError("the archive has no manifest (cut short?)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"archive format {manifest.get('format_version')!r} is not supported "
            f"(this portal reads format {FORMAT_VERSION})"
        )
    listed = manifest.get("members") or {}
    for name in sorted(set(listed) | set(seen)):
        if name not in seen:
            raise ArchiveError(f"{name} is listed in the manifest but missing")
        if name not in listed:
            raise ArchiveError(f"{name} is in the archive but not in the manifest")
        if listed[name] != seen[name]:
            raise ArchiveError(f"{name} does not match its hash in the manifest")
    return manifest
