"""Rate limits for login and code endpoints.

The counters live where every worker process sees them: Redis when ``REDIS_URL`` is
set, otherwise a SQLite file in the instance folder (``RATELIMIT_STORAGE_URI``).
"""

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
    """Bind the limiter to ``app`` with the storage ``RATELIMIT_STORAGE_URI`` names
    (chosen in ``app.config.load_config``)."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
