"""The trade register (Gewerberegister): businesses notified through the portal."""

from __future__ import annotations

import peewee

from app.models.base import BaseModel, JSONField, now_default


class BusinessRegisterEntry(BaseModel):
    """One business as the trade office records it (§ 14 GewO).

    A decided registration creates the entry; a decided change updates it (address,
    activity) and a decided closing sets ``end_date`` and ``status`` ``closed``. Each
    of those appends to ``history`` (kind, application reference, date). ``number`` is
    what the acknowledgement prints (``G-2026-00001``).
    """

    number = peewee.CharField(max_length=12, unique=True)
    status = peewee.CharField(max_length=8, default="active")  # active | closed
    name = peewee.CharField(max_length=200)
    trade_name = peewee.CharField(max_length=200, default="")
    legal_form = peewee.CharField(max_length=32)
    street = peewee.CharField(max_length=200)
    house_number = peewee.CharField(max_length=20)
    postal_code = peewee.CharField(max_length=10, default="")
    city = peewee.CharField(max_length=100, default="")
    activity = peewee.TextField()
    start_date = peewee.DateField(null=True)
    end_date = peewee.DateField(null=True)
    closing_reason = peewee.CharField(max_length=32, default="")
    persons = JSONField(default=list)
    branches = JSONField(default=list)
    history = JSONField(default=list)
    application_id = peewee.CharField(max_length=64, null=True)
    created_at = now_default()
    updated_at = now_default()

    class Meta:
        table_name = "business_register_entry"
