"""Decision fields (``decision_fields``, ``decision_proposals``): what the loader refuses,
and how what a clerk sends is cleaned."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from app.service_definitions import DefinitionError, parse_definition
from app.service_definitions.decision_fields import clean_values, display
from tests.service_definitions.support import sample_data, text
from tests.surveys.support import SURVEY

AMOUNT = {"id": "amount", "type": "money", "required": True, "min": 1, "label": text()}
START = {"id": "start", "type": "date", "required": True, "label": text()}
END = {"id": "end", "type": "date", "required": True, "after": "start", "label": text()}


def _data(**extra: Any) -> dict[str, Any]:
    data = sample_data()
    data.update(extra)
    return data


def test_a_valid_declaration_loads_with_defaults_spelled_out():
    note = {"id": "note", "type": "text", "label": text()}
    definition = parse_definition(
        _data(decision_fields={"approved": [AMOUNT, START, END, note]}), "test.yaml"
    )
    fields = definition.data["decision_fields"]["approved"]
    assert [field["id"] for field in fields] == ["amount", "start", "end", "note"]
    assert fields[3]["required"] is False


# (what the definition declares, the path of the problem, its code)
REFUSED = [
    ({"decision_fields": {"granted": [AMOUNT]}}, "decision_fields.granted", "unknown_status_known"),
    (
        {"decision_fields": {"in_review": [AMOUNT]}},
        "decision_fields.in_review",
        "decision_fields_not_decision",
    ),
    (
        {"decision_fields": {"approved": [{**AMOUNT, "type": "colour"}]}},
        "decision_fields.approved[0].type",
        "schema.enum",
    ),
    (
        {"decision_fields": {"approved": [{**AMOUNT, "type": "checkbox"}]}},
        "decision_fields.approved[0].type",
        "schema.enum",
    ),
    (
        {"decision_fields": {"approved": [AMOUNT, {**START, "id": "amount"}]}},
        "decision_fields.approved[1].id",
        "duplicate_field_id",
    ),
    (
        {"decision_fields": {"approved": [{**AMOUNT, "min": 500, "max": 100}]}},
        "decision_fields.approved[0].min",
        "bounds_order",
    ),
    (
        {"decision_fields": {"approved": [{**AMOUNT, "after": "start"}]}},
        "decision_fields.approved[0].after",
        "schema.not_for_type",
    ),
    (
        {"decision_fields": {"approved": [END, START]}},
        "decision_fields.approved[0].after",
        "decision_after_field",
    ),
    (
        {"decision_fields": {"approved": [{**AMOUNT, "visible_if": {"field": "x"}}]}},
        "decision_fields.approved[0].visible_if",
        "schema.unexpected",
    ),
    (
        {"decision_fields": {"approved": [{"id": "amount", "type": "money"}]}},
        "decision_fields.approved[0].label",
        "schema.required",
    ),
    ({"decision_fields": {"approved": []}}, "decision_fields.approved", "schema.min_items"),
    ({"decision_proposals": "made_up"}, "decision_proposals", "unknown_proposals"),
    (
        {"workflow": "standard_auto", "decision_fields": {"approved": [AMOUNT]}},
        "decision_fields.approved",
        "decision_fields_staff_only",
    ),
]


@pytest.mark.parametrize(("extra", "path", "code"), REFUSED)
def test_the_loader_refuses_a_wrong_declaration_at_its_path(extra, path, code):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_data(**extra), "test.yaml")
    found = {(problem.path, problem.code) for problem in caught.value.problems}
    assert (path, code) in found, found
    assert f"test.yaml: {path}" in str(caught.value)


@pytest.mark.parametrize(
    ("key", "value"),
    [("decision_fields", {"approved": [AMOUNT]}), ("decision_proposals", "made_up")],
)
def test_a_survey_has_no_decision_values(key, value):
    data = {**copy.deepcopy(SURVEY), key: value}
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, "poll.yaml")
    assert (key, "survey_forbids") in {
        (problem.path, problem.code) for problem in caught.value.problems
    }


TODAY = date(2025, 3, 17)
FIELDS = [AMOUNT, START, END, {"id": "note", "type": "text", "max_length": 5, "label": text()}]

# (what the clerk sends, the cleaned values, the problems by path)
CLEANING = [
    (
        {"amount": 61250, "start": "2025-03-01", "end": "2026-02-28"},
        {"amount": 61250, "start": "2025-03-01", "end": "2026-02-28"},
        {},
    ),
    # A German date is read as well; whole-number floats are cents too.
    (
        {"amount": 100.0, "start": "01.03.2025", "end": "2025-03-02", "note": " ok "},
        {"amount": 100, "start": "2025-03-01", "end": "2025-03-02", "note": "ok"},
        {},
    ),
    ({}, {}, {"values.amount": "required", "values.start": "required", "values.end": "required"}),
    (
        {"amount": "612,50", "start": "2025-03-01", "end": "2025-03-01"},
        {"start": "2025-03-01", "end": "2025-03-01"},
        {"values.amount": "money.invalid", "values.end": "date.not_after"},
    ),
    (
        {"amount": 0, "start": "2025-02-30", "end": "x", "note": "too long"},
        {},
        {
            "values.amount": "money.too_small",
            "values.start": "date.invalid",
            "values.end": "date.invalid",
            "values.note": "text.too_long",
        },
    ),
    (
        {"amount": 12.5, "start": "2025-03-01", "end": "2025-04-01", "extra": 1},
        {"start": "2025-03-01", "end": "2025-04-01"},
        {"values.amount": "money.invalid", "values.extra": "unknown_field"},
    ),
    (
        {"amount": True, "start": "2025-03-01", "end": "2025-04-01"},
        None,
        {"values.amount": "money.invalid"},
    ),
]


@pytest.mark.parametrize(("raw", "values", "problems"), CLEANING)
def test_what_the_clerk_sends_is_cleaned_or_refused_at_the_field(raw, values, problems):
    cleaned, issues = clean_values(FIELDS, raw, TODAY)
    assert {item.path: item.code for item in issues} == problems
    if values is not None:
        assert cleaned == values


def test_values_that_are_no_mapping_are_refused():
    assert [(i.path, i.code) for i in clean_values(FIELDS, [1], TODAY)[1]] == [
        ("values", "invalid_value")
    ]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "Bitte geben Sie mindestens 0,01 Euro ein."),
        ("en", "Please enter at least 0.01 euros."),
    ],
)
def test_money_messages_say_euros(locale, expected):
    issues = clean_values(FIELDS, {"amount": 0}, TODAY)[1]
    assert issues[0].render(locale) == expected


@pytest.mark.parametrize(
    ("field", "value", "locale", "shown"),
    [
        (AMOUNT, 123450, "de", "1.234,50 €"),
        (AMOUNT, 123450, "en", "€1,234.50"),
        (START, "2025-03-01", "de", "01.03.2025"),
    ],
)
def test_values_read_as_people_write_them(field, value, locale, shown):
    assert display(field, value, locale) == shown
