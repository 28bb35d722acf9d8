"""Loading definitions: parse, check against the schema and the semantic rules, fill defaults.

Built-in services live as YAML in ``builtin/``; shared workflows in ``workflows/`` are
referenced by name (``workflow: standard``) and copied into the definition, so a
loaded definition is always self-contained.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from app.cities import City, active_city
from app.i18n import LOCALES
from app.languages import BASE_LANGUAGES
from app.service_definitions import (
    decision_fields,
    guide,
    handoff_targets,
    leichte_sprache,
    plugins,
    semantics,
)
from app.service_definitions.errors import DefinitionError
from app.service_definitions.field_types import FIELD_TYPES
from app.service_definitions.field_types.schema import (
    describe,
    field_schema,
    forbidden_for_type,
)
from app.service_definitions.jsonpath import format_path
from app.service_definitions.model import ServiceDefinition, iter_fields
from app.service_definitions.problems import Problem, problem
from app.service_definitions.yaml_io import parse_yaml, read_yaml

PACKAGE_DIR = Path(__file__).parent
SCHEMA_PATH = PACKAGE_DIR / "schema.json"
BUILTIN_DIR = PACKAGE_DIR / "builtin"
WORKFLOW_DIR = PACKAGE_DIR / "workflows"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of a service definition (also served to form editors).

    ``$defs/field`` is composed from the field type registry, so each type's options
    are declared once, next to its cleaner.
    """
    data = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data["$defs"]["text"] = text_schema(LOCALES)
    data["$defs"]["field"] = field_schema(FIELD_TYPES)
    data["$defs"]["decision_field"] = decision_fields.field_schema_for_decisions()
    return data


def text_schema(languages: tuple[str, ...]) -> dict[str, Any]:
    """A text in the configured languages: German and English required, the others
    optional (they fall back to German text by text); any other key is refused."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(BASE_LANGUAGES),
        "properties": {
            lang: {"type": "string", "minLength": 1}
            for lang in dict.fromkeys((*BASE_LANGUAGES, *languages))
        },
    }


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


@cache
def workflow_templates() -> dict[str, dict[str, Any]]:
    """Named workflows definitions may refer to, by file stem (``standard``)."""
    return {path.stem: read_yaml(path) for path in sorted(WORKFLOW_DIR.glob("*.yaml"))}


def parse_definition(data: Any, source: str = "<definition>") -> ServiceDefinition:
    """Validate a definition given as a dict and return it with defaults filled in.

    Raises ``DefinitionError`` naming ``source``, the JSON path and the problem (an
    unregistered check, rule or document generator among them). The caller's dict is
    not modified.
    """
    if not isinstance(data, dict):
        raise DefinitionError(source, [problem("", "not_a_mapping")])
    data = copy.deepcopy(data)
    _resolve_workflow(data, source)
    problems = [
        found for error in _validator().iter_errors(data) for found in _schema_problems(error, data)
    ]
    if problems:
        raise DefinitionError(source, problems)
    problems = (
        survey_problems(data)
        or semantics.check(data)
        or decision_fields.problems(data)
        + plugins.unknown_names(data)
        + handoff_targets.problems(data)
        + leichte_sprache.problems(data)
    )
    if problems:
        raise DefinitionError(source, problems)
    _fill_defaults(data)
    # The guide's examples are checked by the fields' cleaners, which read the defaults.
    problems = guide.problems(data)
    if problems:
        raise DefinitionError(source, problems)
    return ServiceDefinition(data=data, source=source)


# What a survey may not have: it is answered, not processed, so nothing of a case's
# processing (workflow, fees, payment, documents, the hand-off to an automatic decision,
# checks at submission, processing targets, status messages, the retention of cases,
# values a clerk sets at a decision) applies to it.
SURVEY_FORBIDS = (
    "workflow",
    "fees",
    "payment",
    "documents",
    "auto_decision",
    "checks",
    "processing",
    "messages",
    "plugin_options",
    "handoff",
    "retention",
    "decision_fields",
    "decision_proposals",
    "guide",
)


def is_survey(data: dict[str, Any]) -> bool:
    """Whether a definition dict is a city survey (``kind: survey``)."""
    return data.get("kind") == "survey"


def survey_problems(data: dict[str, Any]) -> list[Problem]:
    """The rules a survey must follow beyond the schema: none of ``SURVEY_FORBIDS``, an
    anonymous survey limited per device (without sign-in there is no account to count),
    ``opens`` not after ``closes``. Empty for services."""
    if not is_survey(data):
        return []
    problems = [problem(key, "survey_forbids", name=key) for key in SURVEY_FORBIDS if key in data]
    problems += [
        problem(f"{info.path}.type", "survey_no_files")
        for info in iter_fields(data)
        if info.field.get("type") == "file"
    ]
    block = data["survey"]
    for key in ("opens", "closes"):
        if key in block:
            try:
                date.fromisoformat(block[key])
            except ValueError as exc:
                problems.append(problem(f"survey.{key}", "date_bound_invalid", problem=str(exc)))
    if any(found.code == "date_bound_invalid" for found in problems):
        return problems
    if block["anonymous"] and block["one_answer_per"] == "account":
        problems.append(problem("survey.one_answer_per", "survey_anonymous_per_device"))
    if "opens" in block and "closes" in block and block["opens"] > block["closes"]:
        problems.append(
            problem(
                "survey.closes",
                "bounds_order",
                low="opens",
                low_value=block["opens"],
                high="closes",
                high_value=block["closes"],
            )
        )
    return problems


def parse_definition_text(text: str, source: str = "<definition>") -> ServiceDefinition:
    """Parse a definition written as YAML (JSON is valid YAML too)."""
    return parse_definition(parse_yaml(text, source), source)


def load_definition(path: str | Path) -> ServiceDefinition:
    """Load one definition file (``.yaml``, ``.yml`` or ``.json``)."""
    path = Path(path)
    if path.suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DefinitionError(
                path.name, [problem("", "unreadable_json", problem=str(exc))]
            ) from exc
    else:
        data = read_yaml(path)
    return parse_definition(data, source=path.name)


def load_builtin() -> dict[str, ServiceDefinition]:
    """The built-in definitions the active city offers, by id, with its overrides.

    Each file must be named after its id. ``{city}`` in any text becomes the city's name;
    the package's ``services.overrides`` replace parts of a definition (mappings merge,
    anything else is replaced), and only the services in ``services.offered`` are kept.
    """
    return builtin_for(active_city())


def builtin_for(city: City) -> dict[str, ServiceDefinition]:
    """The built-in definitions as ``city`` offers them (see ``load_builtin``)."""
    return dict(_builtin(city.folder, city.name, json.dumps(city.data["services"])))


def builtin_ids() -> list[str]:
    """The ids of every built-in definition file, offered by the city or not."""
    return sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))


@cache
def _builtin(
    _folder: Path, city_name: str, services_json: str
) -> tuple[tuple[str, ServiceDefinition], ...]:
    services = json.loads(services_json)
    offered = services["offered"]
    loaded: dict[str, ServiceDefinition] = {}
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        if offered != "all" and path.stem not in offered:
            continue
        data = _with_city(read_yaml(path), city_name)
        override = services["overrides"].get(path.stem)
        if override:
            data = merged(data, _with_city(override, city_name))
        definition = parse_definition(data, source=path.name)
        if definition.id != path.stem:
            raise DefinitionError(
                path.name, [problem("id", "id_differs_from_file", id=definition.id)]
            )
        loaded[definition.id] = definition
    return tuple(loaded.items())


def _with_city(value: Any, city_name: str) -> Any:
    # Built-in texts say {city}; the definition a citizen sees names the city.
    if isinstance(value, str):
        return value.replace("{city}", city_name)
    if isinstance(value, dict):
        return {key: _with_city(item, city_name) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_city(item, city_name) for item in value]
    return value


def merged(base: Any, override: Any) -> Any:
    """``override`` laid over ``base``: mappings merge key by key, the rest is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        result = dict(base)
        for key, value in override.items():
            result[key] = merged(base.get(key), value) if key in base else value
        return result
    return copy.deepcopy(override)


def _resolve_workflow(data: dict[str, Any], source: str) -> None:
    name = data.get("workflow")
    if not isinstance(name, str):
        return
    templates = workflow_templates()
    if name not in templates:
        raise DefinitionError(
            source, [problem("workflow", "unknown_workflow", name=name, known=sorted(templates))]
        )
    data["workflow"] = copy.deepcopy(templates[name])


# The schema's slug pattern: a value that misses it gets a message that says what an id is.
_SLUG_PATTERN = "^[a-z][a-z0-9_]{0,62}$"
_SHOWN = 60


def _shown(value: Any) -> str:
    # Values as jsonschema quotes them, cut short: a whole step is no help in a message.
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _types(value: Any) -> str:
    # As jsonschema names the expected types: 'string', 'null'.
    return ", ".join(repr(name) for name in ([value] if isinstance(value, str) else value))


def _schema_problems(error: jsonschema.ValidationError, data: Any) -> list[Problem]:
    """One schema error as problems with a code, each at the most specific path: a
    missing or unexpected key is named at its own path (``title.en``), one problem per
    unexpected key. The English text stays jsonschema's own."""
    path = format_path(error.absolute_path)
    kind, value, instance = error.validator, error.validator_value, error.instance

    def at(key: str) -> str:
        return f"{path}.{key}" if path else key

    if kind == "required":
        names = [name for name in value if f"{name!r} is a required property" == error.message]
        name = names[0] if names else str(value)
        return [problem(at(name), "schema.required", error.message, name=name)]
    if kind == "additionalProperties" and isinstance(instance, dict):
        declared = set(error.schema.get("properties") or {})
        extra = [key for key in instance if key not in declared] or [""]
        return [
            problem(
                at(key),
                "schema.unexpected",
                f"Additional properties are not allowed ({key!r} was unexpected)",
                name=key,
            )
            for key in extra
        ]
    field_type = forbidden_for_type(error, data)
    if field_type is not None:
        return [problem(path, "schema.not_for_type", describe(error, data), type=field_type)]
    shown = _shown(instance)
    by_kind: dict[str, tuple[str, dict[str, Any]]] = {
        "type": (
            "schema.type",
            {"value": shown, "expected": _types(value) if kind == "type" else ""},
        ),
        "enum": ("schema.enum", {"value": shown, "allowed": repr(value)}),
        "const": ("schema.const", {"value": shown, "expected": repr(value)}),
        "pattern": (
            ("schema.slug", {"value": shown})
            if value == _SLUG_PATTERN
            else ("schema.pattern", {"value": shown, "pattern": value})
        ),
        "minimum": ("schema.minimum", {"value": shown, "limit": value}),
        "exclusiveMinimum": ("schema.minimum", {"value": shown, "limit": value}),
        "maximum": ("schema.maximum", {"value": shown, "limit": value}),
        "exclusiveMaximum": ("schema.maximum", {"value": shown, "limit": value}),
        "minLength": ("schema.empty", {})
        if value == 1
        else ("schema.min_length", {"limit": value}),
        "maxLength": ("schema.max_length", {"limit": value}),
        "minItems": ("schema.min_items", {"limit": value}),
        "maxItems": ("schema.max_items", {"limit": value}),
        "uniqueItems": ("schema.unique_items", {}),
        "minProperties": ("schema.min_properties", {"limit": value}),
        "anyOf": ("schema.no_match", {"value": shown}),
        "oneOf": ("schema.no_match", {"value": shown}),
    }
    code, params = by_kind.get(kind, ("schema.other", {"problem": error.message}))
    return [problem(path, code, error.message, **params)]


def _fill_defaults(data: dict[str, Any]) -> None:
    # Clients render from the loaded definition, so it spells out every default.
    data.setdefault("kind", "service")
    data.setdefault("leika", None)
    # The clerks' service area that works this service; by default its category.
    data.setdefault("area", data["category"])
    data.setdefault("warnings", [])
    survey = is_survey(data)
    if not survey:
        data.setdefault("documents", [])
        data.setdefault("auto_decision", {"enabled": False})
        data["auto_decision"].setdefault("rule_set", None)
    for info in iter_fields(data):
        field = info.field
        field_type = FIELD_TYPES[field["type"]]
        if not field_type.holds_fields:
            field.setdefault("required", False)
        for key, value in field_type.defaults.items():
            field.setdefault(key, value)
    if survey:
        return
    for status in data["workflow"]["statuses"]:
        status.setdefault("terminal", False)
        # Clerks read the citizen's wording where the workflow has none of their own.
        status.setdefault("staff_label", dict(status["label"]))
    for row in data["workflow"]["transitions"]:
        row.setdefault("message_required", False)
        row.setdefault("notify", True)
    for document in data["documents"]:
        document.setdefault("channel", "inbox")
    decision_fields.fill_defaults(data)
