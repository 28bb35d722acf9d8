"""Fixtures and helpers for push tests that go through the portal (API, jobs, database).

``push_portal`` (a fixture each test module defines as ``yield from serve(...)``)
starts the local push service and lets the app send to it: its
``http://127.0.0.1:<port>`` origin joins ``PUSH_ALLOWED_HOSTS`` for the test.
Jobs run in Huey's immediate mode; retries a job schedules wait in Huey's
in-memory schedule until :func:`run_due_jobs` runs them, as the consumer would.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from huey.utils import utcnow as huey_now

from app import tasks
from app.db import db
from app.models import PushDelivery, PushSubscription
from tests.fakes.push_service import BrowserSubscription, FakePushService


def _flush_queue() -> None:
    tasks.huey.storage.flush_all()


def serve(app, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePushService]:
    """Body of the ``push_portal`` fixture: ``yield from serve(app, monkeypatch)``."""
    assert tasks.huey.immediate, "push tests expect Huey's immediate mode"
    _flush_queue()
    with FakePushService() as service:
        allowed = [*app.config["PUSH_ALLOWED_HOSTS"], service.origin]
        for config in (app.config, tasks.config()):
            monkeypatch.setitem(config, "PUSH_ALLOWED_HOSTS", allowed)
            monkeypatch.setitem(config, "PUSH_ENABLED", True)
        yield service
    _flush_queue()


def set_config(app, monkeypatch: pytest.MonkeyPatch, **values: Any) -> None:
    """Change settings for the web app and the jobs alike."""
    for config in (app.config, tasks.config()):
        for name, value in values.items():
            monkeypatch.setitem(config, name, value)


def public_key(api) -> str:
    response = api.get("/api/push/public-key")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["public_key"]


def add_device(
    api, service: FakePushService, *, language: str = "de", topics: list[str] | None = None
) -> tuple[BrowserSubscription, dict[str, Any]]:
    """Subscribe like a browser (bound to the portal's key) and register through the API."""
    browser = service.subscribe(application_server_key=public_key(api))
    body: dict[str, Any] = {**browser.info, "expirationTime": None, "language": language}
    if topics is not None:
        body["topics"] = topics
    response = api.post("/api/push/subscriptions", json=body)
    assert response.status_code == 201, response.get_json()
    return browser, response.get_json()


def scheduled_etas() -> list[datetime.datetime]:
    """When the scheduled jobs are due (naive UTC, as Huey keeps them)."""
    return sorted(task.eta for task in tasks.huey.scheduled())


def run_due_jobs(after_seconds: float = 7200) -> int:
    """Run the scheduled jobs due ``after_seconds`` from now, as the consumer would then."""
    moment = huey_now() + datetime.timedelta(seconds=after_seconds)
    due = tasks.huey.read_schedule(moment)
    with db.connection_context():
        for task in due:
            tasks.huey.execute(task, moment)
    return len(due)


def delivery_log(notification_prefix: str = "") -> list[PushDelivery]:
    """The delivery log, oldest first."""
    with db.connection_context():
        query = PushDelivery.select().order_by(PushDelivery.id)
        if notification_prefix:
            query = query.where(PushDelivery.notification.startswith(notification_prefix))
        return list(query)


def device_count() -> int:
    with db.connection_context():
        return PushSubscription.select().count()
