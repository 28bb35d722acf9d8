"""Helpers for hand-off tests: a service version with hand-off targets, and a backend
that records what it was given and answers as a test tells it to."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from app.applications import definitions
from app.db import db
from app.handoff.base import REGISTRY, Backend, DeliveryFailed, Outcome
from app.models import ServiceDefinitionRecord, User
from app.service_definitions.loader import BUILTIN_DIR
from app.service_definitions.yaml_io import read_yaml


def target(target_id: str = "fach", backend: str = "recording", on: str = "submitted", **settings):
    """A hand-off target as a definition names it."""
    return {
        "id": target_id,
        "backend": backend,
        "on": on,
        "label": {"de": f"Fachverfahren {target_id}", "en": f"Specialist system {target_id}"},
        "settings": settings or {"mailbox": "fach"},
    }


def publish_with(service_id: str, *targets: dict[str, Any]) -> ServiceDefinitionRecord:
    """Publish a new version of built-in ``service_id`` that hands off to ``targets``."""
    data = read_yaml(BUILTIN_DIR / f"{service_id}.yaml")
    with db.connection_context():
        newest = (
            ServiceDefinitionRecord.select(ServiceDefinitionRecord.version)
            .where(ServiceDefinitionRecord.service_id == service_id)
            .order_by(ServiceDefinitionRecord.version.desc())
            .first()
        )
        data["version"] = newest.version + 1
        data["handoff"] = list(targets)
        admin = User.get_or_none(User.email == "handoff-admin@example.org")
        if admin is None:
            from app.accounts import users

            admin = users.create_user("handoff-admin@example.org", "admin")
        record = definitions.create_version(data, admin)
        definitions.change_state(record, "published", admin)
        return record


class Recording(Backend):
    """Records each delivery; ``script`` says how the next attempts end: an ``Outcome``,
    a ``DeliveryFailed``, or a callable run with the delivery (``pause`` seconds first)."""

    calls: ClassVar[list[Any]] = []
    follow_ups: ClassVar[list[Any]] = []
    script: ClassVar[list[Any]] = []
    follow_up_script: ClassVar[list[Any]] = []
    pause = 0.0
    lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        cls.calls, cls.follow_ups, cls.script, cls.follow_up_script = [], [], [], []
        cls.pause = 0.0

    def check_target(self, settings, definition=None):
        return [] if settings.get("mailbox") else ["mailbox: is required"]

    def deliver(self, delivery, document):
        with self.lock:
            self.calls.append((delivery, document))
            step = self.script.pop(0) if self.script else Outcome("delivered", remote_id="R-1")
        if self.pause:
            time.sleep(self.pause)
        if callable(step):
            step = step(delivery)
        if isinstance(step, Exception):
            raise step
        return step

    def follow_up(self, delivery):
        self.follow_ups.append(delivery)
        step = self.follow_up_script.pop(0) if self.follow_up_script else None
        if isinstance(step, Exception):
            raise step
        return step


@contextmanager
def recording() -> Iterator[type[Recording]]:
    """The ``recording`` backend, fresh, for one test."""
    Recording.reset()
    with REGISTRY.replaced("recording", Recording):
        yield Recording
    Recording.reset()


__all__ = ["DeliveryFailed", "Outcome", "Recording", "publish_with", "recording", "target"]
