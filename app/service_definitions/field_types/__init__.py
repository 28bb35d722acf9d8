"""Field types of service definitions: one module per type (or small family), one registry.

``FIELD_TYPES`` is the single source: the definition schema's ``$defs/field`` is composed
from it (``schema.field_schema``), the semantic checks, the validator, the loader's
defaults and the draft prefill read it. To add a type, write its module, declare one
``FieldType`` and list it in ``_DECLARED`` (see the package README for the PWA's part).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from app.service_definitions.errors import Issue
from app.service_definitions.field_types.address import ADDRESS
from app.service_definitions.field_types.base import (
    AnswerSchema,
    Check,
    Cleaner,
    Context,
    FieldType,
    Problem,
    is_empty,
    single_line,
)
from app.service_definitions.field_types.checkbox import CHECKBOX
from app.service_definitions.field_types.choice import RADIO, SELECT
from app.service_definitions.field_types.contact import EMAIL, PHONE
from app.service_definitions.field_types.dates import DATE, parse_date
from app.service_definitions.field_types.files import FILE
from app.service_definitions.field_types.iban import IBAN_FIELD
from app.service_definitions.field_types.licence_plate import LICENCE_PLATE
from app.service_definitions.field_types.number import NUMBER
from app.service_definitions.field_types.repeat import REPEAT
from app.service_definitions.field_types.schema import COMMON_OPTIONS
from app.service_definitions.field_types.text import MAX_LENGTH_LIMIT, TEXT, TEXTAREA

# The order is the order of the schema's type enum (and of its error messages).
_DECLARED: tuple[FieldType, ...] = (
    TEXT,
    TEXTAREA,
    NUMBER,
    DATE,
    SELECT,
    RADIO,
    CHECKBOX,
    EMAIL,
    PHONE,
    IBAN_FIELD,
    LICENCE_PLATE,
    ADDRESS,
    FILE,
    REPEAT,
)


def _registry(declared: tuple[FieldType, ...]) -> MappingProxyType[str, FieldType]:
    registry: dict[str, FieldType] = {}
    sources: dict[str, str] = {}
    for field_type in declared:
        if field_type.name in registry:
            raise ValueError(f"field type {field_type.name!r} is declared twice")
        for source in field_type.prefill_sources:
            if source in sources:
                raise ValueError(f"prefill source {source!r} fills {sources[source]!r} already")
            sources[source] = field_type.name
        registry[field_type.name] = field_type
    return MappingProxyType(registry)


FIELD_TYPES = _registry(_DECLARED)

# Derived views for readers that need one aspect of every type.
OPTIONS_BY_TYPE: dict[str, frozenset[str]] = {
    name: frozenset(field_type.options) for name, field_type in FIELD_TYPES.items()
}
PREFILL_TYPES: dict[str, str] = {
    source: name
    for name, field_type in FIELD_TYPES.items()
    for source in field_type.prefill_sources
}
CLEANERS: dict[str, Cleaner] = {
    name: field_type.cleaner
    for name, field_type in FIELD_TYPES.items()
    if field_type.cleaner is not None
}


def field_type(name: str) -> FieldType:
    """The registered type called ``name`` (a loaded definition only names registered ones)."""
    return FIELD_TYPES[name]


def missing(field: dict[str, Any], path: str) -> list[Issue]:
    """The problems of a required ``field`` left empty, as its type words them."""
    return FIELD_TYPES[field["type"]].missing(field, path)


def answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of the answer stored for ``field`` once cleaned."""
    schema = FIELD_TYPES[field["type"]].answer_schema(field)
    members = field.get("fields")
    if members:
        # A group (repeat): each item holds its members' answers.
        schema["items"]["properties"] = {member["id"]: answer_schema(member) for member in members}
    return schema


__all__ = [
    "CLEANERS",
    "COMMON_OPTIONS",
    "FIELD_TYPES",
    "MAX_LENGTH_LIMIT",
    "OPTIONS_BY_TYPE",
    "PREFILL_TYPES",
    "AnswerSchema",
    "Check",
    "Cleaner",
    "Context",
    "FieldType",
    "Problem",
    "answer_schema",
    "field_type",
    "is_empty",
    "missing",
    "parse_date",
    "single_line",
]
