"""``number``: whole numbers unless ``integer: false``; a decimal comma is accepted."""

from __future__ import annotations

import math
import re
from typing import Any

from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import (
    NUMBER_OPERATORS,
    Context,
    FieldType,
    Problem,
    operators_for,
    ordered,
)
from app.service_definitions.model import FieldInfo

_NUMBER = re.compile(r"^[+-]?\d{1,15}(?:[.,]\d{1,10})?$")


def clean_number(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """A number, also as text with a decimal comma; whole numbers unless ``integer: false``."""
    number: float | int
    if isinstance(value, bool):
        return None, [issue(path, "number.invalid")]
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str) and _NUMBER.match(value.strip()):
        text = value.strip().replace(",", ".")
        number = float(text) if "." in text else int(text)
    else:
        return None, [issue(path, "number.invalid")]
    if isinstance(number, float) and not math.isfinite(number):
        return None, [issue(path, "number.invalid")]
    if field.get("integer", True):
        if number != int(number):
            return None, [issue(path, "number.not_integer")]
        number = int(number)
    if "min" in field and number < field["min"]:
        return None, [issue(path, "number.too_small", min=field["min"])]
    if "max" in field and number > field["max"]:
        return None, [issue(path, "number.too_large", max=field["max"])]
    return number, []


def bounded(schema: dict[str, Any], field: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the field's ``min`` and ``max`` as JSON Schema bounds."""
    if "min" in field:
        schema["minimum"] = field["min"]
    if "max" in field:
        schema["maximum"] = field["max"]
    return schema


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    return bounded({"type": "integer" if field.get("integer", True) else "number"}, field)


def _check(info: FieldInfo) -> list[Problem]:
    return ordered(info.field, info.path, "min", "max")


NUMBER = FieldType(
    name="number",
    options={"min": {"type": "number"}, "max": {"type": "number"}, "integer": {"type": "boolean"}},
    defaults={"integer": True},
    cleaner=clean_number,
    answer_schema=_answer_schema,
    check=_check,
    condition_check=operators_for(NUMBER_OPERATORS),
)
