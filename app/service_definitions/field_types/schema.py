"""The definition schema's ``$defs/field``, composed from the field type registry.

Every option any type accepts is listed once in ``properties`` (so a typo is an
"Additional properties" error, as for every other object of the schema); one
``if``/``then`` branch per type requires the type's required options and forbids the
options of other types, so an option given to the wrong type fails at its own path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jsonschema

from app.service_definitions.field_types.base import FieldType

# The keys every field may have besides its type's options, with their JSON schema;
# ``type`` and ``prefill`` list what the registry knows.
_COMMON: dict[str, dict[str, Any]] = {
    "id": {"$ref": "#/$defs/slug"},
    "type": {},
    "label": {"$ref": "#/$defs/text"},
    "hint": {"$ref": "#/$defs/text"},
    "required": {"type": "boolean"},
    "visible_if": {"$ref": "#/$defs/condition"},
    "prefill": {},
}
COMMON_OPTIONS = frozenset(_COMMON)


def _option_schemas(types: Iterable[FieldType]) -> dict[str, dict[str, Any]]:
    schemas: dict[str, dict[str, Any]] = {}
    declared_by: dict[str, str] = {}
    for field_type in types:
        for option, schema in field_type.options.items():
            if option in COMMON_OPTIONS:
                raise ValueError(f"field type {field_type.name!r}: {option!r} is a common key")
            # One option name means one thing: a type that needs another shape names
            # its option differently, so the schema can list each option once.
            if option in schemas and schemas[option] != schema:
                raise ValueError(
                    f"field type {field_type.name!r} declares {option!r} unlike "
                    f"{declared_by[option]!r}"
                )
            schemas.setdefault(option, schema)
            declared_by.setdefault(option, field_type.name)
    return schemas


def _prefill_sources(types: Iterable[FieldType]) -> list[str]:
    # Listed by where they come from (all of the profile, then the ID card), so the
    # enum reads like the README's list.
    sources = [source for field_type in types for source in field_type.prefill_sources]
    origins = list(dict.fromkeys(source.split(".")[0] for source in sources))
    return sorted(sources, key=lambda source: origins.index(source.split(".")[0]))


def _branch(field_type: FieldType, all_options: Iterable[str]) -> dict[str, Any]:
    then: dict[str, Any] = {}
    if field_type.required_options:
        then["required"] = list(field_type.required_options)
    foreign = [option for option in all_options if option not in field_type.options]
    if foreign:
        # ``{"not": {}}`` rather than ``false``: validators report it at the option's path.
        then["properties"] = {option: {"not": {}} for option in foreign}
    return {
        "if": {"properties": {"type": {"const": field_type.name}}, "required": ["type"]},
        "then": then,
    }


def field_schema(types: Mapping[str, FieldType]) -> dict[str, Any]:
    """The JSON schema of one field, for the types in ``types`` (in their order)."""
    options = _option_schemas(types.values())
    sources = _prefill_sources(types.values())
    common = dict(_COMMON, type={"enum": list(types)}, prefill={"enum": sources})
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "type", "label"],
        "properties": {**common, **options},
        "allOf": [_branch(field_type, options) for field_type in types.values()],
    }


def forbidden_for_type(error: jsonschema.ValidationError, data: Any) -> str | None:
    """The field type whose branch forbids the option ``error`` is about, or None when
    the error is not an option given to the wrong type."""
    forbidden = error.validator == "not" and error.validator_value == {}
    if not forbidden or not error.absolute_path:
        return None
    parent = data
    for key in list(error.absolute_path)[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and isinstance(parent.get("type"), str):
        return parent["type"]
    return None


def describe(error: jsonschema.ValidationError, data: Any) -> str:
    """The message for a schema error in ``data``; options of another type say so plainly."""
    field_type = forbidden_for_type(error, data)
    if field_type is None:
        return error.message
    return f"not allowed for a field of type {field_type!r}"
