"""``/api/health``: every registered check, 200 when all pass, 503 naming what failed."""

from __future__ import annotations

import os
import time

import pytest

from app import health_checks, tasks, worker_heartbeat


@pytest.fixture
def extra_check():
    """Register checks for one test; they go again afterwards."""
    added: list[str] = []

    def add(name, check, reasons=()):
        health_checks.register(name, check, reasons)
        added.append(name)

    yield add
    for name in added:
        health_checks.unregister(name)


@pytest.fixture
def queued_jobs(app):
    """The portal's queue with a real worker in mind: jobs wait instead of running."""
    tasks.huey.immediate = False
    tasks.huey.storage.flush_all()
    yield tasks.huey
    tasks.huey.storage.flush_all()
    tasks.huey.immediate = True


def start_consumer(huey, workers: int = 1):
    """A real Huey consumer of ``huey`` in this process's threads (its own signal
    handlers would replace the test runner's)."""
    consumer = huey.create_consumer(workers=workers, periodic=False, check_worker_health=False)
    consumer._set_signal_handlers = lambda: None
    consumer.start()
    return consumer


def test_all_checks_pass(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert body["checks"]["database"] == {"status": "ok", "reason": None}
    assert body["checks"]["storage"] == {"status": "ok", "reason": None}
    # Tests run jobs in the caller: there is no worker to hear from.
    assert body["checks"]["worker"] == {"status": "ok", "reason": "immediate"}
    if os.environ.get("TEST_REDIS_URL"):
        assert body["checks"]["redis"] == {"status": "ok", "reason": None}
    else:
        assert "redis" not in body["checks"]


def test_a_failed_check_is_named_with_503(client, extra_check):
    extra_check("archive", lambda: "bucket not writable")
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failed"
    assert body["failed"] == ["archive"]
    assert body["checks"]["archive"] == {"status": "failed", "reason": "bucket not writable"}
    assert body["checks"]["database"]["status"] == "ok"


def test_a_check_that_raises_fails_without_its_message(client, extra_check):
    def explode():
        raise ConnectionError("connect to s3.internal.example:9000 refused, secret=abc")

    extra_check("archive", explode)
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.get_json()["checks"]["archive"] == {
        "status": "failed",
        "reason": "ConnectionError",
    }
    assert b"internal.example" not in response.data
    assert b"secret" not in response.data


class Unavailable(Exception):
    """Stands for a package's own "not usable" exception with a short reason."""


def test_an_exception_named_as_a_reason_gives_its_text(client, extra_check):
    def refuse():
        raise Unavailable("bucket not reachable")

    extra_check("archive", refuse, reasons=(Unavailable,))
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.get_json()["checks"]["archive"] == {
        "status": "failed",
        "reason": "bucket not reachable",
    }


def test_an_unreachable_redis_fails_the_redis_check(client, extra_check):
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    extra_check("redis", health_checks.redis_check("redis://127.0.0.1:1/0"))
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["redis"]
    assert body["checks"]["redis"] == {"status": "failed", "reason": "no answer to PING"}
    assert b"127.0.0.1" not in response.data


def test_worker_without_heartbeat_fails_then_a_running_worker_passes(client, queued_jobs):
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.get_json()["checks"]["worker"] == {
        "status": "failed",
        "reason": "no heartbeat from any worker",
    }
    # A real consumer of the portal's queue: its start-up hook starts the heartbeat.
    consumer = start_consumer(queued_jobs)
    try:
        deadline = time.monotonic() + 10
        while worker_heartbeat.last_beat(queued_jobs) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        response = client.get("/api/health")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["checks"]["worker"] == {"status": "ok", "reason": None}
    finally:
        consumer.stop(graceful=True)
        worker_heartbeat.stop()


def test_a_stale_heartbeat_fails(client, queued_jobs):
    worker_heartbeat.beat(queued_jobs, now=time.time() - 600)
    response = client.get("/api/health")
    assert response.status_code == 503
    reason = response.get_json()["checks"]["worker"]["reason"]
    assert reason.startswith("last heartbeat 6") and reason.endswith(" s ago")
    worker_heartbeat.beat(queued_jobs)
    assert client.get("/api/health").status_code == 200


def test_live_answers_without_asking_anything(client, extra_check):
    extra_check("archive", lambda: "down")
    response = client.get("/api/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_the_answers_are_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    responses = spec["paths"]["/api/health"]["get"]["responses"]
    assert {"200", "503"} <= set(responses)
    schema = spec["components"]["schemas"]["Health"]
    assert set(schema["properties"]) == {"status", "checks", "failed"}


def test_a_storage_that_cannot_store_names_its_backend_only(client, app, monkeypatch, tmp_path):
    """The local storage's folder lies below a file, so nothing can be written there:
    the answer names the backend, not the folder (the log has it)."""
    from app import storage

    backend = storage.current()
    if app.config["PORTAL_STORAGE"] != "local":
        pytest.skip("made unusable here: the local backend's folder (TEST_PORTAL_STORAGE)")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(backend, "root", blocker / "files")
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["storage"]
    assert body["checks"]["storage"] == {
        "status": "failed",
        "reason": "local storage cannot store or read files",
    }
    assert str(blocker).encode() not in response.data
