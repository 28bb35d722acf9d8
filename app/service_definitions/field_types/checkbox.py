"""``checkbox``: yes or no; a required checkbox must be ticked."""

from __future__ import annotations

from typing import Any

from app.i18n import translate
from app.service_definitions.errors import Issue, issue
from app.service_definitions.field_types.base import Context, FieldType


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


CHECKBOX = FieldType(
    name="checkbox",
    options={},
    cleaner=clean_checkbox,
    answer_schema=lambda field: {"type": "boolean"},
    missing=_missing,
    fulfils_required=lambda value: value is True,
    display=_display,
)
