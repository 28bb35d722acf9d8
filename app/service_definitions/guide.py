"""The guide of a service (``guide``): its checks when a definition loads, and its examples.

A definition may carry notes and example answers for its click-by-click guide:

* ``before``: what to have at hand, beyond what the guide derives from the form;
* ``steps``: a note per step, by step id;
* ``examples``: an example answer per top-level field id (a repeat group: a list of
  objects of its fields); ``city`` stands for the city package's example address in an
  ``address`` field with ``scope: city``; a date may be written relative to today
  (``-3y``, ``today``), resolved when the guide is served;
* ``after``: what happens after sending, in the service's words.

Every example must be an answer the server would accept from a citizen (the field
types' own cleaners decide, as in ``validation``), for a field visible under the other
examples; a ``file`` field takes none (uploads are no example). A choice whose options
come from data (``options_from``) takes any value: the data may change after loading, and
the guide shows the example only while it is offered. A fixed date is refused
where the field's earliest date counts from today: it would stop being valid one day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.service_definitions import conditions
from app.service_definitions.errors import Issue
from app.service_definitions.field_types import FIELD_TYPES, Context, is_empty, missing
from app.service_definitions.problems import Problem, problem
from app.service_definitions.relative_dates import is_valid_spec, local_today, resolve
from app.service_definitions.streets import StreetDirectory, shipped_directory

# The literal an address example writes for the city package's example address.
CITY_ADDRESS = "city"
_PREFIX = "guide.examples"


def problems(data: dict[str, Any], today: date | None = None) -> list[Problem]:
    """Every problem of the definition's ``guide`` (defaults filled in), with its path;
    empty without a guide."""
    guide = data.get("guide")
    if not guide:
        return []
    found: list[Problem] = []
    step_ids = [step["id"] for step in data["steps"]]
    found += [
        problem(f"guide.steps.{key}", "guide.unknown_step", id=key)
        for key in guide.get("steps") or {}
        if key not in step_ids
    ]
    found += _example_problems(data, guide.get("examples") or {}, today or local_today())
    return found


def _top_fields(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {field["id"]: field for step in data["steps"] for field in step["fields"]}


def _needs_directory(data: dict[str, Any], examples: dict[str, Any]) -> bool:
    """Whether an example writes out an address in the city: only that is looked up in
    the street directory (``city`` is checked with the city package)."""

    def in_city(field: dict[str, Any]) -> bool:
        return field["type"] == "address" and field.get("scope", "city") == "city"

    top = _top_fields(data)
    for field_id, value in examples.items():
        field = top.get(field_id)
        if field is None:
            continue
        if in_city(field) and isinstance(value, dict):
            return True
        if field["type"] == "repeat" and isinstance(value, list):
            members = [member for member in field["fields"] if in_city(member)]
            if any(
                isinstance(item, dict) and isinstance(item.get(m["id"]), dict)
                for item in value
                for m in members
            ):
                return True
    return False


def _example_problems(data: dict[str, Any], examples: dict[str, Any], today: date) -> list[Problem]:
    top = _top_fields(data)
    found = [
        problem(f"{_PREFIX}.{key}", "guide.unknown_field", id=key)
        for key in examples
        if key not in top
    ]
    directory = shipped_directory() if _needs_directory(data, examples) else None
    ctx = Context(today, directory)  # type: ignore[arg-type]
    effective: dict[str, Any] = {}
    for step in data["steps"]:
        step_visible = conditions.evaluate(step.get("visible_if"), effective.get, today)
        for field in step["fields"]:
            if field["id"] not in examples:
                continue
            path = f"{_PREFIX}.{field['id']}"
            visible = step_visible and conditions.evaluate(
                field.get("visible_if"), effective.get, today
            )
            if not visible:
                found.append(problem(path, "guide.example_hidden", id=field["id"]))
                continue
            value = examples[field["id"]]
            if field["type"] == "repeat":
                cleaned, issues = _repeat(field, value, path, effective, ctx)
            else:
                cleaned, issues = _one(field, value, path, ctx)
            found += issues
            if not issues and cleaned is not None:
                effective[field["id"]] = cleaned
    return found


def _one(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list[Problem]]:
    """One example checked as the server checks a citizen's answer (``path`` is where the
    example is written)."""
    kind = field["type"]
    if kind == "file":
        return None, [problem(path, "guide.example_file", id=field["id"])]
    if kind == "address" and value == CITY_ADDRESS:
        if field.get("scope", "city") != "city":
            return None, [problem(path, "guide.example_city_scope")]
        # Checked against the directory with the city package (``app.cities.check``).
        return None, []
    if kind == "date" and isinstance(value, str) and not _is_iso(value):
        if not is_valid_spec(value):
            return None, [_invalid(path, Issue(path, "date.invalid"))]
        value = resolve(value, ctx.today).isoformat()
    elif kind == "date" and isinstance(value, str) and _moving_bounds(field):
        return None, [problem(path, "guide.example_fixed_date", id=field["id"])]
    if is_empty(value):
        return None, [problem(path, "guide.example_empty", id=field["id"])]
    if field.get("options_from"):
        # The options come from data that changes (the Kita facilities): loading does not
        # depend on it. The example must be a value; a guide shows it while it is offered.
        if isinstance(value, str):
            return value, []
        return None, [_invalid(path, Issue(path, "option.invalid"))]
    cleaned, issues = FIELD_TYPES[kind].cleaner(field, value, path, ctx)  # type: ignore[misc]
    if not issues and field.get("required") and not FIELD_TYPES[kind].fulfils_required(cleaned):
        issues = missing(field, path)
    return cleaned, [_invalid(item.path, item) for item in issues]


def _repeat(
    field: dict[str, Any],
    value: Any,
    path: str,
    effective: dict[str, Any],
    ctx: Context,
) -> tuple[Any, list[Problem]]:
    if not isinstance(value, list):
        return None, [_invalid(path, Issue(path, "invalid_value"))]
    found: list[Problem] = []
    low, high = field.get("min_items", 0), field["max_items"]
    if len(value) < low:
        found.append(_invalid(path, Issue(path, "repeat.too_few", {"min_items": low})))
    if len(value) > high:
        found.append(_invalid(path, Issue(path, "repeat.too_many", {"max_items": high})))
    members = {member["id"]: member for member in field["fields"]}
    cleaned_items: list[dict[str, Any]] = []
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        if not isinstance(item, dict):
            found.append(_invalid(item_path, Issue(item_path, "invalid_value")))
            continue
        found += [
            problem(f"{item_path}.{key}", "guide.unknown_field", id=key)
            for key in item
            if key not in members
        ]
        cleaned: dict[str, Any] = {}

        def lookup(name: str, cleaned: dict[str, Any] = cleaned) -> Any:
            return cleaned.get(name) if name in members else effective.get(name)

        for member in field["fields"]:
            if member["id"] not in item:
                continue
            member_path = f"{item_path}.{member['id']}"
            if not conditions.evaluate(member.get("visible_if"), lookup, ctx.today):
                found.append(problem(member_path, "guide.example_hidden", id=member["id"]))
                continue
            result, issues = _one(member, item[member["id"]], member_path, ctx)
            found += issues
            if not issues and result is not None:
                cleaned[member["id"]] = result
        cleaned_items.append(cleaned)
    return cleaned_items, found


def _is_iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _moving_bounds(field: dict[str, Any]) -> bool:
    """Whether a date field's earliest date counts from today: it moves on every day, so
    a fixed example would fall before it one day (a moving latest date only grows)."""
    low = field.get("min_date")
    return isinstance(low, str) and not _is_iso(low)


def _invalid(path: str, issue: Issue) -> Problem:
    """An example the field's cleaner refuses; the console reads the cleaner's own
    message in its language (``Problem.render``)."""
    return problem(
        path,
        "guide.example_invalid",
        reason=issue.render("en"),
        issue=issue.code,
        issue_params=issue.params,
    )


def resolved_examples(
    definition_data: dict[str, Any], today: date, city_address: dict[str, str] | None
) -> dict[str, Any]:
    """The examples as answers the form's fields take: relative dates as ``YYYY-MM-DD``
    counted from ``today``, ``city`` as the city package's example address (left out
    without one)."""
    examples = (definition_data.get("guide") or {}).get("examples") or {}
    top = _top_fields(definition_data)
    answers: dict[str, Any] = {}
    for field_id, value in examples.items():
        field = top.get(field_id)
        if field is None:
            continue
        if field["type"] == "repeat":
            members = {member["id"]: member for member in field["fields"]}
            answers[field_id] = [
                {
                    key: resolved
                    for key, item_value in item.items()
                    if key in members
                    for resolved in [_resolved(members[key], item_value, today, city_address)]
                    if resolved is not None
                }
                for item in value
            ]
            continue
        resolved = _resolved(field, value, today, city_address)
        if resolved is not None:
            answers[field_id] = resolved
    return answers


def _resolved(
    field: dict[str, Any], value: Any, today: date, city_address: dict[str, str] | None
) -> Any:
    if field["type"] == "address" and value == CITY_ADDRESS:
        return dict(city_address) if city_address else None
    if field["type"] == "date" and isinstance(value, str) and not _is_iso(value):
        return resolve(value, today).isoformat()
    return value


def check_city_address(
    address: dict[str, Any], directory: StreetDirectory, today: date | None = None
) -> list[Issue]:
    """The issues of a city package's example address against its street directory, as
    an address field in the city would report them."""
    cleaner = FIELD_TYPES["address"].cleaner
    assert cleaner is not None
    ctx = Context(today or local_today(), directory)
    _value, issues = cleaner({"type": "address", "scope": "city"}, address, "", ctx)
    return issues
