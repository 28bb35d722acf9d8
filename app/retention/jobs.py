"""The daily retention job."""

from __future__ import annotations

from huey import crontab

from app.db import db
from app.retention import runs
from app.tasks import huey


@huey.periodic_task(crontab(hour="3", minute="47"))
def delete_expired() -> int:
    """Daily: delete the applications whose retention ended; how many went."""
    if not db.is_closed():  # immediate mode: the caller's connection
        record = runs.run()
    else:
        with db.connection_context():
            record = runs.run()
    return record.deleted_drafts + record.deleted_closed
