"""Base model and shared field types."""

from __future__ import annotations

import json
from typing import Any

import orjson
import peewee

from app.db import db, utcnow


class JSONField(peewee.TextField):
    """JSON stored as text, so SQLite and PostgreSQL behave the same."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value: str | None) -> Any:
        if value is None:
            return None
        # orjson reads the same documents several times faster (lists read a JSON
        # column per row); what it refuses and json wrote (NaN, integers beyond 64
        # bits) is read as before.
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return json.loads(value)


class BaseModel(peewee.Model):
    """Every table uses the global database proxy."""

    class Meta:
        database = db
        legacy_table_names = False


def now_default() -> peewee.DateTimeField:
    """A timestamp column that defaults to the current UTC time."""
    return peewee.DateTimeField(default=utcnow)
