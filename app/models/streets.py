"""The city's street directory as imported by admins (one row per import)."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, JSONField, now_default


class StreetDirectoryVersion(BaseModel):
    """One complete street directory; the newest row is the one addresses are checked against.

    Each import stores the whole list (a few thousand streets at most), so applying an
    import is a single insert and every process sees the new list with its next look-up.
    """

    city = peewee.CharField(max_length=100)
    streets = JSONField()  # [{name, postal_code, code, ranges: [{from, to, zone}]}]
    street_count = peewee.IntegerField()
    file_name = peewee.CharField(max_length=200, default="")
    summary = JSONField(default=dict)  # counts of the import report
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = now_default()

    class Meta:
        table_name = "street_directory_version"
