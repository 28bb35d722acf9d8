"""The parts a service definition is built from, for the console editor's pickers: field
types with their options, condition operators, fee rule kinds, payment policies,
workflows, registered plugins, hand-off backends and moments, prefill sources, areas and
categories.

Everything is read from where it is declared (the field type registry, the definition
schema, the named workflows, the plugin registries, the stored versions), so a new field
type, operator or plugin shows up here without a change to this module. Labels come from
the catalogues (``app/locales/*/parts.json``) or from the plugin classes themselves.
"""

from __future__ import annotations

import copy
from typing import Any

from app.handoff.base import MOMENTS, REGISTRY
from app.i18n import LOCALES, catalogue
from app.languages import BASE_LANGUAGES
from app.models import ServiceDefinitionRecord
from app.service_definitions import plugins
from app.service_definitions.conditions import LEAF_OPERATORS
from app.service_definitions.field_types import FIELD_TYPES, FieldType
from app.service_definitions.loader import schema, workflow_templates
from app.service_definitions.semantics import allowed_operators


def _label(key: str, fallback: str) -> dict[str, str]:
    # A name without a text in a catalogue (a city's own workflow) reads as itself.
    return {lang: catalogue(lang).get(key) or fallback for lang in LOCALES}


def _enum(*path: str) -> list[Any]:
    node: Any = schema()
    for key in path:
        node = node[key]
    return list(node["enum"])


# A field as small as the schema allows, to ask a type what answer it stores.
_SAMPLE_OPTIONS = {"options": [], "max_items": 1, "accept": [], "max_size_bytes": 1, "fields": []}


def _answer_kind(field_type: FieldType) -> str:
    """What a field of the type stores, in words a rule editor understands: ``text``,
    ``number``, ``date``, ``choice``, ``boolean``, ``object``, ``files`` or ``items``."""
    sample = {"id": "x", "type": field_type.name, **_SAMPLE_OPTIONS, **field_type.defaults}
    answer = field_type.answer_schema(sample)
    kind = answer.get("type")
    if field_type.holds_fields:
        return "items"
    if kind == "string":
        if answer.get("format") == "date":
            return "date"
        return "choice" if "enum" in answer else "text"
    if kind in ("integer", "number"):
        return "number"
    if kind == "array":
        return "files"
    return {"boolean": "boolean", "object": "object"}.get(kind, "text")


def field_types() -> list[dict[str, Any]]:
    """Every registered field type: its label, options with their JSON schema, the
    options a definition must give, what its answer is, and the condition operators
    that may read it directly and as ``group.inner`` of a repeat group."""
    return [
        {
            "name": name,
            "label": _label(f"parts.field_type.{name}", name),
            "options": [
                {"name": option, "schema": copy.deepcopy(option_schema)}
                for option, option_schema in field_type.options.items()
            ],
            "required_options": list(field_type.required_options),
            "answer_kind": _answer_kind(field_type),
            # From the loader's own condition checks: the rule editor offers exactly these.
            "operators": allowed_operators(name),
            "member_operators": allowed_operators(name, member=True),
        }
        for name, field_type in FIELD_TYPES.items()
    ]


def _operator_value(operator_schema: dict[str, Any]) -> str:
    # What a rule editor asks for after the operator, read from the schema's shape.
    if operator_schema.get("$ref", "").endswith("/date_bound"):
        return "date"
    kind = operator_schema.get("type")
    if kind == "array":
        return "values"
    if kind in ("boolean", "number"):
        return kind
    return "value"


def condition_operators() -> list[dict[str, Any]]:
    """Every leaf operator of conditions, with its label and the value it takes."""
    properties = schema()["$defs"]["condition"]["properties"]
    return [
        {
            "name": operator,
            "label": _label(f"parts.operator.{operator}", operator),
            "value": _operator_value(properties[operator]),
        }
        for operator in LEAF_OPERATORS
    ]


def _plugin(registry: plugins.Registry[Any], name: str) -> dict[str, Any]:
    plugin = registry.get(name)
    label = getattr(plugin, "label", None) or {lang: name for lang in LOCALES}
    description = getattr(plugin, "description", None) or {lang: "" for lang in LOCALES}
    return {"name": name, "label": dict(label), "description": dict(description)}


def workflows() -> list[dict[str, Any]]:
    """The named workflows definitions may refer to, each with its full table."""
    return [
        {
            "name": name,
            "label": _label(f"parts.workflow.{name}", name),
            "workflow": copy.deepcopy(table),
        }
        for name, table in workflow_templates().items()
    ]


def handoff_backends() -> list[dict[str, Any]]:
    """Every registered hand-off backend with its label and description: the class's
    own ``label``/``description`` if it brings them, else the catalogue's text."""
    found = []
    for name, cls in sorted(REGISTRY.classes().items()):
        label = getattr(cls, "label", None) or _label(f"parts.handoff_backend.{name}", name)
        description = getattr(cls, "description", None) or _label(
            f"parts.handoff_backend_description.{name}", ""
        )
        found.append({"name": name, "label": dict(label), "description": dict(description)})
    return found


def categories() -> list[str]:
    """The categories the stored versions use, sorted."""
    found = {
        record.data.get("category")
        for record in ServiceDefinitionRecord.select(ServiceDefinitionRecord.data)
    }
    return sorted(category for category in found if isinstance(category, str))


def parts(areas: list[str]) -> dict[str, Any]:
    """Everything the editor's pickers offer; ``areas`` are the service areas in use."""
    definitions = schema()["$defs"]
    return {
        # The console is a staff screen (German and English); texts of a definition in
        # further languages come with its file and are kept as they are when edited.
        "languages": list(BASE_LANGUAGES),
        "field_types": field_types(),
        "condition_operators": condition_operators(),
        "fee_rule_kinds": _enum("$defs", "fee_rule", "properties", "kind"),
        "fee_periods": _enum("$defs", "fees", "properties", "period"),
        "payment_policies": _enum("$defs", "payment", "properties", "policy"),
        "notice_kinds": _enum("$defs", "payment", "properties", "notice_kind"),
        "trust_levels": _enum("properties", "trust_level"),
        "workflows": workflows(),
        "checks": [_plugin(plugins.checks, name) for name in plugins.checks.names()],
        "decision_rule_sets": [_plugin(plugins.rules, name) for name in plugins.rules.names()],
        "document_kinds": _enum("$defs", "document", "properties", "kind"),
        "document_generators": [
            _plugin(plugins.generators, name) for name in plugins.generators.names()
        ],
        "document_channels": _enum("$defs", "document", "properties", "channel"),
        "decision_proposals": [
            _plugin(plugins.proposals, name) for name in plugins.proposals.names()
        ],
        "decision_field_types": list(definitions["decision_field"]["properties"]["type"]["enum"]),
        "prefill_sources": list(definitions["field"]["properties"]["prefill"]["enum"]),
        "handoff_backends": handoff_backends(),
        "handoff_moments": list(MOMENTS),
        "areas": list(areas),
        "categories": categories(),
    }
