"""Every request's id, metrics and log line, measured around the whole application.

A WSGI middleware (outermost, so answers given before Flask, like the catalogue's 304,
count too) takes the proxy's ``X-Request-ID`` when it is well-formed or makes one,
makes it current for every log line of the request and the jobs it queues
(``app.log_context``), echoes it in the response, and afterwards counts the request
(``app.metrics``) and writes one log line: method, endpoint, path, status,
duration_ms, the signed-in user's role. No query string, no e-mail, no names; the
client address only with ``LOG_CLIENT_ADDRESS=1``.

Labels use the Flask endpoint name (a small fixed set), never the path.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, g, request

from app import log_context, metrics

log = logging.getLogger("portal.request")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ENDPOINT_KEY = "portal.endpoint"
ROLE_KEY = "portal.role"
# Requests no route matched (404s, probes): one label for all of them.
UNMATCHED = "unmatched"


class RequestSignals:
    """WSGI middleware: request id, request metrics and the request's log line."""

    def __init__(
        self, app: WsgiApp, log_requests: bool = True, log_client_address: bool = False
    ) -> None:
        self.app = app
        self.log_requests = log_requests
        self.log_client_address = log_client_address

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        request_id = log_context.accepted_request_id(environ.get("HTTP_X_REQUEST_ID"))
        token = log_context.set_current(log_context.LogContext(request_id=request_id))
        statuses: list[str] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            statuses.append(status)
            headers.append(("X-Request-ID", request_id))
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            self._record(environ, statuses, time.perf_counter() - started)
            log_context.reset(token)

    def _record(self, environ: dict[str, Any], statuses: list[str], seconds: float) -> None:
        status = int(statuses[-1][:3]) if statuses else 500
        endpoint = environ.get(ENDPOINT_KEY) or UNMATCHED
        method = environ.get("REQUEST_METHOD", "")
        metrics.observe_request(endpoint, method, status, seconds)
        if not self.log_requests or not log.isEnabledFor(logging.INFO):
            return
        fields: dict[str, Any] = {
            "method": method,
            "endpoint": endpoint,
            "path": environ.get("PATH_INFO", ""),
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "role": environ.get(ROLE_KEY),
        }
        if self.log_client_address:
            fields["client"] = environ.get("portal.client_address")
        log.info("%s %s %s", method, fields["path"], status, extra=fields)


def _note_endpoint() -> None:
    # The request's environ is the one the middleware holds: it reads this afterwards.
    request.environ[ENDPOINT_KEY] = request.endpoint
    request.environ["portal.client_address"] = request.remote_addr


def _note_role(response: Any) -> Any:
    session = g.get("auth_session")
    # Only a user loaded with the session already: no query just for the log line.
    user = getattr(session, "__rel__", {}).get("user") if session is not None else None
    if user is not None:
        request.environ[ROLE_KEY] = user.role
    return response


def register_hooks(app: Flask) -> None:
    """Note each request's endpoint (before anything can refuse it) and user role.

    Call before the other request hooks are registered: before-request hooks run in
    the order they were added.
    """
    app.before_request(_note_endpoint)
    app.after_request(_note_role)


def install(app: Flask) -> None:
    """Put the middleware around everything else in ``app``'s WSGI stack."""
    app.wsgi_app = RequestSignals(
        app.wsgi_app, app.config["LOG_REQUESTS"], app.config["LOG_CLIENT_ADDRESS"]
    )
