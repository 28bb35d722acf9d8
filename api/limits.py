"""Rate limits for login and code endpoints.

The counters live where every worker process sees them: Redis when ``REDIS_URL`` is
set, otherwise a SQLite file in the instance folder (``RATELIMIT_STORAGE_URI``).
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter._extension import LimiterContext
from flask_limiter.util import get_qualified_name

from api.security import client_ip


class PortalLimiter(Limiter):
    """flask-limiter's Limiter, which skips its whole check for a request no limit
    applies to (see :func:`_without_limits`).

    Asked that way, the library still resolves the request's (empty) set of limits and
    evaluates it, meta limits and exemption scopes included: more per request than many
    a view. Without meta limits (the portal sets none) nothing of that can refuse or
    count such a request, so it is not done. Nor is the bookkeeping its response and
    teardown hooks would do for it (a fresh per-request context, asked three times):
    such a request shares one empty context (see :attr:`context`).
    """

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        if in_middleware and not self._meta_limits and _without_limits():
            request.environ[_NO_LIMITS] = True
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    @property
    def context(self) -> LimiterContext:
        """The request's limiter state; one shared empty state for a request that no
        limit applies to (nothing is counted, deducted afterwards or reported in
        headers for it, so nothing is ever written to it)."""
        if request.environ.get(_NO_LIMITS):
            return _EMPTY_CONTEXT
        return super().context


class _NoLimits(LimiterContext):
    """The state of every request no limit applies to: empty, and kept empty."""

    def reset(self) -> None:
        return None


_EMPTY_CONTEXT = _NoLimits()
# Set on a request's WSGI environ when the limiter skipped it.
_NO_LIMITS = "portal.no_limits"


limiter = PortalLimiter(key_func=client_ip, default_limits=[], headers_enabled=True)

# Per app: endpoint -> whether any limit applies to it (filled on first request).
_LIMITED_ENDPOINTS = "portal_limited_endpoints"


def email_key() -> str:
    """Limit per target address as well as per client, so one inbox cannot be flooded."""
    data = request.get_json(silent=True) or {}
    email = str(data.get("email", "")).strip().lower() if isinstance(data, dict) else ""
    return "email:" + hashlib.sha256(email.encode()).hexdigest()


def _is_limited(app: Flask, endpoint: str) -> bool:
    view = app.view_functions.get(endpoint)
    manager = limiter.limit_manager
    return bool(
        manager.default_limits
        or manager.application_limits
        or manager.has_hints(endpoint)
        or (view is not None and manager.decorated_limits(get_qualified_name(view)))
        or (request.blueprint and manager.blueprint_limits(app, request.blueprint))
    )


@limiter.request_filter
def _without_limits() -> bool:
    """True for a request no limit applies to: the limiter then skips its bookkeeping.

    Most requests (lists, details) have no limit; resolving and evaluating an empty set
    of limits cost more per request than many a view. Whether an endpoint is limited
    is worked out once and kept, so a limit added by decorator is never skipped.
    """
    endpoint = request.endpoint
    if endpoint is None:
        return False
    app = current_app._get_current_object()
    known: dict[str, bool] = app.extensions.setdefault(_LIMITED_ENDPOINTS, {})
    limited = known.get(endpoint)
    if limited is None:
        limited = known[endpoint] = _is_limited(app, endpoint)
    return not limited


def init(app: Flask) -> None:
    """Bind the limiter to ``app`` with the storage ``RATELIMIT_STORAGE_URI`` names
    (chosen in ``app.config.load_config``)."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
