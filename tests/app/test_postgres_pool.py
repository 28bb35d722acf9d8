"""The PostgreSQL pool: when a connection handed back is asked whether it still works."""

from __future__ import annotations

import os

import pytest
from playhouse.db_url import parse

from app.db import PING_AFTER_IDLE_SECONDS, PortalPostgresDatabase

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(
    not (POSTGRES_URL or "").startswith("postgres"),
    reason="no PostgreSQL configured (TEST_POSTGRES_URL)",
)


@pytest.fixture
def pool():
    database = PortalPostgresDatabase(**parse(POSTGRES_URL), max_connections=2)
    yield database
    database.close_all()


def _backend(database: PortalPostgresDatabase) -> int:
    return database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


def _terminate(pid: int) -> None:
    """End a server process as a restart or an idle timeout would."""
    other = PortalPostgresDatabase(**parse(POSTGRES_URL), max_connections=1)
    other.connect()
    other.execute_sql("SELECT pg_terminate_backend(%s)", (pid,))
    other.close()
    other.close_all()


def test_a_connection_idle_for_long_is_asked_and_replaced_when_dropped(pool):
    pool.connect()
    dropped = _backend(pool)
    connection = pool.connection()
    pool.close()
    _terminate(dropped)
    # As if it had waited in the pool for longer than the grace time.
    pool._returned_at[id(connection)] -= PING_AFTER_IDLE_SECONDS + 1
    pool.connect()
    assert pool.connection() is not connection
    assert _backend(pool) != dropped
    pool.close()


def test_a_connection_handed_back_moments_ago_is_taken_as_it_is(pool):
    pool.connect()
    first = _backend(pool)
    connection = pool.connection()
    pool.close()
    assert id(connection) in pool._returned_at
    pool.connect()
    # The same connection, without a round trip first; it works.
    assert pool.connection() is connection
    assert _backend(pool) == first
    pool.close()


def test_an_open_transaction_is_not_taken_as_it_is(pool):
    pool.connect()
    connection = pool.connection()
    # Left in a transaction: the pool rolls it back before handing it out again.
    pool.execute_sql("BEGIN")
    pool.execute_sql("SELECT 1")
    pool.close()
    pool.connect()
    assert pool.connection().get_transaction_status() == 0  # idle
    assert connection is pool.connection()
    pool.close()
