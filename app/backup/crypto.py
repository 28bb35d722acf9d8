"""Streaming authenticated encryption of a backup archive.

Format (all integers big-endian)::

    header  = MAGIC (8 bytes) | salt (16) | nonce prefix (7) | chunk size (4)
    chunk   = length (4) | AES-256-GCM ciphertext with tag (length bytes)

The key is derived from ``BACKUP_ENCRYPTION_KEY`` with scrypt and the salt, so a
passphrase is as good as a random key of the same strength. Chunk ``i`` is sealed
with the nonce ``prefix | i (4 bytes) | last (1 byte)`` and the header as associated
data (the STREAM construction): a chunk moved, dropped, repeated or taken from another
archive fails its tag, and an archive cut after any chunk lacks the one marked last.
No plaintext is handed out before its chunk is authenticated.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"BPBAK\x00E1"
CHUNK = 1024 * 1024
_HEADER = struct.Struct(">8s16s7sI")
_LENGTH = struct.Struct(">I")
_TAG = 16
# scrypt cost: about 0.1 s and 16 MiB once per archive.
_SCRYPT_N = 2**14


class EncryptionError(ValueError):
    """The archive is not one of ours, was changed or cut short, or the key is wrong."""


def is_encrypted(head: bytes) -> bool:
    """Whether ``head`` (the first bytes of a file) starts an encrypted archive."""
    return head.startswith(MAGIC)


def _derive(key: str, salt: bytes) -> AESGCM:
    if not key:
        raise EncryptionError("the encryption key is empty")
    kdf = Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=8, p=1)
    return AESGCM(kdf.derive(key.encode("utf-8")))


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= 2**32:
        raise EncryptionError("archive too large for one nonce prefix")
    return prefix + struct.pack(">IB", index, 1 if last else 0)


class EncryptingWriter:
    """A write-only stream that encrypts into ``target`` chunk by chunk; ``close()``
    seals the last chunk (and must be called, or the archive counts as cut short)."""

    def __init__(self, target: BinaryIO, key: str, chunk_size: int = CHUNK) -> None:
        salt, prefix = os.urandom(16), os.urandom(7)
        self._header = _HEADER.pack(MAGIC, salt, prefix, chunk_size)
        self._aead = _derive(key, salt)
        self._prefix = prefix
        self._target = target
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._index = 0
        self.closed = False
        target.write(self._header)

    def _seal(self, data: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), data, self._header)
        self._target.write(_LENGTH.pack(len(sealed)) + sealed)
        self._index += 1

    def write(self, data: bytes) -> int:
        """Buffer ``data``; every full chunk is encrypted and written at once."""
        self._buffer += data
        while len(self._buffer) > self._chunk_size:
            self._seal(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: only whole chunks are written before ``close``."""

    def close(self) -> None:
        """Seal what is left as the last chunk (possibly empty)."""
        if self.closed:
            return
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        self.closed = True


class DecryptingReader:
    """A read-only stream of the plaintext of an encrypted archive in ``source``.

    Raises :class:`EncryptionError` on a wrong key, a changed, reordered or missing
    chunk, or an archive cut short (at the latest when its end is read)."""

    def __init__(self, source: BinaryIO, key: str) -> None:
        header = source.read(_HEADER.size)
        if len(header) != _HEADER.size or not header.startswith(MAGIC):
            raise EncryptionError("not an encrypted backup archive")
        _magic, salt, prefix, chunk_size = _HEADER.unpack(header)
        self._header = header
        self._aead = _derive(key, salt)
        self._prefix = prefix
        self._max = chunk_size + _TAG
        self._source = source
        self._index = 0
        self._buffer = b""
        self._offset = 0  # what of _buffer was read already (no copying per read)
        self._done = False

    def _next_chunk(self) -> None:
        raw = self._source.read(_LENGTH.size)
        if len(raw) != _LENGTH.size:
            raise EncryptionError("the archive is cut short (no final chunk)")
        (length,) = _LENGTH.unpack(raw)
        if not _TAG <= length <= self._max:
            raise EncryptionError("the archive is damaged (chunk length)")
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise EncryptionError("the archive is cut short")
        for last in (False, True):
            try:
                plain = self._aead.decrypt(
                    _nonce(self._prefix, self._index, last), sealed, self._header
                )
            except InvalidTag:
                continue
            self._index += 1
            self._buffer = self._buffer[self._offset :] + plain
            self._offset = 0
            if last:
                self._done = True
                if self._source.read(1):
                    raise EncryptionError("the archive has data after its final chunk")
            return
        raise EncryptionError("the archive was changed, its chunks reordered, or the key is wrong")

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of plaintext (all that is left when ``size`` < 0)."""
        while not self._done and (size < 0 or len(self._buffer) - self._offset < size):
            self._next_chunk()
        end = len(self._buffer) if size < 0 else min(len(self._buffer), self._offset + size)
        piece = self._buffer[self._offset : end]
        self._offset = end
        return piece
