"""Own PostgreSQL and Redis databases for each pytest-xdist worker.

The tests empty their database after every test (and reset the public schema at the
start of a run), and flush the rate limiter's and the job queue's Redis database. Two
workers sharing one database would wipe each other's rows mid-test, so under xdist on
PostgreSQL each worker works in ``<database>_<worker>`` (made when missing) and in a
Redis database of its own. Without xdist, or on SQLite (a file per worker already),
nothing changes.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from urllib.parse import urlsplit, urlunsplit

import psycopg2

# Redis has databases 0–15 by default.
REDIS_DATABASES = 16


def worker_database_url(url: str, worker: str) -> str:
    """``url`` with the worker's name appended to the database name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{worker}"))


def worker_redis_url(url: str, worker: str) -> str:
    """``url`` moved to another database number for each worker (gw0 keeps it)."""
    index = int(worker.removeprefix("gw"))
    parts = urlsplit(url)
    number = int(parts.path.lstrip("/") or 0)
    moved = number - index if number - index >= 0 else number + index
    if moved >= REDIS_DATABASES:
        raise RuntimeError(f"no Redis database left for worker {worker} next to {url}")
    return urlunsplit(parts._replace(path=f"/{moved}"))


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` unless it exists (from the server's
    default database ``postgres``)."""
    name = urlsplit(url).path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def give_worker_own_servers(environ: MutableMapping[str, str]) -> None:
    """Point the ``TEST_*`` server URLs in ``environ`` at this worker's own databases."""
    worker = environ.get("PYTEST_XDIST_WORKER")
    database = environ.get("TEST_DATABASE_URL", "")
    if not worker or not database.startswith("postgres"):
        return
    own = worker_database_url(database, worker)
    ensure_database(own)
    for name in ("TEST_DATABASE_URL", "TEST_POSTGRES_URL"):
        if environ.get(name) == database:
            environ[name] = own
    if environ.get("TEST_REDIS_URL"):
        environ["TEST_REDIS_URL"] = worker_redis_url(environ["TEST_REDIS_URL"], worker)
