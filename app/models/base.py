"""Base model and shared field types."""

from __future__ import annotations

import json
from typing import Any

import peewee

from app.db import db, utcnow


class JSONField(peewee.TextField):
    """JSON stored as text, so SQLite and PostgreSQL behave the same."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(peewee.Model):
    """Every table uses the global database proxy."""

    class Meta:
        database = db
        legacy_table_names = False


def now_default() -> peewee.DateTimeField:
    """A timestamp column that defaults to the current UTC time."""
    return peewee.DateTimeField(default=utcnow)
