"""Entry point of the background worker: ``huey_consumer portal.worker.huey``."""

from __future__ import annotations

import logging
from typing import Any

from huey.consumer_options import ConsumerConfig

from app.tasks import huey
from portal import create_app


def _portal_log_lines(self: ConsumerConfig, logger: Any = None) -> None:
    """The consumer's log set-up, minus its own handler: the portal's handler on the
    root logger (``app.logs``, ``LOG_FORMAT``) writes every line, with the request id
    of the job, and a second handler would write each line twice."""
    (logger or logging.getLogger()).setLevel(self.loglevel)


# huey_consumer imports this module first and sets up its logging after.
ConsumerConfig.setup_logger = _portal_log_lines  # type: ignore[method-assign]

# The worker's jobs read the configuration and open the database the app sets up.
flask_app = create_app()

__all__ = ["flask_app", "huey"]
