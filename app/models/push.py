"""Web Push: the citizens' devices, the delivery log and admin broadcasts."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.applications import new_id
from app.models.base import BaseModel, JSONField, now_default


class PushSubscription(BaseModel):
    """One device (browser profile) that receives push messages for a user.

    The endpoint is a bearer capability for the device: it is never logged and never
    leaves the server except to its own push service. ``failures`` counts permanent
    refusals in a row; a delivery resets it.
    """

    id = peewee.CharField(max_length=24, primary_key=True, default=new_id)
    user = peewee.ForeignKeyField(User, backref="push_subscriptions", on_delete="CASCADE")
    endpoint = peewee.CharField(max_length=2048, unique=True)
    p256dh = peewee.CharField(max_length=100)
    auth = peewee.CharField(max_length=32)
    label = peewee.CharField(max_length=80, default="")
    language = peewee.CharField(max_length=5, default="de")
    topics = JSONField(default=list)
    created_at = now_default()
    updated_at = now_default()
    last_success_at = peewee.DateTimeField(null=True)
    failures = peewee.IntegerField(default=0)

    class Meta:
        table_name = "push_subscription"

    @property
    def info(self) -> dict[str, object]:
        """``{"endpoint", "keys"}`` as the transports take it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushDelivery(BaseModel):
    """One attempt to send one notification to one device.

    ``(notification, subscription, attempt)`` is unique: an attempt is claimed by
    inserting its row before anything is sent, so a job that runs twice finds the
    row and sends nothing. The row stays (subscription set to NULL) when the device
    is removed, so the log keeps every attempt.
    """

    subscription = peewee.ForeignKeyField(
        PushSubscription, null=True, on_delete="SET NULL", backref="deliveries"
    )
    notification = peewee.CharField(max_length=64)
    topic = peewee.CharField(max_length=32, default="")
    attempt = peewee.IntegerField()
    # sending | delivered | retry | gone | failed | superseded | expired
    outcome = peewee.CharField(max_length=16)
    status_code = peewee.IntegerField(null=True)
    reason = peewee.CharField(max_length=200, default="")
    at = now_default()

    class Meta:
        table_name = "push_delivery"
        indexes = (
            (("notification", "subscription", "attempt"), True),
            (("subscription", "topic"), False),
            (("at",), False),
        )


class PushBroadcast(BaseModel):
    """A message an admin sent to every device that opted into ``topic``."""

    topic = peewee.CharField(max_length=32)
    title = JSONField()
    body = JSONField()
    url = peewee.CharField(max_length=200)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = now_default()
    devices = peewee.IntegerField(default=0)
    finished_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "push_broadcast"
