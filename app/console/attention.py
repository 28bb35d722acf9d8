"""What needs an admin's attention, for the console's start page: open feedback, mails
and push messages that could not be delivered, stored services with problems, drafts
in progress. Counts and short lines only, no citizen's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.applications import stored_plugins
from app.db import utcnow
from app.models import Feedback, NotificationMail, PushDelivery, ServiceDefinitionRecord

# Failed deliveries older than this are history, not something to act on.
RECENT = timedelta(days=14)


@dataclass(frozen=True)
class Attention:
    """The figures of the start page."""

    open_feedback: int
    failed_mails: int
    failed_pushes: int
    draft_services: int
    service_problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many things wait (each service problem counts once)."""
        return (
            self.open_feedback + self.failed_mails + self.failed_pushes + len(self.service_problems)
        )


def attention(now: datetime | None = None) -> Attention:
    """Work out the start page's figures now."""
    since = (now or utcnow()) - RECENT
    return Attention(
        open_feedback=Feedback.select().where(Feedback.status == "new").count(),
        failed_mails=NotificationMail.select()
        .where((NotificationMail.state == "failed") & (NotificationMail.created_at >= since))
        .count(),
        failed_pushes=PushDelivery.select()
        .where((PushDelivery.outcome == "failed") & (PushDelivery.at >= since))
        .count(),
        draft_services=ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.state == "draft")
        .count(),
        service_problems=stored_plugins.problems(),
    )
