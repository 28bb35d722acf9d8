"""Decision fields: values a clerk sets when deciding (``decision_fields`` of a definition).

A definition may declare, per decision status, fields the clerk fills in the decision
dialog, e.g. the granted amount and period of a housing benefit approval::

    decision_fields:
      approved:
        - {id: monthly_amount_cents, type: money, required: true, min: 1, label: {...}}
        - {id: period_from, type: date, required: true, label: {...}}
        - {id: period_to, type: date, required: true, after: period_from, label: {...}}
    decision_proposals: housing_benefit_estimate   # optional: a registered plugin

Decision fields are form fields of a few types (the form's cleaners, bounds and
messages), plus ``money`` (whole cents) and, for dates, ``after``: the id of an earlier
date field of the same decision that this one must come after. The loader checks the
declaration (``problems``); the engine cleans what the clerk sends (``clean_values``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from app.service_definitions.errors import Issue, issue
from app.service_definitions.field_types.base import Context, FieldType, is_empty, localised
from app.service_definitions.field_types.choice import SELECT
from app.service_definitions.field_types.dates import DATE
from app.service_definitions.field_types.money import MONEY
from app.service_definitions.field_types.number import NUMBER
from app.service_definitions.field_types.schema import field_schema
from app.service_definitions.field_types.text import TEXT, TEXTAREA
from app.service_definitions.model import FieldInfo
from app.service_definitions.problems import Problem, problem
from app.service_definitions.streets import default_directory

# A date of a decision may have to follow another (a period's end after its start).
_DECISION_DATE = dataclasses.replace(
    DATE, options={**DATE.options, "after": {"$ref": "#/$defs/slug"}}
)

# The types a decision field may have, in the order the schema's enum lists them.
DECISION_TYPES: Mapping[str, FieldType] = MappingProxyType(
    {
        field_type.name: field_type
        for field_type in (MONEY, NUMBER, _DECISION_DATE, TEXT, TEXTAREA, SELECT)
    }
)

# Keys of form fields that mean nothing in a decision: it has no conditions and no
# profile to prefill from (proposals come from a plugin instead).
_FORM_ONLY = ("visible_if", "prefill")


def field_schema_for_decisions() -> dict[str, Any]:
    """The JSON schema of one decision field (``$defs/decision_field``)."""
    schema = field_schema(DECISION_TYPES)
    for key in _FORM_ONLY:
        del schema["properties"][key]
    return schema


def declared(definition_data: dict[str, Any], status: str) -> list[dict[str, Any]]:
    """The decision fields of ``status`` (empty when it has none)."""
    return list((definition_data.get("decision_fields") or {}).get(status) or [])


def problems(data: dict[str, Any]) -> list[Problem]:
    """What is wrong with a (schema-valid) definition's ``decision_fields``: a status the
    workflow lacks or that is no decision, a decision someone other than a clerk makes
    (only clerks fill fields), a field id twice, bounds out of order, an ``after`` that
    names no earlier date field."""
    found: list[Problem] = []
    workflow = data.get("workflow") or {}
    statuses = {status["id"]: status for status in workflow.get("statuses") or []}
    for status, fields in (data.get("decision_fields") or {}).items():
        path = f"decision_fields.{status}"
        if status not in statuses:
            found.append(problem(path, "unknown_status_known", id=status, known=sorted(statuses)))
            continue
        if not statuses[status].get("decision"):
            found.append(problem(path, "decision_fields_not_decision", id=status))
        others = sorted(
            {
                row["actor"]
                for row in workflow.get("transitions") or []
                if row["to"] == status and row["actor"] != "staff"
            }
        )
        if others:
            found.append(problem(path, "decision_fields_staff_only", id=status, actors=others))
        seen: dict[str, str] = {}
        dates: list[str] = []
        for index, field in enumerate(fields):
            field_path = f"{path}[{index}]"
            field_id = field["id"]
            if field_id in seen:
                found.append(
                    problem(
                        f"{field_path}.id", "duplicate_field_id", id=field_id, first=seen[field_id]
                    )
                )
            else:
                seen[field_id] = field_path
            info = FieldInfo(field, field_path, status, None, index)
            found += DECISION_TYPES[field["type"]].check(info)
            after = field.get("after")
            if after is not None and after not in dates:
                found.append(problem(f"{field_path}.after", "decision_after_field", id=after))
            if field["type"] == "date":
                dates.append(field_id)
    return found


def fill_defaults(data: dict[str, Any]) -> None:
    """Spell out every default of the decision fields (``required: false``, the types'
    own), as the loader does for form fields."""
    for fields in (data.get("decision_fields") or {}).values():
        for field in fields:
            field.setdefault("required", False)
            for key, value in DECISION_TYPES[field["type"]].defaults.items():
                field.setdefault(key, value)


def clean_values(
    fields: list[dict[str, Any]], raw: Any, today: date, prefix: str = "values"
) -> tuple[dict[str, Any], list[Issue]]:
    """Check what a clerk entered for ``fields``: cleaned values by field id, and the
    issues (at ``values.<id>``; an unknown key is one too). Values are valid only when
    the issues are empty."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return {}, [issue(prefix, "invalid_value")]
    ids = {field["id"] for field in fields}
    issues = [issue(f"{prefix}.{key}", "unknown_field") for key in raw if key not in ids]
    ctx = Context(today, default_directory())
    values: dict[str, Any] = {}
    for field in fields:
        path = f"{prefix}.{field['id']}"
        value = raw.get(field["id"])
        if is_empty(value):
            if field.get("required"):
                issues.append(issue(path, "required"))
            continue
        cleaner = DECISION_TYPES[field["type"]].cleaner
        assert cleaner is not None  # every decision type cleans its value
        cleaned, found = cleaner(field, value, path, ctx)
        if found:
            issues += found
        else:
            values[field["id"]] = cleaned
    for field in fields:
        after = field.get("after")
        mine = values.get(field["id"])
        # ISO dates compare as text.
        if after and mine is not None and after in values and mine <= values[after]:
            issues.append(
                issue(f"{prefix}.{field['id']}", "date.not_after", after_date=values[after])
            )
    return values, issues


def display(field: dict[str, Any], value: Any, locale: str) -> str:
    """A stored decision value as people read it (``612,00 €``, ``01.03.2025``)."""
    return DECISION_TYPES[field["type"]].display(field, value, locale)


def label(field: dict[str, Any], locale: str) -> str:
    """The field's label in ``locale``."""
    return localised(field["label"], locale)


def hint(field: dict[str, Any], locale: str) -> str:
    """The field's hint in ``locale`` (empty when it has none)."""
    return localised(field.get("hint"), locale)
