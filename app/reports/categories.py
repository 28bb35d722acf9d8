"""Report categories: the city's defaults from ``data/categories.yaml``, then the table
admins edit. Each names the staff area (department) whose clerks work its reports."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import peewee
import yaml

from app.db import db
from app.errors import DomainError, FieldError
from app.models import ReportCategory

DEFAULTS_FILE = Path(__file__).parent / "data" / "categories.yaml"
EDITABLE = (
    "name_de",
    "name_en",
    "description_de",
    "description_en",
    "group",
    "keywords",
    "department",
    "position",
    "active",
)


@cache
def defaults() -> tuple[dict[str, Any], ...]:
    """The shipped categories as rows of the table."""
    rows = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return tuple(
        {
            "code": row["code"],
            "name_de": row["name"]["de"],
            "name_en": row["name"]["en"],
            "description_de": row["description"]["de"],
            "description_en": row["description"]["en"],
            "group": row["group"],
            "keywords": row["keywords"],
            "department": row["department"],
            "position": index,
        }
        for index, row in enumerate(rows)
    )


def ensure_defaults() -> None:
    """Fill an empty table with the city's defaults (a no-op once there are any)."""
    if ReportCategory.select().exists():
        return
    try:
        with db.atomic():
            ReportCategory.insert_many(list(defaults())).execute()
    except peewee.IntegrityError:
        # Another process filled it at the same moment.
        pass


def listed(active_only: bool = True) -> list[ReportCategory]:
    """The categories in their order (active ones only unless said otherwise)."""
    ensure_defaults()
    query = ReportCategory.select().order_by(ReportCategory.position, ReportCategory.id)
    if active_only:
        query = query.where(ReportCategory.active == True)  # noqa: E712
    return list(query)


def by_code(code: str) -> ReportCategory | None:
    """The category with this Open311 service code, active or not."""
    ensure_defaults()
    return ReportCategory.get_or_none(ReportCategory.code == code)


def name(category: ReportCategory, locale: str) -> str:
    """The category's name in ``locale`` (German otherwise)."""
    return category.name_en if locale == "en" else category.name_de


def as_dict(category: ReportCategory) -> dict[str, Any]:
    """The category with every field, for lists and the admin console."""
    return {"id": category.id, "code": category.code, **{f: getattr(category, f) for f in EDITABLE}}


def save(code: str, values: dict[str, Any]) -> ReportCategory:
    """Create the category ``code`` or change it (admins)."""
    ensure_defaults()
    if not values.get("department"):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("department", "report_department_needed")]
        )
    found = ReportCategory.get_or_none(ReportCategory.code == code)
    if found is None:
        return ReportCategory.create(code=code, **values)
    ReportCategory.update(**values).where(ReportCategory.id == found.id).execute()
    return ReportCategory.get_by_id(found.id)
