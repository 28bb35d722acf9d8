"""Bürgerportal: the application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from app import tasks
from app.config import load_config
from app.db import db, iso, open_database


class PortalJSON(DefaultJSONProvider):
    """JSON with ISO 8601 timestamps in UTC (``…Z``) instead of HTTP dates."""

    ensure_ascii = False

    @staticmethod
    def default(value: Any) -> Any:
        if isinstance(value, date):
            return iso(value)
        return DefaultJSONProvider.default(value)


def create_app(env: Mapping[str, str] | None = None, **overrides: Any) -> Flask:
    """Build the portal app from ``env`` (default: the process environment) plus ``overrides``."""
    config = load_config(env, **overrides)
    if config["SESSION_COOKIE_SECURE"]:
        # The __Host- prefix pins the cookie to our host and path over HTTPS.
        config["SESSION_COOKIE_NAME"] = "__Host-bp_session"
    flask_app = Flask(__name__, instance_path=config["INSTANCE_PATH"], static_folder=None)
    flask_app.config.update(config)
    flask_app.json = PortalJSON(flask_app)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if config["PROXY_COUNT"]:
        count = config["PROXY_COUNT"]
        flask_app.wsgi_app = ProxyFix(flask_app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    open_database(config["DATABASE_URL"], config["DATABASE_POOL_SIZE"])
    tasks.configure(config)

    @flask_app.before_request
    def _connect() -> None:
        db.connect(reuse_if_open=True)

    @flask_app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not db.is_closed():
            db.close()

    from api import init_api
    from app import builtin_plugins, cli
    from app.applications import (  # noqa: F401 - register event handlers
        jobs,
        payment_link,
        privacy,
    )
    from app.payments import notice_areas, notices
    from app.push import handlers  # noqa: F401 - push notifications on events
    from app.registry_information import register as resident_register

    builtin_plugins.register_all()
    notice_areas.check(config, notices.KINDS)
    resident_register.check(config)
    init_api(flask_app)
    cli.register(flask_app)
    return flask_app
