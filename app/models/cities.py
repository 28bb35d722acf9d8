"""Which city package a database serves (one row, written at the first start)."""

from __future__ import annotations

import peewee

from app.models.base import BaseModel, now_default


class PortalCity(BaseModel):
    """The city a database was started for: its built-in services, zones, streets and
    demo data are that city's, so a start for another city is refused."""

    slug = peewee.CharField(max_length=60, unique=True)
    bound_at = now_default()

    class Meta:
        table_name = "portal_city"
