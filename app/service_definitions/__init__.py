"""Service definitions: every municipal service as declarative data.

A definition (YAML/JSON) holds the form (steps, fields, validation rules, conditional
visibility, repeat groups), fees, payment policy, workflow, documents and warnings. It
is checked against ``schema.json`` and semantic rules when loaded. This package is pure
domain logic: no database, no HTTP.

Public API::

    load_definition(path) / load_builtin() / parse_definition(data, source=...)
    validate_answers(definition, answers, today=...) -> (answers, errors, warnings)
    validate_partial(definition, answers, today=...) -> (answers, errors, warnings)
    compute_fees(definition, answers) -> FeeResult(lines, total_cents, period)
    workflow.allowed(definition, from_status, to_status, actor) / workflow.next_statuses(...)
    plugins.checks / plugins.rules / plugins.generators (registries definitions name)
    find_address(street, house_number) / search_streets(prefix)
"""

from app.service_definitions import plugins, workflow
from app.service_definitions.errors import CODES, DefinitionError, Issue, render_issue
from app.service_definitions.fees import FeeLine, FeeResult, compute_fees
from app.service_definitions.loader import (
    load_builtin,
    load_definition,
    parse_definition,
    parse_definition_text,
    schema,
)
from app.service_definitions.model import FieldInfo, ServiceDefinition
from app.service_definitions.plates import normalise_plate
from app.service_definitions.streets import (
    Address,
    Street,
    StreetDirectory,
    default_directory,
    find_address,
    find_street,
    load_directory,
    search_streets,
)
from app.service_definitions.validation import ValidationResult, validate_answers, validate_partial

__all__ = [
    "CODES",
    "Address",
    "DefinitionError",
    "FeeLine",
    "FeeResult",
    "FieldInfo",
    "Issue",
    "ServiceDefinition",
    "Street",
    "StreetDirectory",
    "ValidationResult",
    "compute_fees",
    "default_directory",
    "find_address",
    "find_street",
    "load_builtin",
    "load_definition",
    "load_directory",
    "normalise_plate",
    "parse_definition",
    "parse_definition_text",
    "plugins",
    "render_issue",
    "schema",
    "search_streets",
    "validate_answers",
    "validate_partial",
    "workflow",
]
