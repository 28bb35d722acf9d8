"""Rate limits for login and code endpoints (Redis storage when ``REDIS_URL`` is set)."""

from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter

from api.security import client_ip

limiter = Limiter(key_func=client_ip, default_limits=[], headers_enabled=True)


def email_key() -> str:
    """Limit per target address as well as per client, so one inbox cannot be flooded."""
    data = request.get_json(silent=True) or {}
    email = str(data.get("email", "")).strip().lower() if isinstance(data, dict) else ""
    return "email:" + hashlib.sha256(email.encode()).hexdigest()


def init(app: Flask) -> None:
    """Bind the limiter to ``app`` with the configured storage."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
