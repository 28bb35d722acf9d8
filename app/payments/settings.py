"""Where payments read the configuration: the current app, else the worker's copy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, has_app_context

from app import tasks


def current() -> Mapping[str, Any]:
    """The configuration in effect (request, CLI command or background job)."""
    if has_app_context():
        return current_app.config
    return tasks.config()


def base_url() -> str:
    """The portal's public address, without trailing slash."""
    return str(current()["BASE_URL"]).rstrip("/")
