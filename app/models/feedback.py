"""Feedback from citizens, e.g. barriers reported from the accessibility statement, and
the administration's replies by e-mail."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, now_default


class Feedback(BaseModel):
    kind = peewee.CharField(max_length=20)  # accessibility | general
    message = peewee.TextField()
    email = peewee.CharField(max_length=254, null=True)
    page = peewee.CharField(max_length=500, default="")
    locale = peewee.CharField(max_length=5, default="de")
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = now_default()
    # new | answered | closed (app.feedback.STATUSES)
    status = peewee.CharField(max_length=10, default="new", index=True)
    # When it was closed; empty while new or answered.
    handled_at = peewee.DateTimeField(null=True)


class FeedbackReply(BaseModel):
    """One reply mailed to the citizen who gave an address, as the admin wrote it."""

    feedback = peewee.ForeignKeyField(Feedback, backref="replies", on_delete="CASCADE")
    author = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    subject = peewee.CharField(max_length=200)
    body = peewee.TextField()
    sent_to = peewee.CharField(max_length=254)
    locale = peewee.CharField(max_length=5, default="de")
    created_at = now_default()
    # The client's Idempotency-Key: a retried request finds this reply, sends nothing.
    idempotency_key = peewee.CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("feedback", "idempotency_key"), True),)
