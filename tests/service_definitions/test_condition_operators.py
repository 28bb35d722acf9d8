"""``contains``, ``greater_than`` and ``less_than``: what the loader accepts, what it
refuses at which path, and what fees and visibility make of them. (The operators' truth
table is in ``tests/shared_cases/conditions.json``, run on the server and the device.)"""

from __future__ import annotations

from typing import Any

import pytest

from app.service_definitions import DefinitionError, compute_fees, parse_definition
from app.service_definitions.conditions import LEAF_OPERATORS
from app.service_definitions.field_types import FIELD_TYPES
from app.service_definitions.problems import Problem, coded
from app.service_definitions.semantics import OPERATOR_PROBLEMS, allowed_operators
from tests.service_definitions.support import TODAY, sample_data, text


def _with_kinds(data: dict[str, Any]) -> dict[str, Any]:
    # The repeat group's items get a choice "kind" and a number "size".
    data["steps"][0]["fields"][2]["fields"] = [
        {
            "id": "bin",
            "type": "select",
            "label": text(),
            "options": [{"value": "paper", "label": text()}, {"value": "bio", "label": text()}],
        },
        {"id": "size", "type": "number", "label": text()},
    ]
    data["steps"][0]["fields"].append({"id": "note", "type": "text", "label": text()})
    return data


def _fee(when: dict[str, Any]) -> dict[str, Any]:
    data = _with_kinds(sample_data())
    data["fees"]["rules"].append(
        {"id": "many", "kind": "fixed", "label": text(), "amount_cents": 2500, "when": when}
    )
    return data


def _problems(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="t.yaml")
    return [(p[0], p.code, p[1]) for p in caught.value.problems]


def test_a_fixed_fee_for_more_than_five_items():
    definition = parse_definition(_fee({"field": "items", "greater_than": 5}), source="t.yaml")
    five = {"items": [{"bin": "bio"}] * 5}
    six = {"items": [{"bin": "bio"}] * 6}
    assert compute_fees(definition, five, TODAY).total_cents == 100
    assert compute_fees(definition, six, TODAY).total_cents == 2600


def test_a_fee_when_any_item_is_paper():
    definition = parse_definition(
        _fee({"field": "items.bin", "contains": "paper"}), source="t.yaml"
    )
    assert compute_fees(definition, {"items": [{"bin": "bio"}]}, TODAY).total_cents == 100
    paper = {"items": [{"bin": "bio"}, {"bin": "paper"}]}
    assert compute_fees(definition, paper, TODAY).total_cents == 2600


def test_text_contains_and_number_bounds_load():
    data = _with_kinds(sample_data())
    data["steps"][0]["fields"].append(
        {
            "id": "late",
            "type": "text",
            "label": text(),
            "visible_if": {
                "all": [
                    {"field": "note", "contains": "eilig"},
                    {"field": "items", "less_than": 3},
                    {"field": "items.size", "contains": 240},
                ]
            },
        }
    )
    parse_definition(data, source="t.yaml")


@pytest.mark.parametrize(
    ("when", "path", "code"),
    [
        (
            {"field": "name", "greater_than": 1},
            "fees.rules[1].when.greater_than",
            "operator_needs_number",
        ),
        ({"field": "kind", "contains": "a"}, "fees.rules[1].when.contains", "operator_needs_text"),
        ({"field": "items", "equals": 2}, "fees.rules[1].when.equals", "group_operator"),
        (
            {"field": "items.bin", "equals": "paper"},
            "fees.rules[1].when.equals",
            "group_field_operator",
        ),
        (
            {"field": "items.nope", "contains": "x"},
            "fees.rules[1].when.field",
            "group_field_unknown",
        ),
        (
            {"field": "items.note", "contains": "x"},
            "fees.rules[1].when.field",
            "group_field_unknown",
        ),
        ({"field": "note.bin", "contains": "x"}, "fees.rules[1].when.field", "not_a_group"),
        ({"field": "nope.bin", "contains": "x"}, "fees.rules[1].when.field", "unknown_field"),
        (
            {"field": "items.bin", "contains": "glass"},
            "fees.rules[1].when.contains",
            "not_an_option",
        ),
        (
            {"field": "bin", "equals": "paper"},
            "fees.rules[1].when.field",
            "field_not_usable.outside_groups",
        ),
    ],
)
def test_wrong_uses_are_refused_at_their_path(when, path, code):
    assert [(p, c) for p, c, _text in _problems(_fee(when))] == [(path, code)]


def test_a_field_inside_a_group_is_read_only_where_the_group_may_be():
    data = _with_kinds(sample_data())
    # "name" comes before the group: it may not look at the group's answers.
    data["steps"][0]["fields"][0]["visible_if"] = {"field": "items.bin", "contains": "paper"}
    ((path, code, _text),) = _problems(data)
    assert (path, code) == ("steps[0].fields[0].visible_if.field", "field_not_usable.earlier_field")


def test_the_schema_takes_only_numbers_for_number_bounds():
    problems = _problems(_fee({"field": "items", "greater_than": "5"}))
    assert problems[0][:2] == ("fees.rules[1].when.greater_than", "schema.type")


@pytest.mark.parametrize(
    "when",
    [
        {"field": "items", "greater_than": 1},
        {"field": "items.bin", "contains": "paper"},
        {"any": [{"field": "name", "equals": "x"}, {"not": {"field": "items", "less_than": 2}}]},
    ],
)
def test_a_field_inside_a_group_cannot_read_its_own_group(when):
    # While an item is checked its group has no answer yet: the condition would always be
    # false and the field's answers dropped without a word.
    data = _with_kinds(sample_data())
    data["steps"][0]["fields"][2]["fields"][1]["visible_if"] = when
    ((path, code, english),) = _problems(data)
    assert code == "condition_reads_own_group"
    assert path.startswith("steps[0].fields[2].fields[1].visible_if") and path.endswith(".field")
    assert "repeat group 'items'" in english
    german = Problem(path, code, {"id": "items", "group": "items"}).render("de")
    assert "Wiederholgruppe 'items'" in german and "immer falsch" in german


@pytest.mark.parametrize("member", [False, True])
def test_the_operators_offered_per_type_are_the_ones_the_loader_accepts(member):
    # For every type and operator: a definition using it loads exactly when it is offered.
    for type_name in FIELD_TYPES:
        offered = allowed_operators(type_name, member=member)
        if member and type_name == "repeat":
            assert offered == []
            continue
        for operator in LEAF_OPERATORS:
            data = _operator_sample(type_name, operator, member)
            codes = {p.code for p in _all_problems(data)}
            refused = bool(codes & OPERATOR_PROBLEMS)
            assert refused is (operator not in offered), (type_name, operator, member, codes)


def _operator_sample(type_name: str, operator: str, member: bool) -> dict[str, Any]:
    data = _with_kinds(sample_data())
    group = data["steps"][0]["fields"][2]
    subject: dict[str, Any] = {"id": "subject", "type": type_name, "label": text()}
    subject.update(_SAMPLE_FIELD.get(type_name, {}))
    if member:
        group["fields"].append(subject)
        name = "items.subject"
    else:
        data["steps"][0]["fields"].insert(0, subject)
        name = "subject"
    value = {"in": ["a"], "is_true": True, "before": "today", "after": "today"}.get(
        operator, 3 if operator in ("greater_than", "less_than") else "a"
    )
    data["fees"]["rules"].append(
        {
            "id": "probe",
            "kind": "fixed",
            "label": text(),
            "amount_cents": 1,
            "when": {"field": name, operator: value},
        }
    )
    return data


_SAMPLE_FIELD: dict[str, dict[str, Any]] = {
    "select": {"options": [{"value": "a", "label": text()}]},
    "radio": {"options": [{"value": "a", "label": text()}]},
    "file": {"accept": ["application/pdf"], "max_size_bytes": 1000},
    "repeat": {
        "max_items": 5,
        "item_label": text(),
        "fields": [{"id": "inner", "type": "text", "label": text()}],
    },
}


def _all_problems(data: dict[str, Any]) -> list[Any]:
    try:
        parse_definition(data, source="t.yaml")
    except DefinitionError as caught:
        return [coded(item) for item in caught.problems]
    return []
