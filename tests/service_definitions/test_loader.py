"""Loading definitions: built-ins load; broken ones are rejected naming file, path and problem."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.service_definitions import (
    DefinitionError,
    load_builtin,
    load_definition,
    parse_definition,
    parse_definition_text,
    schema,
)
from app.service_definitions.loader import BUILTIN_DIR

from .support import sample_data, text

BUILTIN_IDS = {
    "dog_tax_registration",
    "dog_tax_deregistration",
    "waste_bins",
    "civil_status_certificate",
    "registry_information_simple",
    "business_registration",
    "registration_certificate",
    "resident_parking",
    "housing_benefit",
    "business_change",
    "business_deregistration",
    "business_information_simple",
    "business_information_extended",
    "daycare_place",
}


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_all_builtin_services_load(builtin):
    assert set(builtin) == BUILTIN_IDS
    assert len(list(BUILTIN_DIR.glob("*.yaml"))) == len(BUILTIN_IDS)


def test_load_builtin_returns_a_fresh_mapping():
    first = load_builtin()
    first.clear()
    assert set(load_builtin()) == BUILTIN_IDS


def test_builtin_metadata(builtin):
    assert builtin["business_registration"].data["leika"] == "99050035001000"
    assert builtin["business_registration"].trust_level == "high"
    assert builtin["business_registration"].data["trust_note"]["de"]
    assert builtin["dog_tax_registration"].data["leika"] == "99102013104000"
    assert builtin["dog_tax_deregistration"].data["leika"] == "99102013070000"
    assert builtin["waste_bins"].data["leika"] is None
    assert builtin["housing_benefit"].data["leika"] == "99107023037000"
    assert builtin["dog_tax_registration"].payment_policy == "after_decision"
    assert builtin["dog_tax_registration"].data["payment"]["instalments"] == [
        "02-15",
        "05-15",
        "08-15",
        "11-15",
    ]
    assert builtin["civil_status_certificate"].payment_policy == "before_submission"
    assert builtin["registry_information_simple"].payment_policy == "before_submission"
    assert builtin["waste_bins"].payment_policy == "none"
    assert builtin["registry_information_simple"].data["auto_decision"] == {
        "enabled": True,
        "rule_set": "registry_unique_match",
        "status": "approved",
    }
    assert builtin["dog_tax_registration"].data["auto_decision"]["enabled"] is False
    for definition in builtin.values():
        kinds = {document["kind"] for document in definition.data["documents"]}
        assert "receipt" in kinds


def test_loaded_definition_is_self_contained_and_serialisable(builtin):
    definition = builtin["dog_tax_registration"]
    data = definition.as_dict()
    assert isinstance(data["workflow"], dict)
    assert data["workflow"]["initial"] == "submitted"
    # Defaults are spelled out for clients that render the form.
    assert definition.field("dog_name")["required"] is True
    assert definition.field("birth_date")["required"] is False
    assert definition.field("permit")["max_count"] == 3
    assert json.loads(json.dumps(data)) == data
    data["id"] = "changed"
    assert definition.id == "dog_tax_registration"


def test_parse_does_not_modify_the_input():
    data = sample_data()
    before = copy.deepcopy(data)
    parse_definition(data)
    assert data == before


def test_fingerprint_changes_with_content():
    first = parse_definition(sample_data())
    again = parse_definition(sample_data())
    changed = sample_data()
    changed["version"] = 2
    assert first.fingerprint == again.fingerprint
    assert parse_definition(changed).fingerprint != first.fingerprint


def test_field_index_knows_nesting():
    definition = parse_definition(sample_data())
    assert definition.fields["flag"].parent == "items"
    assert definition.fields["flag"].path == "steps[0].fields[2].fields[0]"
    assert definition.fields["name"].parent is None


def test_file_error_names_file_path_and_problem(tmp_path: Path):
    data = sample_data()
    data["steps"].append(
        {
            "id": "second",
            "title": text(),
            "fields": [{"id": "c", "type": "colour", "label": text()}],
        }
    )
    path = tmp_path / "dog_tax.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    message = str(caught.value)
    assert message.startswith("dog_tax.yaml: steps[1].fields[0].type: 'colour' is not one of [")
    assert caught.value.source == "dog_tax.yaml"
    assert caught.value.problems[0][0] == "steps[1].fields[0].type"


def test_json_files_load(tmp_path: Path):
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(sample_data()), encoding="utf-8")
    assert load_definition(path).id == "sample"


def test_yaml_duplicate_keys_are_rejected():
    text_with_duplicate = "id: sample\nversion: 1\nid: other\n"
    with pytest.raises(DefinitionError, match=r"x.yaml: line 3: invalid YAML: duplicate key 'id'"):
        parse_definition_text(text_with_duplicate, "x.yaml")


def test_yaml_syntax_errors_name_the_line():
    with pytest.raises(DefinitionError, match=r"x.yaml: line \d+: invalid YAML"):
        parse_definition_text("id: sample\ntitle: {de: a, en: b\n", "x.yaml")


def test_definition_must_be_a_mapping():
    with pytest.raises(DefinitionError, match=r"x\.yaml: a definition must be a mapping"):
        parse_definition(["not", "a", "mapping"], "x.yaml")


def _field(data: dict[str, Any], index: int) -> dict[str, Any]:
    return data["steps"][0]["fields"][index]


def _workflow(data: dict[str, Any]) -> dict[str, Any]:
    from app.service_definitions.loader import workflow_templates

    data["workflow"] = copy.deepcopy(workflow_templates()["standard"])
    return data["workflow"]


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any):
    def mutate(data: dict[str, Any]) -> None:
        path(data)[key] = value

    return mutate


def _add_status(data: dict[str, Any]) -> None:
    _workflow(data)["statuses"].append({"id": "orphan", "label": text()})


def _transition_to_unknown(data: dict[str, Any]) -> None:
    _workflow(data)["transitions"].append({"from": "approved", "to": "archived", "actor": "staff"})


def _terminal_with_exit(data: dict[str, Any]) -> None:
    _workflow(data)["transitions"].append({"from": "rejected", "to": "in_review", "actor": "staff"})


def _dead_end(data: dict[str, Any]) -> None:
    workflow = _workflow(data)
    workflow["statuses"].append({"id": "parked", "label": text()})
    workflow["transitions"].append({"from": "in_review", "to": "parked", "actor": "staff"})


def _duplicate_transition(data: dict[str, Any]) -> None:
    workflow = _workflow(data)
    workflow["transitions"].append(dict(workflow["transitions"][0]))


def _nested_repeat(data: dict[str, Any]) -> None:
    _field(data, 2)["fields"].append(
        {
            "id": "inner",
            "type": "repeat",
            "label": text(),
            "item_label": text(),
            "max_items": 2,
            "fields": [{"id": "x", "type": "text", "label": text()}],
        }
    )


def _tiers(*tiers: dict[str, Any]):
    def mutate(data: dict[str, Any]) -> None:
        data["fees"]["rules"] = [
            {
                "id": "per_flag",
                "kind": "tiered",
                "mode": "volume",
                "over": "items",
                "label": text(),
                "tiers": list(tiers),
            }
        ]

    return mutate


# Each case: how to break the sample definition, the JSON path and the problem reported.
INVALID_CASES = [
    pytest.param(
        _set(lambda d: _field(d, 0), "type", "colour"),
        "steps[0].fields[0].type",
        "'colour' is not one of ['text', 'textarea'",
        id="unknown-field-type",
    ),
    pytest.param(
        _set(lambda d: _field(d, 1), "id", "name"),
        "steps[0].fields[1].id",
        "duplicate field id 'name' (first at steps[0].fields[0])",
        id="duplicate-field-id",
    ),
    pytest.param(
        _set(lambda d: _field(d, 0), "requird", True),
        "steps[0].fields[0].requird",
        "Additional properties are not allowed ('requird' was unexpected)",
        id="typo-in-key",
    ),
    pytest.param(
        _set(lambda d: d, "title", {"de": "Nur Deutsch"}),
        "title.en",
        "'en' is a required property",
        id="missing-translation",
    ),
    pytest.param(
        _set(lambda d: _field(d, 0), "min_date", "today"),
        "steps[0].fields[0].min_date",
        "not allowed for a field of type 'text'",
        id="option-wrong-for-type",
    ),
    pytest.param(
        _set(lambda d: _field(d, 1), "options", []),
        "steps[0].fields[1].options",
        "[] should be non-empty",
        id="empty-options",
    ),
    pytest.param(
        _set(lambda d: _field(d, 1)["options"][1], "value", "a"),
        "steps[0].fields[1].options[1].value",
        "duplicate option value 'a'",
        id="duplicate-option",
    ),
    pytest.param(
        _set(lambda d: _field(d, 1), "options", None),
        "steps[0].fields[1].options",
        "None is not of type 'array'",
        id="options-not-a-list",
    ),
    pytest.param(
        _set(lambda d: _field(d, 1), "visible_if", {"field": "nope", "equals": "x"}),
        "steps[0].fields[1].visible_if.field",
        "unknown field 'nope'",
        id="visible-if-unknown-field",
    ),
    pytest.param(
        _set(lambda d: _field(d, 0), "visible_if", {"field": "kind", "equals": "a"}),
        "steps[0].fields[0].visible_if.field",
        "field 'kind' is not an earlier field",
        id="visible-if-later-field",
    ),
    pytest.param(
        _set(lambda d: _field(d, 1), "visible_if", {"field": "flag", "is_true": True}),
        "steps[0].fields[1].visible_if.field",
        "field 'flag' is not an earlier field outside other repeat groups",
        id="visible-if-inside-repeat",
    ),
    pytest.param(
        _set(lambda d: _field(d, 2), "visible_if", {"field": "kind", "equals": "c"}),
        "steps[0].fields[2].visible_if.equals",
        "['c'] not among the options of 'kind'",
        id="visible-if-unknown-option",
    ),
    pytest.param(
        _set(
            lambda d: _field(d, 1),
            "visible_if",
            {"field": "name", "equals": "x", "in": ["y"]},
        ),
        "steps[0].fields[1].visible_if",
        "a condition names a field and exactly one of",
        id="condition-two-operators",
    ),
    pytest.param(
        _set(lambda d: _field(d, 1), "visible_if", {"field": "name", "before": "-14d"}),
        "steps[0].fields[1].visible_if.before",
        "'before' needs a date field, not 'text'",
        id="date-operator-on-text",
    ),
    pytest.param(
        _set(lambda d: _field(d, 0), "pattern", "([a-z"),
        "steps[0].fields[0].pattern",
        "invalid regular expression",
        id="bad-regex",
    ),
    pytest.param(
        _set(lambda d: _field(d, 0), "pattern_message", "validation.pattern.does_not_exist"),
        "steps[0].fields[0].pattern_message",
        "message key 'validation.pattern.does_not_exist' is missing",
        id="unknown-message-key",
    ),
    pytest.param(
        lambda d: _field(d, 0).update(min_length=10, max_length=5),
        "steps[0].fields[0].min_length",
        "min_length 10 is greater than max_length 5",
        id="min-greater-than-max",
    ),
    pytest.param(
        lambda d: d["steps"][0]["fields"].append(
            {"id": "when", "type": "date", "label": text(), "min_date": "-14x"}
        ),
        "steps[0].fields[3].min_date",
        "'-14x' does not match",
        id="bad-relative-date",
    ),
    pytest.param(
        lambda d: d["steps"][0]["fields"].append(
            {"id": "when", "type": "date", "label": text(), "min_date": "+5d", "max_date": "today"}
        ),
        "steps[0].fields[3].min_date",
        "min_date lies after max_date",
        id="date-bounds-reversed",
    ),
    pytest.param(
        _nested_repeat,
        "steps[0].fields[2].fields[1].type",
        "repeat groups cannot be nested",
        id="nested-repeat",
    ),
    pytest.param(
        _set(lambda d: d["fees"]["rules"][0], "when", {"field": "missing", "is_true": True}),
        "fees.rules[0].when.field",
        "unknown field 'missing'",
        id="fee-condition-unknown-field",
    ),
    pytest.param(
        lambda d: d["fees"]["rules"].append(
            {"id": "each", "kind": "per_item", "over": "dogs", "amount_cents": 5, "label": text()}
        ),
        "fees.rules[1].over",
        "unknown field 'dogs'",
        id="fee-over-unknown-field",
    ),
    pytest.param(
        lambda d: d["fees"]["rules"].append(
            {"id": "each", "kind": "per_item", "over": "name", "amount_cents": 5, "label": text()}
        ),
        "fees.rules[1].over",
        "counts a repeat group or a number field, not 'text'",
        id="fee-over-text-field",
    ),
    pytest.param(
        _tiers({"from": 1, "to": 1, "unit_cents": 1}, {"from": 3, "unit_cents": 2}),
        "fees.rules[0].tiers[1].from",
        "expected 2: tiers must be contiguous from 1",
        id="tiers-gap",
    ),
    pytest.param(
        _tiers({"from": 1, "to": 1, "unit_cents": 1}, {"from": 2, "to": 5, "unit_cents": 2}),
        "fees.rules[0].tiers",
        "the last tier must be open-ended",
        id="tiers-closed",
    ),
    pytest.param(
        _set(lambda d: d["fees"]["rules"][0], "over", "items"),
        "fees.rules[0].over",
        "not allowed in a 'fixed' fee rule",
        id="fee-key-wrong-for-kind",
    ),
    pytest.param(
        _set(lambda d: d, "payment", {"policy": "none"}),
        "payment.policy",
        "'none' but the definition has fee rules",
        id="payment-none-with-fees",
    ),
    pytest.param(
        _set(lambda d: d, "trust_level", "high"),
        "trust_note",
        "a service with trust level 'high' needs a trust_note",
        id="high-trust-without-note",
    ),
    pytest.param(
        _set(lambda d: d, "trust_level", "substantial"),
        "trust_note",
        "a service with trust level 'substantial' needs a trust_note",
        id="substantial-trust-without-note",
    ),
    pytest.param(
        _set(lambda d: d, "workflow", "fancy"),
        "workflow",
        "unknown workflow 'fancy'; known: ['standard', 'standard_auto']",
        id="unknown-workflow-template",
    ),
    pytest.param(
        _transition_to_unknown,
        "workflow.transitions[16].to",
        "unknown status 'archived'",
        id="transition-unknown-status",
    ),
    pytest.param(
        lambda d: _workflow(d).update(initial="draft"),
        "workflow.initial",
        "unknown status 'draft'",
        id="initial-status-missing",
    ),
    pytest.param(
        _add_status,
        "workflow.statuses[7]",
        "status 'orphan' cannot be reached from 'submitted'",
        id="unreachable-status",
    ),
    pytest.param(
        _dead_end,
        "workflow.statuses[7]",
        "status 'parked' never leads to a terminal status",
        id="dead-end-status",
    ),
    pytest.param(
        _terminal_with_exit,
        "workflow.transitions[16].from",
        "'rejected' is terminal",
        id="terminal-with-exit",
    ),
    pytest.param(
        _duplicate_transition,
        "workflow.transitions[16]",
        "duplicate transition submitted → approved (staff)",
        id="duplicate-transition",
    ),
    pytest.param(
        _set(
            lambda d: d, "auto_decision", {"enabled": True, "rule_set": "r", "status": "approved"}
        ),
        "auto_decision.status",
        "the workflow has no system transition submitted → approved",
        id="auto-decision-without-system-transition",
    ),
    pytest.param(
        _set(
            lambda d: d,
            "documents",
            [{"id": "r", "kind": "receipt", "title": text(), "issued_on": "sent"}],
        ),
        "documents[0].issued_on",
        "unknown status 'sent'",
        id="document-unknown-status",
    ),
    pytest.param(
        _set(
            lambda d: d,
            "warnings",
            [
                {
                    "id": "w",
                    "field": "ghost",
                    "when": {"field": "name", "equals": "x"},
                    "message": "validation.required",
                }
            ],
        ),
        "warnings[0].field",
        "unknown field 'ghost'",
        id="warning-unknown-field",
    ),
    pytest.param(
        lambda d: _workflow(d)["transitions"].append(
            {"from": "in_review", "to": "in_review", "actor": "staff"}
        ),
        "workflow.transitions[16]",
        "transition from 'in_review' to itself",
        id="self-transition",
    ),
    pytest.param(
        lambda d: [status.pop("terminal", None) for status in _workflow(d)["statuses"]],
        "workflow.statuses",
        "at least one status must be terminal",
        id="no-terminal-status",
    ),
    pytest.param(
        _set(lambda d: d, "auto_decision", {"enabled": True, "status": "approved"}),
        "auto_decision.rule_set",
        "an automatic decision needs a rule_set",
        id="auto-decision-without-rule-set",
    ),
    pytest.param(
        lambda d: d["steps"].append(
            dict(d["steps"][0], fields=[{"id": "z", "type": "email", "label": text()}])
        ),
        "steps[1].id",
        "duplicate step id 'main'",
        id="duplicate-step-id",
    ),
    pytest.param(
        lambda d: d["fees"]["rules"].append(dict(d["fees"]["rules"][0])),
        "fees.rules[1].id",
        "duplicate fee rule id 'base'",
        id="duplicate-fee-rule",
    ),
    pytest.param(
        _set(lambda d: _field(d, 2), "required", True),
        "steps[0].fields[2].required",
        "use min_items for repeat groups",
        id="required-on-repeat",
    ),
    pytest.param(
        _set(lambda d: _field(d, 0), "prefill", "profile.address"),
        "steps[0].fields[0].prefill",
        "'profile.address' fills 'address' fields, not 'text'",
        id="prefill-wrong-type",
    ),
    pytest.param(
        _set(
            lambda d: _field(d, 2),
            "visible_if",
            {"any": [{"field": "name", "equals": "x"}], "not": {"field": "name", "equals": "y"}},
        ),
        "steps[0].fields[2].visible_if",
        "combine with exactly one of all/any/not",
        id="condition-two-combinators",
    ),
    pytest.param(
        lambda d: _field(d, 2)["fields"].append(
            {
                "id": "note",
                "type": "text",
                "label": text(),
                "visible_if": {"field": "flag", "equals": True},
            }
        ),
        "steps[0].fields[2].fields[1].visible_if.equals",
        "test checkboxes with is_true",
        id="checkbox-compared-with-equals",
    ),
    pytest.param(
        _set(lambda d: d["payment"], "instalments", ["02-15"]),
        "payment.instalments",
        "instalments are set by a decision (after_decision)",
        id="instalments-before-submission",
    ),
    pytest.param(
        lambda d: d.pop("fees"),
        "payment.policy",
        "'before_submission' needs fee rules",
        id="payment-without-fees",
    ),
    pytest.param(
        _set(
            lambda d: d,
            "warnings",
            [
                {
                    "id": "w",
                    "field": "name",
                    "when": {"field": "name", "equals": "x"},
                    "message": "validation.warning.nothing_like_this",
                }
            ],
        ),
        "warnings[0].message",
        "message key 'validation.warning.nothing_like_this' is missing",
        id="warning-unknown-message",
    ),
    pytest.param(
        _set(
            lambda d: d["fees"]["rules"][0],
            "when",
            {"field": "flag", "is_true": True},
        ),
        "fees.rules[0].when.field",
        "field 'flag' is not a field outside repeat groups",
        id="fee-condition-inside-repeat",
    ),
    pytest.param(
        lambda d: (
            d["steps"][0]["fields"].append(
                {
                    "id": "show",
                    "type": "checkbox",
                    "label": text(),
                }
            )
            or d["steps"].insert(
                0,
                {
                    "id": "first",
                    "title": text(),
                    "visible_if": {"field": "show", "is_true": True},
                    "fields": [{"id": "early", "type": "text", "label": text()}],
                },
            )
        ),
        "steps[0].visible_if.field",
        "field 'show' is not a field on an earlier step",
        id="step-condition-on-later-step",
    ),
    pytest.param(
        _set(lambda d: d["steps"][0], "fields", [{"id": "s", "type": "select", "label": text()}]),
        "steps[0].fields[0].options",
        "a choice needs at least one option",
        id="select-without-options",
    ),
    pytest.param(
        _set(lambda d: d, "leika", "12345"),
        "leika",
        "'12345' does not match",
        id="malformed-leika",
    ),
    pytest.param(
        _set(lambda d: d, "id", "Dog Tax"),
        "id",
        "'Dog Tax' does not match",
        id="id-not-a-slug",
    ),
]


@pytest.mark.parametrize(
    ("leika", "accepted"),
    [
        pytest.param(None, True, id="none"),
        pytest.param("99107023037000", True, id="fourteen-digits"),
        pytest.param("9910702303700", False, id="thirteen-digits"),
        pytest.param("991070230370000", False, id="fifteen-digits"),
        pytest.param("99107023O37000", False, id="letter-o-for-zero"),
        pytest.param("99107 023037000", False, id="space"),
        pytest.param(" 99107023037000", False, id="leading-space"),
        pytest.param("12107023037000", False, id="not-a-catalogue-key"),
        pytest.param("", False, id="empty"),
        pytest.param(99107023037000, False, id="number-not-text"),
    ],
)
def test_leika_key_format(leika, accepted):
    """A LeiKa key is the catalogue's 14-digit Leistungsschlüssel as text (beginning
    with 99), or null; anything else is refused at load time with the path ``leika``."""
    data = sample_data()
    data["leika"] = leika
    if accepted:
        assert parse_definition(data, source="sample.yaml").data["leika"] == leika
        return
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="sample.yaml")
    assert "sample.yaml: leika: " in str(caught.value)


@pytest.mark.parametrize(("mutate", "path", "problem"), INVALID_CASES)
def test_invalid_definitions_are_rejected(mutate, path, problem):
    data = sample_data()
    mutate(data)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="sample.yaml")
    expected = f"sample.yaml: {path}: {problem}"
    assert any(line.startswith(expected) for line in str(caught.value).splitlines()), str(
        caught.value
    )
