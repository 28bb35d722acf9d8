"""What a citizen wants to be told by which channel, and every notification mail sent."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, now_default


class NotificationPreference(BaseModel):
    """The citizen's channels; an account without a row gets the defaults (both on)."""

    user = peewee.ForeignKeyField(
        User, primary_key=True, backref="notification_preference", on_delete="CASCADE"
    )
    email = peewee.BooleanField(default=True)
    push = peewee.BooleanField(default=True)
    updated_at = now_default()


class NotificationMail(BaseModel):
    """One notification mail to one citizen about one event.

    ``key`` names the event and the recipient (unique): an event announced twice
    makes one row, and the job that sends it claims the row before sending, so a
    retried or repeated job sends nothing twice. ``state``: ``queued`` → ``sending``
    → ``sent``; ``retry`` after a failed attempt, ``failed`` after the last one.
    """

    key = peewee.CharField(max_length=100, unique=True)
    user = peewee.ForeignKeyField(User, backref="notification_mails", on_delete="CASCADE")
    kind = peewee.CharField(max_length=32)
    subject = peewee.CharField(max_length=200)
    body = peewee.TextField()
    state = peewee.CharField(max_length=16, default="queued")
    attempts = peewee.IntegerField(default=0)
    created_at = now_default()
    sent_at = peewee.DateTimeField(null=True)
