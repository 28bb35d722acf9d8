"""``repeat``: a group of fields filled in once per item (dogs, vehicles).

The validator cleans a group's answers member by member, so the type has no cleaner of
its own; groups do not nest and count their items with ``min_items``/``max_items``.
"""

from __future__ import annotations

from typing import Any

from app.service_definitions.field_types.base import FieldType, Problem, ordered
from app.service_definitions.model import FieldInfo
from app.service_definitions.problems import problem


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    # The members' schemas are filled in by ``field_types.answer_schema``, which knows
    # every type; a group only says how its items are held.
    return {
        "type": "array",
        "minItems": field.get("min_items", 0),
        "maxItems": field["max_items"],
        "items": {"type": "object", "additionalProperties": False, "properties": {}},
    }


def _check(info: FieldInfo) -> list[Problem]:
    field, path = info.field, info.path
    problems = []
    if info.parent is not None:
        problems.append(problem(f"{path}.type", "repeat_nested"))
    for key in ("required", "prefill"):
        if key in field:
            problems.append(problem(f"{path}.{key}", "repeat_use_min_items"))
    return problems + ordered(field, path, "min_items", "max_items")


REPEAT = FieldType(
    name="repeat",
    options={
        "min_items": {"type": "integer", "minimum": 0},
        "max_items": {"type": "integer", "minimum": 1, "maximum": 100},
        "item_label": {"$ref": "#/$defs/text"},
        "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/field"}},
    },
    required_options=("fields", "max_items", "item_label"),
    defaults={"min_items": 0},
    cleaner=None,
    answer_schema=_answer_schema,
    check=_check,
    holds_fields=True,
)
