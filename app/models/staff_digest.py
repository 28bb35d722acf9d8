"""The clerks' daily digest: one record per clerk and day."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, now_default
from app.models.notifications import NotificationMail


class StaffDigest(BaseModel):
    """A clerk's digest of one day (unique per clerk and day: it is made once).

    ``until`` is the moment the digest looked at; the next one reports cases that
    came in after it. ``mail`` is empty when there was nothing to report.
    """

    user = peewee.ForeignKeyField(User, backref="staff_digests", on_delete="CASCADE")
    day = peewee.DateField()
    until = peewee.DateTimeField()
    new_count = peewee.IntegerField()
    overdue_count = peewee.IntegerField()
    mail = peewee.ForeignKeyField(NotificationMail, null=True, on_delete="SET NULL")
    created_at = now_default()

    class Meta:
        indexes = ((("user", "day"), True),)
