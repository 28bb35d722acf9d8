"""``select`` and ``radio``: one of the field's options, stored as the option's value."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import (
    VALUE_OPERATORS,
    Context,
    FieldType,
    Problem,
    localised,
    no_date_operators,
)
from app.service_definitions.model import FieldInfo
from app.service_definitions.problems import problem


def clean_option(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """One of the field's option values (select and radio)."""
    if isinstance(value, str) and value in {option["value"] for option in field["options"]}:
        return value, []
    return None, [issue(path, "option.invalid")]


def _condition_check(
    node: dict[str, Any], path: str, operator: str, field: dict[str, Any]
) -> list[Problem]:
    if operator not in VALUE_OPERATORS:
        return no_date_operators(node, path, operator, field)
    values = node[operator] if operator == "in" else [node[operator]]
    known = {option["value"] for option in field.get("options") or []}
    unknown = [value for value in values if value not in known]
    if unknown:
        return [problem(f"{path}.{operator}", "not_an_option", values=unknown, id=field["id"])]
    return []


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    for option in field.get("options", []):
        if option["value"] == value:
            return localised(option["label"], locale)
    return str(value)


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    return {"type": "string", "enum": [option["value"] for option in field.get("options", [])]}


def _check(info: FieldInfo) -> list[Problem]:
    path = info.path
    options = info.field.get("options") or []
    if not options:
        return [problem(f"{path}.options", "choice_without_options")]
    problems = []
    seen: set[str] = set()
    for index, option in enumerate(options):
        if option["value"] in seen:
            problems.append(
                problem(
                    f"{path}.options[{index}].value",
                    "duplicate_option_value",
                    value=option["value"],
                )
            )
        seen.add(option["value"])
    return problems


_OPTIONS = {"options": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/option"}}}

SELECT = FieldType(
    name="select",
    options=_OPTIONS,
    required_options=("options",),
    cleaner=clean_option,
    answer_schema=_answer_schema,
    check=_check,
    condition_check=_condition_check,
    display=_display,
)

# The same choice, shown as radio buttons instead of a list.
RADIO = replace(SELECT, name="radio")
