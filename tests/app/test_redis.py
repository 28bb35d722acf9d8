"""The Redis paths over a real connection: job queue and rate-limit storage."""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="no Redis configured (TEST_REDIS_URL)")


def test_queue_uses_redis_when_configured(monkeypatch):
    from huey import RedisHuey

    from app import tasks

    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    queue = tasks._make_huey()
    assert isinstance(queue, RedisHuey)
    queue.flush()

    @queue.task()
    def add(a, b):
        return a + b

    result = add(2, 3)
    assert queue.pending_count() == 1
    job = queue.dequeue()
    queue.execute(job)
    assert result.get() == 5
    queue.flush()


def test_rate_limits_are_stored_in_redis(app, client):
    import redis

    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    for _ in range(3):
        client.post("/api/auth/email/start", json={"email": "redis@example.org"})
    keys = redis.Redis.from_url(REDIS_URL).keys("LIMITS:*")
    assert keys, "expected the limiter's counters in Redis"
