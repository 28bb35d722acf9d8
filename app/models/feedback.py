"""Feedback from citizens, e.g. barriers reported from the accessibility statement."""

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
    handled_at = peewee.DateTimeField(null=True)
