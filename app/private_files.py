"""Files and folders only the portal's own user may read, private from their creation.

Permissions are given when a file is created (``os.open`` with a mode), never by a
``chmod`` afterwards, so there is no moment in which another user could open it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path | str) -> Path:
    """Create folder ``path`` (and missing parents) owner-only; an existing one of ours
    that others may read is made owner-only too (installations from before)."""
    folder = Path(path)
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    tighten(folder, DIR_MODE)
    return folder


def tighten(path: Path | str, mode: int) -> None:
    """Take group and other permissions off an existing ``path`` the portal's user owns.

    Files made before the portal created them owner-only keep their old mode otherwise,
    and SQLite gives a database's ``-wal``/``-shm`` files the database file's mode
    every time it makes them anew. Someone else's file is left alone (and not ours to
    change).
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return
    if status.st_uid == os.getuid() and stat.S_IMODE(status.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(status.st_mode) & mode)


def create_private_file(path: Path | str) -> bool:
    """Create ``path`` empty and owner-only unless it exists; True when it was created.

    An empty file is a valid SQLite database, and SQLite gives its ``-wal``, ``-shm``
    and ``-journal`` companions the mode of the database file, so a database created
    here keeps all of its files private.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def write_private_bytes(path: Path | str, content: bytes) -> None:
    """Write ``content`` to ``path``, owner-only from the moment the file exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    # A file that was already there kept its mode through O_TRUNC.
    tighten(path, FILE_MODE)


def create_private_sqlite(path: Path | str) -> None:
    """Make sure the SQLite database file at ``path`` exists owner-only before SQLite opens it.

    In-memory and URI-style names are left to SQLite.
    """
    name = str(path)
    if name in ("", ":memory:") or name.startswith("file:"):
        return
    if not create_private_file(name):
        for companion in ("", "-wal", "-shm", "-journal"):
            tighten(name + companion, FILE_MODE)


def write_private_once(path: Path, text: str) -> str:
    """Write ``text`` to ``path`` owner-only unless it exists; return what ``path`` holds.

    Safe when several processes start at once: the text goes to a private temporary
    file first, which is hard-linked into place, so exactly one version wins and no
    reader ever sees a half-written file.
    """
    if path.exists():
        return path.read_text(encoding="utf-8")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # Another process may have been faster: its text is then the one.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text(encoding="utf-8")
