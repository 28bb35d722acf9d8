"""``date``: a calendar day within bounds relative to today, stored as ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.service_definitions import relative_dates
from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import (
    DATE_OPERATORS,
    Context,
    FieldType,
    Problem,
    operators_for,
)
from app.service_definitions.model import FieldInfo
from app.service_definitions.problems import problem

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Relative bounds are compared on a fixed day so the result of loading a definition
# does not depend on when it happens.
_REFERENCE_DAY = date(2024, 1, 10)


def parse_date(value: Any) -> date | None:
    """Read ``YYYY-MM-DD`` (what date inputs send) or ``TT.MM.JJJJ``; ``None`` otherwise."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        match = _GERMAN_DATE.match(text)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return None


def clean_date(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """A calendar date within ``min_date``/``max_date`` (relative to today); stored as ISO."""
    day = parse_date(value)
    if day is None:
        return None, [issue(path, "date.invalid")]
    if "min_date" in field:
        bound = relative_dates.resolve(field["min_date"], ctx.today)
        if day < bound:
            return None, [issue(path, "date.too_early", min_date=bound.isoformat())]
    if "max_date" in field:
        bound = relative_dates.resolve(field["max_date"], ctx.today)
        if day > bound:
            return None, [issue(path, "date.too_late", max_date=bound.isoformat())]
    return day.isoformat(), []


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    except (TypeError, ValueError):
        return str(value)


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _check(info: FieldInfo) -> list[Problem]:
    field, path = info.field, info.path
    problems = []
    bounds = {}
    for key in ("min_date", "max_date"):
        if key in field:
            try:
                bounds[key] = relative_dates.resolve(field[key], _REFERENCE_DAY)
            except ValueError as exc:
                problems.append(problem(f"{path}.{key}", "date_bound_invalid", problem=str(exc)))
    if len(bounds) == 2 and bounds["min_date"] > bounds["max_date"]:
        problems.append(problem(f"{path}.min_date", "min_date_after_max_date"))
    return problems


DATE = FieldType(
    name="date",
    options={
        "min_date": {"$ref": "#/$defs/date_bound"},
        "max_date": {"$ref": "#/$defs/date_bound"},
    },
    cleaner=clean_date,
    answer_schema=_answer_schema,
    prefill_sources=("profile.birth_date", "eid.birth_date"),
    check=_check,
    condition_check=operators_for(DATE_OPERATORS),
    display=_display,
)
