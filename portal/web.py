"""The Flask application object: JSON format, proxy headers, one connection per request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import FunctionType
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.sessions import NullSession, SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from app import logs
from app.db import db, iso


class PortalJSON(DefaultJSONProvider):
    """JSON with ISO 8601 timestamps in UTC (``…Z``) instead of HTTP dates."""

    ensure_ascii = False

    @staticmethod
    def default(value: Any) -> Any:
        if isinstance(value, date):
            return iso(value)
        return DefaultJSONProvider.default(value)


class ServerSessionsOnly(SessionInterface):
    """No Flask cookie session: the portal keeps its sessions on the server
    (``app.accounts.sessions``). Flask's signed-cookie session would otherwise try to
    read the session cookie on every request (it shares its name), only to fail the
    signature. Writing to ``flask.session`` raises, so nothing relies on it unnoticed.
    """

    def open_session(self, app: Flask, request: Any) -> NullSession:
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        return None


class PortalFlask(Flask):
    """Flask that asks once per function whether it is a coroutine function.

    Flask passes every view and every request hook through ``ensure_sync`` on every
    request (fourteen calls per request here), and each call asks ``inspect``, which
    looks at the function's code flags through several layers: a few per cent of a
    small list's time. A plain function stays plain, so the answer is kept.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_functions: set[FunctionType] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if func in self._plain_functions:
            return func
        result = super().ensure_sync(func)
        # Only plain functions are kept: a bound method is a new object on every access.
        if result is func and type(func) is FunctionType:
            self._plain_functions.add(func)
        return result


def flask_app(config: Mapping[str, Any]) -> Flask:
    """A Flask app carrying ``config``, with no routes yet."""
    app = PortalFlask("portal", instance_path=config["INSTANCE_PATH"], static_folder=None)
    app.config.update(config)
    if app.config["SESSION_COOKIE_SECURE"]:
        # The __Host- prefix pins the cookie to our host and path over HTTPS.
        app.config["SESSION_COOKIE_NAME"] = "__Host-bp_session"
    app.json = PortalJSON(app)
    app.session_interface = ServerSessionsOnly()
    # Text lines in development, one JSON object per line in production (LOG_FORMAT).
    logs.configure(config["LOG_FORMAT"], config["LOG_LEVEL"])
    if config["PROXY_COUNT"]:
        count = config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    return app


def connect_per_request(app: Flask) -> None:
    """Open the database connection for each request and close it afterwards."""

    @app.before_request
    def _connect() -> None:
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not db.is_closed():
            db.close()
