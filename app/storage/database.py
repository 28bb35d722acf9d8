"""Files in the portal's own database (``PORTAL_STORAGE=postgres``): a multi-node set-up
needs nothing beyond its database.

A file is a ``stored_file`` row and its ``stored_file_chunk`` rows of at most
:data:`~app.storage.base.CHUNK_SIZE` bytes. Writing inserts chunk after chunk as they
are read; reading fetches one chunk per query, so neither holds the whole file.
A write is one transaction (a savepoint inside the caller's): other readers see the
file only once it is complete, and a write that fails, or whose caller's transaction
rolls back, leaves nothing behind. Works on SQLite too (the tests run it on both).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, BinaryIO

import peewee

from app.db import db, utcnow
from app.models.storage import StoredFile, StoredFileChunk
from app.storage.base import (
    CHUNK_SIZE,
    Entry,
    FileMissing,
    Storage,
    StorageUnavailable,
    as_stream,
    check_key,
    chunks,
)


@contextlib.contextmanager
def _connected() -> Iterator[None]:
    """The caller's connection when it has one, else one just for this block (a download
    streams after its request's connection went back to the pool)."""
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


class _ChunkReader(io.RawIOBase):
    """A stored file read chunk by chunk, one query per chunk."""

    def __init__(self, key: str, file_id: int, size: int) -> None:
        super().__init__()
        self.key = key
        self.file_id = file_id
        self.size = size
        self._seq = 0
        self._chunk = b""
        self._offset = 0
        self._done = size == 0

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bool:
        if self._done:
            return False
        with _connected():
            data = (
                StoredFileChunk.select(StoredFileChunk.data)
                .where((StoredFileChunk.file == self.file_id) & (StoredFileChunk.seq == self._seq))
                .scalar()
            )
            if data is None:
                last = StoredFile.select().where(StoredFile.id == self.file_id).exists()
        if data is None:
            if last:
                self._done = True  # every chunk read
                return False
            # Deleted or replaced while being read: the rest is gone.
            raise FileMissing(self.key)
        self._chunk, self._offset, self._seq = bytes(data), 0, self._seq + 1
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._offset >= len(self._chunk) and not self._next_chunk():
            return 0
        count = min(len(view), len(self._chunk) - self._offset)
        view[:count] = self._chunk[self._offset : self._offset + count]
        self._offset += count
        return count

    def readall(self) -> bytes:
        parts = [self._chunk[self._offset :]]
        self._offset = len(self._chunk)
        while self._next_chunk():
            parts.append(self._chunk)
            self._offset = len(self._chunk)
        return b"".join(parts)


class DatabaseStorage(Storage):
    """Files in the tables ``stored_file`` and ``stored_file_chunk`` (migration v0030)."""

    def __init__(self, chunk_size: int = CHUNK_SIZE) -> None:
        self.chunk_size = chunk_size

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DatabaseStorage:
        return cls()

    def put(self, key: str, data: BinaryIO | bytes) -> int:
        check_key(key)
        written = 0
        with _connected(), db.atomic():
            StoredFile.delete().where(StoredFile.key == key).execute()
            row = StoredFile.create(key=key, size=0, modified_at=utcnow())
            for seq, piece in enumerate(chunks(as_stream(data), self.chunk_size)):
                StoredFileChunk.insert(file=row.id, seq=seq, data=piece).execute()
                written += len(piece)
            StoredFile.update(size=written).where(StoredFile.id == row.id).execute()
        return written

    def _row(self, key: str) -> StoredFile:
        check_key(key)
        with _connected():
            row = StoredFile.get_or_none(StoredFile.key == key)
        if row is None:
            raise FileMissing(key)
        return row

    @contextlib.contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        row = self._row(key)
        reader = io.BufferedReader(_ChunkReader(key, row.id, row.size), self.chunk_size)
        with reader:
            yield reader  # type: ignore[misc]

    def delete(self, key: str) -> None:
        check_key(key)
        with _connected(), db.atomic():
            ids = [r.id for r in StoredFile.select(StoredFile.id).where(StoredFile.key == key)]
            if ids:
                # Explicitly, not only by the cascade: SQLite may run without foreign keys.
                StoredFileChunk.delete().where(StoredFileChunk.file.in_(ids)).execute()
                StoredFile.delete().where(StoredFile.id.in_(ids)).execute()

    def entries(self, prefix: str = "") -> Iterator[Entry]:
        with _connected():
            query = StoredFile.select(StoredFile.key, StoredFile.size, StoredFile.modified_at)
            if prefix:
                # Peewee escapes ``_`` and ``%``; the match ignores case, the check below not.
                query = query.where(StoredFile.key.startswith(prefix))
            rows = list(query.order_by(StoredFile.key).tuples())
        for key, size, modified in rows:
            if key.startswith(prefix):
                yield Entry(key, size, _aware(modified))

    def stat(self, key: str) -> Entry:
        row = self._row(key)
        return Entry(row.key, row.size, _aware(row.modified_at))

    def check(self) -> None:
        try:
            with _connected():
                StoredFile.select(StoredFile.id).limit(1).exists()
        except peewee.PeeweeException as exc:
            raise StorageUnavailable(f"the stored_file table cannot be read: {exc}") from exc


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
