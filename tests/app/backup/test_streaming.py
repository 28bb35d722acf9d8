"""Backups stream: a file of 24 MB goes into an encrypted archive and back without
the process holding more than a few chunks of it at a time."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tracemalloc

from app.backup import service
from app.storage.local import LocalStorage

SIZE = 24 * 1024 * 1024
# Half the file: what is held is a few chunks of 1 MiB (tar, cipher, storage), about
# 4-8 MiB when this was written.
LIMIT = 12 * 1024 * 1024


def test_a_large_file_is_never_held_whole(app, tmp_path):
    source = tmp_path / "source"
    data = os.urandom(SIZE)
    digest = hashlib.sha256(data).hexdigest()
    LocalStorage(source).put("attachments/large", data)
    del data
    sqlite3.connect(source / "portal.sqlite3").close()
    config = {
        "DATABASE_URL": f"sqlite:///{source / 'portal.sqlite3'}",
        "INSTANCE_PATH": str(source),
        "PORTAL_STORAGE": "local",
    }
    archive = tmp_path / "large.backup"
    tracemalloc.start()
    try:
        with archive.open("wb") as handle:
            service.create(config, handle, key="a key", echo=lambda _l: None)
        _, written_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        manifest = service.verify(archive, key="a key")
        _, checked_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        target = tmp_path / "target"
        restored = service.restore(
            {
                **config,
                "DATABASE_URL": f"sqlite:///{target / 'portal.sqlite3'}",
                "INSTANCE_PATH": str(target),
            },
            archive,
            key="a key",
        )
        _, restored_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert manifest["members"]["files/attachments/large"] == {"sha256": digest, "size": SIZE}
    assert restored.files == 1
    with LocalStorage(target).open("attachments/large") as handle:
        back = hashlib.sha256()
        while piece := handle.read(1024 * 1024):
            back.update(piece)
    assert back.hexdigest() == digest
    assert written_peak < LIMIT, written_peak
    assert checked_peak < LIMIT, checked_peak
    assert restored_peak < LIMIT, restored_peak
