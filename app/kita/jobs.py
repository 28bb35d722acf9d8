"""The periodic job that expires offers past their deadline."""

from __future__ import annotations

import logging

from huey import crontab

from app.db import db
from app.kita import offers
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="0", minute="20"))
def expire_offers() -> None:
    """Nightly: offers past their deadline expire; their places go to the next in line."""
    if db.is_closed():
        with db.connection_context():
            made = offers.expire_due(job_config())
    else:  # immediate mode (tests): the caller's connection
        made = offers.expire_due(job_config())
    if made:
        log.info("%d kita places offered to the next in line", len(made))
