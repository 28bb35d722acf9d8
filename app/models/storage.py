"""Files kept in the portal's own database (``PORTAL_STORAGE=postgres``) and the pass
signing keys every node shares."""

from __future__ import annotations

import peewee

from app.models.base import BaseModel, now_default


class StoredFile(BaseModel):
    """One stored file: its key and size; the bytes are in :class:`StoredFileChunk`.

    A replaced file gets a new row (and new chunks): a reader holding the old row's id
    reads the old content to the end or finds it gone, never a mix of both.
    """

    key = peewee.CharField(max_length=512, unique=True)
    size = peewee.BigIntegerField()
    modified_at = now_default()

    class Meta:
        table_name = "stored_file"


class StoredFileChunk(BaseModel):
    """One piece of a stored file (at most ``app.storage.base.CHUNK_SIZE`` bytes)."""

    file = peewee.ForeignKeyField(StoredFile, on_delete="CASCADE", backref="+")
    seq = peewee.IntegerField()
    data = peewee.BlobField()

    class Meta:
        table_name = "stored_file_chunk"
        indexes = ((("file", "seq"), True),)


class PassSigningKey(BaseModel):
    """A pass signing key (see ``app/passes/keystore.py`` for the fields' meaning).

    The private key is stored encrypted with the key-encryption key from the
    environment or the secrets folder (``PASS_KEY_ENCRYPTION_KEY``), and only while the
    key is current; every node reads the same rows, so a rotation reaches all of them.
    """

    kid = peewee.CharField(max_length=64, primary_key=True)
    spki = peewee.BlobField()
    created = peewee.BigIntegerField()
    status = peewee.CharField(max_length=16)
    retired = peewee.BigIntegerField(null=True)
    not_after = peewee.BigIntegerField(null=True)
    private_key = peewee.BlobField(null=True)

    class Meta:
        table_name = "pass_signing_key"
