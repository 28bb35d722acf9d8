"""The hand-off outbox: one delivery per application and hand-off target."""

from __future__ import annotations

import peewee

from app.models.applications import Application
from app.models.base import BaseModel, JSONField, now_default


class HandoffDelivery(BaseModel):
    """One application's hand-off to one target of its service's definition.

    Written in the transaction of the event that calls for it (unique per application
    and target, so an event announced twice makes one row). ``state`` moves as
    ``app.handoff.states`` allows; ``attempts`` counts the claims of the current round
    (``round`` starts at 1 and grows with each "send again"), and also tells a worker
    whether the row is still its own. ``lease_until``: a worker's claim ends then (a
    worker that died leaves it behind). ``progress``: what the backend recorded during
    attempts, so the next attempt resumes. ``label`` and ``settings`` are the target's
    as the definition gave them when the row was written.
    """

    application = peewee.ForeignKeyField(Application, backref="handoffs", on_delete="CASCADE")
    service_id = peewee.CharField(max_length=64)
    target_id = peewee.CharField(max_length=40)
    backend = peewee.CharField(max_length=64)
    moment = peewee.CharField(max_length=16)
    label = JSONField(default=dict)
    settings = JSONField(default=dict)
    state = peewee.CharField(max_length=16, default="pending")
    round = peewee.IntegerField(default=1)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(null=True)
    lease_until = peewee.DateTimeField(null=True)
    progress = JSONField(default=dict)
    remote_id = peewee.CharField(max_length=200, default="")
    problems = JSONField(default=list)
    last_error = peewee.CharField(max_length=500, default="")
    created_at = now_default()
    updated_at = now_default()
    sent_at = peewee.DateTimeField(null=True)
    finished_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("application", "target_id"), True),
            (("state", "next_attempt_at"), False),
        )

    @property
    def key(self) -> str:
        """The idempotency key receivers see: the same on every attempt of a round."""
        base = f"{self.application_id}.{self.target_id}"
        return base if self.round <= 1 else f"{base}-{self.round}"
