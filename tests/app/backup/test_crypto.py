"""The archive encryption: what is written is read back; any change, reordering,
truncation or a wrong key is refused before a byte of it is handed out."""

from __future__ import annotations

import io
import os
import struct

import pytest

from app.backup.crypto import DecryptingReader, EncryptingWriter, EncryptionError

HEADER = 8 + 16 + 7 + 4
KEY = "correct horse battery staple"


def encrypt(data: bytes, key: str = KEY, chunk: int = 1000) -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, key, chunk_size=chunk)
    for start in range(0, len(data), 333):  # writes that do not line up with chunks
        writer.write(data[start : start + 333])
    writer.close()
    return out.getvalue()


def decrypt(sealed: bytes, key: str = KEY) -> bytes:
    reader = DecryptingReader(io.BytesIO(sealed), key)
    parts = []
    while piece := reader.read(777):
        parts.append(piece)
    return b"".join(parts)


def chunk_spans(sealed: bytes) -> list[tuple[int, int]]:
    spans, at = [], HEADER
    while at < len(sealed):
        (length,) = struct.unpack(">I", sealed[at : at + 4])
        spans.append((at, at + 4 + length))
        at += 4 + length
    return spans


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5500])
def test_round_trip(size):
    data = os.urandom(size)
    sealed = encrypt(data)
    assert decrypt(sealed) == data
    # 16 plain bytes do not turn up in the sealed text (shorter ones may, by chance).
    assert size < 16 or data[:16] not in sealed


def test_two_archives_of_the_same_data_differ():
    assert encrypt(b"x" * 100) != encrypt(b"x" * 100)


def test_a_flipped_bit_is_refused():
    sealed = bytearray(encrypt(os.urandom(3000)))
    sealed[HEADER + 4 + 10] ^= 1
    with pytest.raises(EncryptionError, match="changed"):
        decrypt(bytes(sealed))


def test_a_changed_header_is_refused():
    sealed = bytearray(encrypt(os.urandom(3000)))
    sealed[HEADER - 1] ^= 1  # the chunk size, authenticated as associated data
    with pytest.raises(EncryptionError):
        decrypt(bytes(sealed))


def test_reordered_chunks_are_refused():
    sealed = encrypt(os.urandom(3000))
    (a, b), (c, d), *_ = chunk_spans(sealed)
    swapped = sealed[:a] + sealed[c:d] + sealed[a:b] + sealed[d:]
    with pytest.raises(EncryptionError):
        decrypt(swapped)


@pytest.mark.parametrize("cut", ["whole chunks", "inside a chunk", "inside a length"])
def test_a_truncated_archive_is_refused(cut):
    sealed = encrypt(os.urandom(3000))
    spans = chunk_spans(sealed)
    end = {
        "whole chunks": spans[-2][1],  # every chunk but the last one, each intact
        "inside a chunk": spans[-1][1] - 5,
        "inside a length": spans[-1][0] + 2,
    }[cut]
    with pytest.raises(EncryptionError, match=r"cut short|changed"):
        decrypt(sealed[:end])


def test_a_dropped_chunk_is_refused():
    sealed = encrypt(os.urandom(3000))
    (a, b), *_ = chunk_spans(sealed)
    with pytest.raises(EncryptionError):
        decrypt(sealed[:a] + sealed[b:])


def test_data_after_the_end_is_refused():
    with pytest.raises(EncryptionError, match="after its final chunk"):
        decrypt(encrypt(b"abc") + b"\x00")


def test_the_wrong_key_is_refused():
    with pytest.raises(EncryptionError, match="key is wrong"):
        decrypt(encrypt(b"abc"), key="another key")


def test_no_plaintext_before_its_chunk_is_authenticated():
    sealed = bytearray(encrypt(b"A" * 2500))
    last_start, _ = chunk_spans(bytes(sealed))[-1]
    sealed[last_start + 6] ^= 1
    reader = DecryptingReader(io.BytesIO(bytes(sealed)), KEY)
    assert reader.read(2000) == b"A" * 2000  # the first two chunks are intact
    with pytest.raises(EncryptionError):
        reader.read(1000)
