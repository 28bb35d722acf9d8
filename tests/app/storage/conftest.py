"""Every storage backend for the same contract tests: the instance folder, the database
storage on SQLite and on PostgreSQL, and S3 against moto's server on loopback."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import peewee
import pytest
from playhouse.db_url import parse

from app import migrations
from app.db import PortalPostgresDatabase, db, open_database
from app.storage.database import DatabaseStorage
from app.storage.local import LocalStorage
from app.storage.s3 import S3Storage
from tests.fakes.s3 import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, S3Server, s3_server

BACKENDS = ["local", "postgres-on-sqlite", "postgres-on-postgresql", "s3"]


def postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    return url if url.startswith("postgres") else None


@contextmanager
def bound_database(database: peewee.Database) -> Iterator[peewee.Database]:
    """``database`` migrated and bound to the portal's handle; the one bound before
    comes back afterwards."""
    previous = db.obj
    db.initialize(database)
    try:
        with db.connection_context():
            migrations.upgrade(database)
        yield database
    finally:
        database.close_all()
        db.initialize(previous)


@contextmanager
def sqlite_database(folder) -> Iterator[peewee.Database]:
    previous = db.obj
    database = open_database(f"sqlite:///{folder / 'storage.sqlite3'}", 4)
    db.initialize(previous)
    with bound_database(database) as bound:
        yield bound


@contextmanager
def postgres_schema(url: str) -> Iterator[peewee.Database]:
    """A schema of its own in the test PostgreSQL database (the tests' main schema and
    other test processes are left alone), dropped afterwards."""
    schema = f"storage_{secrets.token_hex(4)}"
    admin = peewee.PostgresqlDatabase(**parse(url))
    admin.execute_sql(f"CREATE SCHEMA {schema}")
    database = PortalPostgresDatabase(
        **parse(url), options=f"-c search_path={schema}", max_connections=4
    )
    database.server_prepare = False
    try:
        with bound_database(database) as bound:
            yield bound
    finally:
        admin.execute_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


def make_s3(server: S3Server, bucket: str | None = None) -> S3Storage:
    return S3Storage(
        bucket=bucket or server.new_bucket(),
        prefix="portal/",
        endpoint_url=server.endpoint_url,
        region=REGION,
        access_key_id=ACCESS_KEY_ID,
        secret_access_key=SECRET_ACCESS_KEY,
    )


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path) -> Iterator[str]:
    """The name of the backend under test (the database is bound for both database ones)."""
    name = request.param
    if name == "postgres-on-sqlite":
        with sqlite_database(tmp_path):
            yield name
    elif name == "postgres-on-postgresql":
        url = postgres_url()
        if url is None:
            pytest.skip("no PostgreSQL configured (TEST_POSTGRES_URL)")
        with postgres_schema(url):
            yield name
    else:
        yield name


@pytest.fixture
def store(backend, tmp_path, request):
    """A fresh, empty storage of the backend under test."""
    if backend == "local":
        return LocalStorage(tmp_path / "instance")
    if backend == "s3":
        return make_s3(request.getfixturevalue("s3"))
    return DatabaseStorage()
