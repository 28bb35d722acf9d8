"""The storage contract, the same for every backend (see ``conftest.BACKENDS``)."""

from __future__ import annotations

import io
import os
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from app.storage import FileMissing, StorageUnavailable
from app.storage.base import CHUNK_SIZE

MB = 1024 * 1024


_BLOCK = bytes(i % 251 for i in range(251 * 4200))  # about 1 MB of the pattern


class Pattern(io.RawIOBase):
    """``size`` bytes of a repeating pattern, made while read (never all in memory);
    raises after ``fail_after`` bytes when given."""

    def __init__(self, size: int, fail_after: int | None = None) -> None:
        self.size, self.fail_after, self.position = size, fail_after, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.fail_after is not None and self.position >= self.fail_after:
            raise OSError("the upload broke off")
        start = self.position % 251
        count = min(len(buffer), self.size - self.position, len(_BLOCK) - start)
        buffer[:count] = _BLOCK[start : start + count]
        self.position += count
        return count


def expected(size: int, start: int = 0) -> bytes:
    return bytes((start + i) % 251 for i in range(size))


def test_put_then_read_back(store):
    assert store.put("documents/abc", b"%PDF-1.7 inhalt") == 15
    with store.open("documents/abc") as handle:
        assert handle.read() == b"%PDF-1.7 inhalt"
    assert store.size("documents/abc") == 15
    assert store.exists("documents/abc")
    assert store.read("documents/abc") == b"%PDF-1.7 inhalt"
    entry = store.stat("documents/abc")
    assert entry.key == "documents/abc" and entry.size == 15
    assert abs(datetime.now(UTC) - entry.modified) < timedelta(minutes=5)


def test_a_stream_of_several_chunks_is_read_back_in_pieces(store):
    size = 2 * CHUNK_SIZE + 12345
    assert store.put("attachments/gross", Pattern(size)) == size
    with store.open("attachments/gross") as handle:
        first = handle.read(1000)
        rest = b"".join(iter(lambda: handle.read(300_000), b""))
    assert first == expected(1000)
    assert len(rest) == size - 1000 and rest[:5000] == expected(5000, 1000)
    assert first + rest == expected(size)
    assert store.size("attachments/gross") == size


def test_an_empty_file(store):
    assert store.put("documents/leer", b"") == 0
    with store.open("documents/leer") as handle:
        assert handle.read() == b""
    assert store.size("documents/leer") == 0


def test_put_replaces(store):
    store.put("documents/x", b"erste Fassung")
    store.put("documents/x", b"zweite")
    assert store.read("documents/x") == b"zweite"
    assert list(store.keys("documents/")) == ["documents/x"]


def test_missing_files(store):
    with pytest.raises(FileMissing), store.open("documents/gibt-es-nicht"):
        pass
    with pytest.raises(FileMissing):
        store.size("documents/gibt-es-nicht")
    assert not store.exists("documents/gibt-es-nicht")
    store.delete("documents/gibt-es-nicht")  # no error


def test_delete(store):
    store.put("attachments/a", b"1")
    store.put("attachments/b", b"2")
    store.delete("attachments/a")
    assert list(store.keys("attachments/")) == ["attachments/b"]
    with pytest.raises(FileMissing):
        store.read("attachments/a")


def test_keys_by_prefix_in_order(store):
    for key in [
        "documents/b",
        "documents/a",
        "documents/payment-receipt-Xy_1.pdf",
        "attachments/z",
        "treasury/pain008-1.xml",
        "documentsX/not-a-document",
        "Documents/upper",
    ]:
        store.put(key, b"x")
    assert list(store.keys("documents/")) == [
        "documents/a",
        "documents/b",
        "documents/payment-receipt-Xy_1.pdf",
    ]
    assert list(store.keys("treasury/")) == ["treasury/pain008-1.xml"]
    # "_" and "%" are characters of a key, no wildcards.
    assert list(store.keys("documents/payment-receipt-Xy_")) == [
        "documents/payment-receipt-Xy_1.pdf"
    ]
    assert list(store.keys("documents/payment-receipt-XyZ")) == []
    assert list(store.keys("documents/%")) == []
    assert [e.size for e in store.entries("attachments/")] == [1]


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../outside", "documents/../../x", "a//b", "documents/", ".hidden"]
)
def test_keys_that_could_leave_the_store_are_refused(store, key):
    with pytest.raises(ValueError, match="not a valid storage key"):
        store.put(key, b"x")
    with pytest.raises(ValueError):
        store.delete(key)


def test_a_failed_write_leaves_nothing_behind(store, tmp_path):
    store.put("attachments/alt", b"alte Fassung")
    # Large enough for a multipart upload on S3 (parts of 8 MB).
    with pytest.raises(OSError, match="broke off"):
        store.put("attachments/neu", Pattern(20 * MB, fail_after=10 * MB))
    with pytest.raises(OSError, match="broke off"):
        store.put("attachments/alt", Pattern(3 * MB, fail_after=2 * MB))
    assert list(store.keys("attachments/")) == ["attachments/alt"]
    assert store.read("attachments/alt") == b"alte Fassung"
    assert_no_leftovers(store)


def assert_no_leftovers(store) -> None:
    """Nothing of the failed writes remains where the backend keeps its files."""
    from app.storage.database import DatabaseStorage
    from app.storage.local import LocalStorage

    if isinstance(store, LocalStorage):
        names = sorted(os.listdir(store.root / "attachments"))
        assert names == ["alt"]  # no temporary file
    elif isinstance(store, DatabaseStorage):
        from app.db import db
        from app.models import StoredFile, StoredFileChunk

        with db.connection_context():
            assert StoredFile.select().count() == 1
            only = StoredFile.get()
            assert StoredFileChunk.select().count() == 1
            assert StoredFileChunk.get().file_id == only.id
    else:
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket)
        assert uploads.get("Uploads", []) == []


def test_reading_and_writing_20_mb_never_holds_the_file(store):
    size = 20 * MB
    tracemalloc.start()
    try:
        store.put("documents/gross", Pattern(size))
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        read = 0
        with store.open("documents/gross") as handle:
            while piece := handle.read(256 * 1024):
                read += len(piece)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == size
    # A chunk (1 MB) or a multipart part (5 MB on S3) at a time, never the 20 MB.
    assert write_peak < 12 * MB, write_peak
    assert read_peak < 6 * MB, read_peak


def test_check_passes(store):
    store.check()


def test_check_names_why_the_storage_cannot_be_used(backend, tmp_path, request):
    from app.storage.database import DatabaseStorage
    from app.storage.local import LocalStorage

    if backend == "local":
        blocked = tmp_path / "a-file"
        blocked.write_bytes(b"")
        broken = LocalStorage(blocked / "instance")
    elif backend == "s3":
        from tests.app.storage.conftest import make_s3

        broken = make_s3(request.getfixturevalue("s3"), bucket="no-such-bucket")
    else:
        from app.db import db

        with db.connection_context():
            db.execute_sql("DROP TABLE stored_file_chunk")
            db.execute_sql("DROP TABLE stored_file")
        broken = DatabaseStorage()
    with pytest.raises(StorageUnavailable) as refused:
        broken.check()
    assert str(refused.value)
