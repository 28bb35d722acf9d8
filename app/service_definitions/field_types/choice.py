"""``select`` and ``radio``: one of the field's options, stored as the option's value.

The options are the field's own (``options``) or come from data through a registered
option source (``options_from: kita_facilities``, ``plugins.OptionSource``): then an
answer is checked against the source's options at that moment, and summaries name a
stored value by the source's label even once it may no longer be chosen.
"""

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
from app.service_definitions.plugins import option_sources
from app.service_definitions.problems import problem


def current_options(field: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of a choice field now: its own, or its source's current ones."""
    if field.get("options_from"):
        return option_sources.get(field["options_from"]).options()
    return field.get("options") or []


def clean_option(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """One of the field's option values (select and radio); a value of an option source
    that is no longer offered (a form loaded before it changed) says so."""
    if isinstance(value, str) and value in {option["value"] for option in current_options(field)}:
        return value, []
    if field.get("options_from"):
        return None, [issue(path, "option.unavailable")]
    return None, [issue(path, "option.invalid")]


def _condition_check(
    node: dict[str, Any], path: str, operator: str, field: dict[str, Any]
) -> list[Problem]:
    if operator not in VALUE_OPERATORS:
        return no_date_operators(node, path, operator, field)
    if field.get("options_from"):
        # The source's values change with its data; a condition may name any of them.
        return []
    values = node[operator] if operator == "in" else [node[operator]]
    known = {option["value"] for option in field.get("options") or []}
    unknown = [value for value in values if value not in known]
    if unknown:
        return [problem(f"{path}.{operator}", "not_an_option", values=unknown, id=field["id"])]
    return []


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    if field.get("options_from") and isinstance(value, str):
        label = option_sources.get(field["options_from"]).label(value)
        return localised(label, locale) if label else str(value)
    for option in field.get("options", []):
        if option["value"] == value:
            return localised(option["label"], locale)
    return str(value)


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    if field.get("options_from"):
        # The values change with the source's data, the schema with the version only.
        return {"type": "string", "description": f"a value of {field['options_from']}"}
    return {"type": "string", "enum": [option["value"] for option in field.get("options", [])]}


def _check(info: FieldInfo) -> list[Problem]:
    path = info.path
    options = info.field.get("options") or []
    if "options_from" in info.field:
        # The source's name is checked with the other plugin names (``plugins``).
        if "options" in info.field:
            return [problem(f"{path}.options_from", "choice_options_twice")]
        return []
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


_OPTIONS = {
    "options": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/option"}},
    "options_from": {"$ref": "#/$defs/slug"},
}

SELECT = FieldType(
    name="select",
    options=_OPTIONS,
    cleaner=clean_option,
    answer_schema=_answer_schema,
    check=_check,
    condition_check=_condition_check,
    display=_display,
)

# The same choice, shown as radio buttons instead of a list.
RADIO = replace(SELECT, name="radio")
