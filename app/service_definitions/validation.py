"""Checking a citizen's answers against a definition.

``validate_answers`` is the authoritative check before submission: hidden fields are
dropped and never required, every visible answer is cleaned (normalised) or reported.
``validate_partial`` checks a draft: types and rules as far as answers are given, but
nothing is required and nothing the citizen typed is thrown away (answers of hidden
fields and invalid answers stay in the draft so switching a choice back restores them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from app.service_definitions import conditions
from app.service_definitions.errors import Issue, issue
from app.service_definitions.field_types import FIELD_TYPES, Context, is_empty, missing
from app.service_definitions.model import ServiceDefinition
from app.service_definitions.relative_dates import local_today
from app.service_definitions.streets import StreetDirectory, default_directory


class ValidationResult(NamedTuple):
    """Cleaned answers, blocking errors and non-blocking warnings."""

    answers: dict[str, Any]
    errors: list[Issue]
    warnings: list[Issue]


@dataclass
class _Scope:
    """Answers of one level (the form or one repeat item).

    ``effective`` holds the visible, valid values conditions see; ``output`` is what
    is returned (in drafts it also keeps hidden and invalid answers).
    """

    raw: dict[str, Any]
    effective: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)


def validate_answers(
    definition: ServiceDefinition,
    answers: Any,
    today: date | None = None,
    directory: StreetDirectory | None = None,
) -> ValidationResult:
    """Check complete answers for submission; the application is valid if ``errors`` is empty."""
    return _validate(definition, answers, today, directory, partial=False)


def validate_partial(
    definition: ServiceDefinition,
    answers: Any,
    today: date | None = None,
    directory: StreetDirectory | None = None,
) -> ValidationResult:
    """Check a draft: given answers must be well-formed, missing ones are fine."""
    return _validate(definition, answers, today, directory, partial=True)


def _validate(
    definition: ServiceDefinition,
    answers: Any,
    today: date | None,
    directory: StreetDirectory | None,
    partial: bool,
) -> ValidationResult:
    ctx = Context(today or local_today(), directory or default_directory())
    if not isinstance(answers, dict):
        return ValidationResult({}, [issue("", "invalid_value")], [])
    errors: list[Issue] = []
    top = _Scope(raw=answers)
    known = {item["id"] for step in definition.data["steps"] for item in step["fields"]}
    errors += [issue(key, "unknown_field") for key in answers if key not in known]
    for step in definition.data["steps"]:
        step_visible = conditions.evaluate(step.get("visible_if"), top.effective.get, ctx.today)
        for item in step["fields"]:
            visible = step_visible and conditions.evaluate(
                item.get("visible_if"), top.effective.get, ctx.today
            )
            _field(item, top, item["id"], visible, top, ctx, partial, errors)
    warnings = _warnings(definition, top.effective, ctx.today)
    return ValidationResult(top.output, errors, warnings)


def _field(
    spec: dict[str, Any],
    scope: _Scope,
    path: str,
    visible: bool,
    top: _Scope,
    ctx: Context,
    partial: bool,
    errors: list[Issue],
) -> None:
    field_id = spec["id"]
    raw = scope.raw.get(field_id)
    if not visible:
        if partial and field_id in scope.raw:
            scope.output[field_id] = raw
        return
    field_type = FIELD_TYPES[spec["type"]]
    if field_type.cleaner is None:
        _repeat(spec, scope, path, top, ctx, partial, errors)
        return
    if is_empty(raw):
        if spec.get("required") and not partial:
            errors.extend(missing(spec, path))
        return
    value, problems = field_type.cleaner(spec, raw, path, ctx)
    if not problems and spec.get("required") and not field_type.fulfils_required(value):
        # A cleaned answer can still fall short of "required" (an unticked checkbox).
        problems = [] if partial else missing(spec, path)
    if problems:
        errors.extend(problems)
        if partial:
            scope.output[field_id] = raw
        return
    scope.effective[field_id] = value
    scope.output[field_id] = value


def _repeat(
    spec: dict[str, Any],
    scope: _Scope,
    path: str,
    top: _Scope,
    ctx: Context,
    partial: bool,
    errors: list[Issue],
) -> None:
    field_id = spec["id"]
    raw = scope.raw.get(field_id)
    items = [] if raw is None else raw
    if not isinstance(items, list):
        errors.append(issue(path, "invalid_value"))
        if partial:
            scope.output[field_id] = raw
        return
    if len(items) < spec.get("min_items", 0) and not partial:
        errors.append(issue(path, "repeat.too_few", min_items=spec.get("min_items", 0)))
    if len(items) > spec["max_items"]:
        errors.append(issue(path, "repeat.too_many", max_items=spec["max_items"]))
    member_ids = {member["id"] for member in spec["fields"]}
    effective_items: list[Any] = []
    output_items: list[Any] = []
    for index, raw_item in enumerate(items):
        item_path = f"{path}[{index}]"
        if not isinstance(raw_item, dict):
            errors.append(issue(item_path, "invalid_value"))
            if partial:
                output_items.append(raw_item)
            continue
        errors.extend(
            issue(f"{item_path}.{key}", "unknown_field")
            for key in raw_item
            if key not in member_ids
        )
        item = _Scope(raw=raw_item)

        def lookup(name: str, item: _Scope = item) -> Any:
            return item.effective.get(name) if name in member_ids else top.effective.get(name)

        for member in spec["fields"]:
            visible = conditions.evaluate(member.get("visible_if"), lookup, ctx.today)
            _field(member, item, f"{item_path}.{member['id']}", visible, top, ctx, partial, errors)
        effective_items.append(item.effective)
        output_items.append(item.output)
    scope.effective[field_id] = effective_items
    scope.output[field_id] = output_items


def _warnings(definition: ServiceDefinition, answers: dict[str, Any], today: date) -> list[Issue]:
    found = []
    for warning in definition.data["warnings"]:
        target = warning["field"]
        group = definition.fields[target].parent
        params = dict(warning.get("params") or {})
        message = warning["message"]
        code = f"warning.{warning['id']}"
        if group is None:
            if target in answers and conditions.evaluate(warning["when"], answers.get, today):
                found.append(Issue(target, code, params, message))
            continue
        for index, item in enumerate(answers.get(group) or []):

            def lookup(name: str, item: dict[str, Any] = item) -> Any:
                return item[name] if name in item else answers.get(name)

            if target in item and conditions.evaluate(warning["when"], lookup, today):
                found.append(Issue(f"{group}[{index}].{target}", code, params, message))
    return found
