"""The SQLite rate-limit storage: atomic across processes, windows that end, private."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from api.limit_storage import SqliteStorage
from app.config import ConfigError, load_config
from tests.production_keys import PRODUCTION_KEYS

PROCESSES, HITS = 4, 50


def _hit_many(uri: str, start, results) -> None:
    storage = SqliteStorage(uri)
    start.wait()
    results.put([storage.incr("code:127.0.0.1", 60) for _ in range(HITS)])


def test_processes_incrementing_at_once_never_see_the_same_count(tmp_path):
    uri = f"sqlite://{tmp_path / 'limits.sqlite3'}"
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_hit_many, args=(uri, start, results)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    start.set()
    seen = [count for _ in workers for count in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    # Every hit got its own count: none was lost or counted twice.
    assert sorted(seen) == list(range(1, PROCESSES * HITS + 1))
    assert SqliteStorage(uri).get("code:127.0.0.1") == PROCESSES * HITS


def test_a_window_ends_and_counting_starts_again(tmp_path, monkeypatch):
    # The storage's clock, moved by hand: no waiting, and no dependence on how busy the
    # machine is between two statements.
    now = [1_000_000.0]
    monkeypatch.setattr("api.limit_storage.time.time", lambda: now[0])
    storage = SqliteStorage(f"sqlite://{tmp_path / 'limits.sqlite3'}")
    assert [storage.incr("k", 1), storage.incr("k", 1, amount=2)] == [1, 3]
    assert storage.get_expiry("k") == now[0] + 1
    now[0] += 0.5
    assert storage.get("k") == 3
    now[0] += 0.6
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1
    assert storage.get_expiry("k") == now[0] + 60


def test_clear_reset_and_check(tmp_path):
    storage = SqliteStorage(f"sqlite://{tmp_path / 'limits.sqlite3'}")
    for key in ("a", "b", "c"):
        storage.incr(key, 60)
    storage.clear("a")
    assert (storage.get("a"), storage.get("b")) == (0, 1)
    assert storage.reset() == 2 and storage.get("c") == 0
    assert storage.check()


def test_the_counter_file_is_owner_only(tmp_path):
    previous = os.umask(0o022)
    try:
        storage = SqliteStorage(f"sqlite://{tmp_path / 'limits.sqlite3'}")
        storage.incr("k", 60)
        for name in ("limits.sqlite3", "limits.sqlite3-wal", "limits.sqlite3-shm"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    finally:
        os.umask(previous)


@pytest.mark.parametrize("uri", ["sqlite://", "sqlite:///", "sqlite://relative.db"])
def test_a_uri_without_an_absolute_file_is_refused(uri):
    with pytest.raises(ValueError, match="names no file"):
        SqliteStorage(uri)


def test_counters_are_shared_by_default_and_in_redis_when_configured(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert config["RATELIMIT_STORAGE_URI"] == f"sqlite://{tmp_path / 'ratelimits.sqlite3'}"
    with_redis = load_config({"PORTAL_INSTANCE": str(tmp_path), "REDIS_URL": "redis://r:6379/0"})
    assert with_redis["RATELIMIT_STORAGE_URI"] == "redis://r:6379/0"


def test_the_running_app_counts_in_the_shared_file(app):
    from api.limits import limiter

    if app.config["REDIS_URL"]:
        pytest.skip("counters in Redis (tests/app/test_redis.py)")
    assert isinstance(limiter.storage, SqliteStorage)
    assert Path(limiter.storage.path) == Path(app.config["INSTANCE_PATH"]) / "ratelimits.sqlite3"


def test_production_refuses_per_process_counters(tmp_path):
    env = {
        "PORTAL_ENV": "production",
        **PRODUCTION_KEYS,
        "PORTAL_INSTANCE": str(tmp_path),
        "SECRET_KEY": "q8Zt3vNw2xLp5rT7yU1oK4mJ6hG9fD0sA",
        "PORTAL_BASE_URL": "https://portal.dueren.example",
        "SMTP_HOST": "mail.dueren.example",
        "VAPID_SUB": "mailto:it@stadt-dueren.de",
    }
    load_config(env)  # the default (shared file) is fine
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI is memory://"):
        load_config({**env, "RATELIMIT_STORAGE_URI": "memory://"})
