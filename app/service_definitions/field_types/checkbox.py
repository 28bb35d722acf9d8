"""``checkbox``: yes or no; a required checkbox must be ticked."""

from __future__ import annotations

from typing import Any

from app.i18n import translate
from app.service_definitions.errors import Issue, issue
from app.service_definitions.field_types.base import (
    VALUE_OPERATORS,
    Context,
    FieldType,
    Problem,
    no_date_operators,
)
from app.service_definitions.problems import problem


def clean_checkbox(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """``true`` or ``false`` (also as the strings forms send)."""
    if isinstance(value, bool):
        return value, []
    if value in ("true", "false"):
        return value == "true", []
    return None, [issue(path, "invalid_value")]


def _missing(field: dict[str, Any], path: str) -> list[Issue]:
    return [issue(path, "must_accept")]


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    return translate("applications.yes" if value else "applications.no", locale)


def _condition_check(
    node: dict[str, Any], path: str, operator: str, field: dict[str, Any]
) -> list[Problem]:
    if operator in VALUE_OPERATORS:
        return [problem(f"{path}.{operator}", "checkbox_is_true")]
    return no_date_operators(node, path, operator, field)


CHECKBOX = FieldType(
    name="checkbox",
    options={},
    cleaner=clean_checkbox,
    answer_schema=lambda field: {"type": "boolean"},
    missing=_missing,
    fulfils_required=lambda value: value is True,
    condition_check=_condition_check,
    display=_display,
)
