"""The JSON schema of a submitted application's answers, from its definition's fields.

Each field contributes its type's schema of a cleaned answer (``FieldType.answer_schema``),
so the description of what is stored cannot drift from what the cleaners store. Systems
that take over applications (a specialist procedure, an export) can check against it.
"""

from __future__ import annotations

from typing import Any

from app.service_definitions.field_types import answer_schema
from app.service_definitions.model import ServiceDefinition

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def answers_schema(definition: ServiceDefinition) -> dict[str, Any]:
    """The schema of ``definition``'s cleaned answers: one property per top-level field.

    No field is listed as required: hidden fields are left out, whatever ``required``
    says, and the conditions that hide them are the definition's, not the schema's.
    """
    properties = {
        field["id"]: answer_schema(field)
        for step in definition.data["steps"]
        for field in step["fields"]
    }
    return {
        "$schema": DIALECT,
        "title": f"Answers: {definition.id} version {definition.version}",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
