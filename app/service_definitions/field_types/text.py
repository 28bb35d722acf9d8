"""``text`` (one line) and ``textarea`` (several lines): length and, for text, a pattern."""

from __future__ import annotations

import re
from typing import Any

from app.service_definitions.errors import Issue, issue
from app.service_definitions.field_types.base import (
    TEXT_OPERATORS,
    Context,
    FieldType,
    Problem,
    message_problems,
    multi_line,
    operators_for,
    ordered,
    single_line,
)
from app.service_definitions.model import FieldInfo
from app.service_definitions.problems import problem

DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000}
# The longest text any field may allow; drafts refuse longer answers outright.
MAX_LENGTH_LIMIT = 20_000

_LENGTH_OPTIONS = {
    "min_length": {"type": "integer", "minimum": 0},
    "max_length": {"type": "integer", "minimum": 1, "maximum": MAX_LENGTH_LIMIT},
}


def _check_text(field: dict[str, Any], text: str, path: str) -> tuple[Any, list[Issue]]:
    min_length = field.get("min_length")
    max_length = field.get("max_length", DEFAULT_MAX_LENGTH[field["type"]])
    if min_length is not None and len(text) < min_length:
        return None, [issue(path, "text.too_short", min_length=min_length)]
    if len(text) > max_length:
        return None, [issue(path, "text.too_long", max_length=max_length)]
    pattern = field.get("pattern")
    if pattern is not None and re.fullmatch(pattern, text) is None:
        return None, [Issue(path, "text.pattern", {}, field.get("pattern_message"))]
    return text, []


def clean_text(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """One line of text: whitespace collapsed, length and pattern checked."""
    if not isinstance(value, str):
        return None, [issue(path, "invalid_value")]
    return _check_text(field, single_line(value), path)


def clean_textarea(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """Several lines of text: line breaks kept, length checked."""
    if not isinstance(value, str):
        return None, [issue(path, "invalid_value")]
    return _check_text(field, multi_line(value), path)


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "string",
        "maxLength": field.get("max_length", DEFAULT_MAX_LENGTH[field["type"]]),
    }
    if "min_length" in field:
        schema["minLength"] = field["min_length"]
    return schema


def _check_length(info: FieldInfo) -> list[Problem]:
    return ordered(info.field, info.path, "min_length", "max_length")


def _check_text_field(info: FieldInfo) -> list[Problem]:
    field, path = info.field, info.path
    problems = _check_length(info)
    if "pattern" in field:
        try:
            re.compile(field["pattern"])
        except re.error as exc:
            problems.append(problem(f"{path}.pattern", "pattern_invalid", problem=str(exc)))
    if "pattern_message" in field:
        problems += message_problems(field["pattern_message"], f"{path}.pattern_message")
    return problems


TEXT = FieldType(
    name="text",
    options={
        **_LENGTH_OPTIONS,
        "pattern": {"type": "string", "minLength": 1},
        "pattern_message": {"$ref": "#/$defs/message"},
    },
    cleaner=clean_text,
    answer_schema=_answer_schema,
    prefill_sources=(
        "profile.given_names",
        "profile.family_name",
        "eid.given_names",
        "eid.family_name",
    ),
    check=_check_text_field,
    condition_check=operators_for(TEXT_OPERATORS),
)

TEXTAREA = FieldType(
    name="textarea",
    options=_LENGTH_OPTIONS,
    cleaner=clean_textarea,
    answer_schema=_answer_schema,
    check=_check_length,
    condition_check=operators_for(TEXT_OPERATORS),
)
