"""The database part of a backup: a consistent snapshot into a file, and putting one back.

SQLite: the ``sqlite3`` online backup API copies the database page by page while the
portal keeps running; the copy is one consistent state. PostgreSQL: ``pg_dump -Fc`` in
a snapshot exported by the transaction that also counts the rows, so the counts in
the manifest describe exactly the dump; ``pg_restore`` puts it back.

Stored files kept in the database (``PORTAL_STORAGE=postgres``) are left out of the
snapshot: they go into the archive as files, like those of every other backend, so a
backup restores into any storage and holds each file once.
"""

# Table names in SQL text are this module's constants; commands are fixed lists.
# ruff: noqa: S608, S603

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Counted for the manifest and by ``verify``: table -> name in the manifest.
COUNTED = {"application": "applications", "parking_permit": "permits", "user": "users"}
# Rows of stored files (``app.storage.database``): in the archive as files instead.
FILE_TABLES = ("stored_file_chunk", "stored_file")
MIGRATIONS_TABLE = "schema_migrations"


class DatabaseBackupError(RuntimeError):
    """The snapshot or its restore failed; the message says why."""


@dataclass(frozen=True)
class Snapshot:
    """A database snapshot in ``path`` with what it holds."""

    path: Path
    kind: str  # "sqlite" or "postgresql"
    counts: dict[str, int]
    migrations: list[str]
    tool_version: str = ""


def kind_of(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a ``DATABASE_URL``."""
    scheme = urlsplit(url).scheme
    if scheme.startswith("sqlite"):
        return "sqlite"
    if scheme.startswith("postgres"):
        return "postgresql"
    raise DatabaseBackupError(f"cannot back up a database of kind {scheme!r}")


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///relative`` or ``sqlite:////absolute`` URL (as peewee
    reads it)."""
    return Path(unquote(urlsplit(url).path[1:])).resolve()


# --- SQLite ----------------------------------------------------------------------------


def _sqlite_facts(connection: sqlite3.Connection) -> tuple[dict[str, int], list[str]]:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    counts = {
        label: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table, label in COUNTED.items()
        if table in tables
    }
    applied = (
        [r[0] for r in connection.execute(f"SELECT version FROM {MIGRATIONS_TABLE} ORDER BY 1")]
        if MIGRATIONS_TABLE in tables
        else []
    )
    return counts, applied


def sqlite_snapshot(url: str, target: Path) -> Snapshot:
    """Copy the running SQLite database into ``target`` with the online backup API."""
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise DatabaseBackupError(f"no SQLite database at {source_path}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        # In one step: a read transaction sees one state while the portal's writers go
        # on into the WAL. (Copying in steps would start over after every write of
        # another connection, and might never finish on a busy portal.)
        source.backup(copy)
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        for table in FILE_TABLES:
            if table in tables:
                copy.execute(f'DELETE FROM "{table}"')
        copy.commit()
        copy.execute("VACUUM")
        counts, applied = _sqlite_facts(copy)
    finally:
        copy.close()
        source.close()
    return Snapshot(target, "sqlite", counts, applied, sqlite3.sqlite_version)


def sqlite_restore(snapshot: Path, url: str) -> None:
    """Put the SQLite file ``snapshot`` in place of the database of ``url``.

    The caller has closed every connection of this process; the file is checked,
    then moved into place in one rename, and journal files of the old one removed."""
    target = sqlite_path(url)
    check = sqlite3.connect(snapshot)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        raise DatabaseBackupError(f"the database in the archive is damaged: {result}")
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(snapshot, target)
    os.chmod(target, 0o600)


# --- PostgreSQL ------------------------------------------------------------------------


def libpq_env(url: str) -> dict[str, str]:
    """The libpq variables for ``url`` (the password never on a command line)."""
    parts = urlsplit(url)
    env = {
        "PGHOST": parts.hostname or "",
        "PGPORT": str(parts.port or ""),
        "PGUSER": unquote(parts.username or ""),
        "PGPASSWORD": unquote(parts.password or ""),
        "PGDATABASE": unquote(parts.path.lstrip("/")),
    }
    return {**os.environ, **{k: v for k, v in env.items() if v}}


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not match:
        raise DatabaseBackupError(f"cannot read a version from {version_text!r}")
    return int(match.group(1))


def tool_version(tool: str) -> tuple[int, str]:
    """Major version and version line of ``pg_dump`` or ``pg_restore``."""
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise DatabaseBackupError(
            f"{tool} is needed for PostgreSQL backups and cannot be run: {exc}"
        ) from exc
    line = done.stdout.strip()
    return _major(line.rsplit(" ", 1)[-1] if ")" in line else line), line


@contextmanager
def _connection(url: str) -> Iterator:
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        yield connection
    finally:
        connection.close()


def _server_major(cursor) -> int:
    cursor.execute("SHOW server_version_num")
    return int(cursor.fetchone()[0]) // 10000


def check_tool(tool: str, server_major: int) -> str:
    """The tool's version line; an error saying what to install when it is older than
    the server (an older pg_dump refuses a newer server, or misses what it added)."""
    major, line = tool_version(tool)
    if major < server_major:
        raise DatabaseBackupError(
            f"{tool} is version {major} but the PostgreSQL server is version {server_major}: "
            f"install the PostgreSQL {server_major} client tools (e.g. postgresql-client-"
            f"{server_major}) and put them first in PATH"
        )
    return line


def _pg_facts(cursor) -> tuple[dict[str, int], list[str]]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )
    tables = {row[0] for row in cursor.fetchall()}
    counts = {}
    for table, label in COUNTED.items():
        if table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[label] = cursor.fetchone()[0]
    applied: list[str] = []
    if MIGRATIONS_TABLE in tables:
        cursor.execute(f"SELECT version FROM {MIGRATIONS_TABLE} ORDER BY 1")
        applied = [row[0] for row in cursor.fetchall()]
    return counts, applied


def postgres_snapshot(url: str, target: Path) -> Snapshot:
    """``pg_dump -Fc`` of the database of ``url`` into ``target`` (on disk, not memory),
    in the same snapshot as the counts of the manifest."""
    with _connection(url) as connection:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            line = check_tool("pg_dump", _server_major(cursor))
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            counts, applied = _pg_facts(cursor)
            command = ["pg_dump", "-Fc", "--snapshot", snapshot_id, "-f", str(target)]
            command += [f"--exclude-table-data={table}" for table in FILE_TABLES]
            done = subprocess.run(command, env=libpq_env(url), capture_output=True, text=True)
        connection.rollback()
    if done.returncode != 0:
        raise DatabaseBackupError(f"pg_dump failed: {done.stderr.strip()}")
    return Snapshot(target, "postgresql", counts, applied, line)


def postgres_restore(snapshot: Path, url: str) -> None:
    """Empty the database's schema, then ``pg_restore`` the dump into it in one
    transaction (the caller has checked that it held nothing worth keeping)."""
    with _connection(url) as connection, connection.cursor() as cursor:
        check_tool("pg_restore", _server_major(cursor))
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        # Tables a newer portal created in the empty database would clash with the dump.
        cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')
        connection.commit()
    command = [
        "pg_restore",
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
        "-d",
        libpq_env(url)["PGDATABASE"],
        str(snapshot),
    ]
    done = subprocess.run(command, env=libpq_env(url), capture_output=True, text=True)
    if done.returncode != 0:
        raise DatabaseBackupError(f"pg_restore failed: {done.stderr.strip()}")


def counts_now(url: str) -> dict[str, int]:
    """The counted rows of the database of ``url`` as they are now."""
    if kind_of(url) == "sqlite":
        connection = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
        try:
            return _sqlite_facts(connection)[0]
        finally:
            connection.close()
    with _connection(url) as connection, connection.cursor() as cursor:
        return _pg_facts(cursor)[0]


def snapshot(url: str, target: Path) -> Snapshot:
    """A consistent snapshot of the database of ``url`` in ``target``."""
    if kind_of(url) == "sqlite":
        return sqlite_snapshot(url, target)
    return postgres_snapshot(url, target)


def restore(kind: str, path: Path, url: str) -> None:
    """Put the snapshot in ``path`` (of ``kind``) in place of the database of ``url``."""
    if kind != kind_of(url):
        raise DatabaseBackupError(
            f"the archive holds a {kind} database but DATABASE_URL names {kind_of(url)}; "
            "restore into the same kind, then move the data with the usual tools"
        )
    if kind == "sqlite":
        sqlite_restore(path, url)
    else:
        postgres_restore(path, url)
