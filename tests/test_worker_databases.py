"""Each pytest-xdist worker's own databases on PostgreSQL and Redis."""

from __future__ import annotations

import pytest

from tests.worker_databases import give_worker_own_servers, worker_database_url, worker_redis_url


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        (
            "postgresql://postgres@127.0.0.1:5432/test",
            "gw0",
            "postgresql://postgres@127.0.0.1:5432/test_gw0",
        ),
        ("postgresql://u:p@db:5433/main_tests", "gw1", "postgresql://u:p@db:5433/main_tests_gw1"),
        (
            "postgresql://postgres@127.0.0.1/test?sslmode=disable",
            "gw1",
            "postgresql://postgres@127.0.0.1/test_gw1?sslmode=disable",
        ),
    ],
)
def test_a_worker_database_is_named_after_the_worker(url: str, worker: str, expected: str) -> None:
    assert worker_database_url(url, worker) == expected


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/15", "gw0", "redis://127.0.0.1:6379/15"),
        ("redis://127.0.0.1:6379/15", "gw1", "redis://127.0.0.1:6379/14"),
        ("redis://127.0.0.1:6379/0", "gw1", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379", "gw2", "redis://127.0.0.1:6379/2"),
    ],
)
def test_a_worker_redis_database_differs_from_the_others(
    url: str, worker: str, expected: str
) -> None:
    assert worker_redis_url(url, worker) == expected


def test_no_redis_database_beyond_the_sixteenth() -> None:
    with pytest.raises(RuntimeError, match="no Redis database left"):
        worker_redis_url("redis://127.0.0.1:6379/15", "gw16")


@pytest.mark.parametrize(
    "environ",
    [
        {"TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1/test"},  # not under xdist
        {"PYTEST_XDIST_WORKER": "gw1", "TEST_REDIS_URL": "redis://127.0.0.1:6379/15"},  # SQLite
        {"PYTEST_XDIST_WORKER": "gw1", "TEST_DATABASE_URL": "sqlite:////tmp/x.sqlite3"},
    ],
)
def test_nothing_changes_without_xdist_or_without_postgresql(environ: dict[str, str]) -> None:
    before = dict(environ)
    give_worker_own_servers(environ)
    assert environ == before
