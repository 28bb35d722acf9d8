"""The workflow says which statuses are decisions, where automatic decisions hand over,
which statuses are open and which changes an actor may make; a fee says its notice kind.
Every name is checked when the definition loads."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from app.config import DEFAULT_NOTICE_AREAS
from app.errors import DomainError
from app.payments.notices import KINDS
from app.service_definitions import DefinitionError, load_definition, parse_definition, workflow
from app.service_definitions.loader import SCHEMA_PATH, workflow_templates
from app.service_definitions.workflow import TransitionNotAllowed
from tests.service_definitions.support import sample_data

FIXTURES = Path(__file__).parent / "fixtures"


def test_decisions_come_from_the_workflow(builtin):
    for definition in builtin.values():
        assert workflow.decision_of(definition, "approved") == "positive"
        assert workflow.decision_of(definition, "rejected") == "negative"
        assert workflow.decision_of(definition, "in_review") is None
        assert workflow.decision_of(definition, "draft") is None


def test_a_renamed_decision_is_still_a_decision():
    data = sample_data()
    data["workflow"] = copy.deepcopy(workflow_templates()["standard"])
    for status in data["workflow"]["statuses"]:
        if status["id"] == "approved":
            status["id"] = "granted"
    for row in data["workflow"]["transitions"]:
        for end in ("from", "to"):
            if row[end] == "approved":
                row[end] = "granted"
    definition = parse_definition(data, source="sample.yaml")
    assert workflow.decision_of(definition, "granted") == "positive"
    assert workflow.is_decided(definition, "granted")
    assert not workflow.is_decided(definition, "in_review")


def test_automatic_decisions_hand_over_where_the_workflow_says(builtin):
    assert workflow.handover_status(builtin["registration_certificate"]) == "in_review"


def test_open_statuses_are_the_engine_statuses_and_the_non_terminal_ones(builtin):
    assert workflow.open_statuses(builtin["resident_parking"]) == [
        "draft",
        "awaiting_payment",
        "submitted",
        "in_review",
        "info_requested",
        "approved",
    ]


def test_one_function_answers_the_allowed_actions(builtin):
    definition = builtin["dog_tax_registration"]
    assert [row["to"] for row in workflow.actions(definition, "in_review", "staff")] == [
        "approved",
        "rejected",
        "info_requested",
    ]
    assert [row["to"] for row in workflow.actions(definition, "in_review", "citizen")] == [
        "withdrawn"
    ]
    assert workflow.actions(definition, "completed", "staff") == []


@pytest.mark.parametrize("status", workflow.ENGINE_STATUSES)
def test_the_engine_statuses_allow_no_change_by_hand(builtin, status):
    definition = builtin["dog_tax_registration"]
    for actor in workflow.ACTORS:
        assert workflow.actions(definition, status, actor) == []
        assert not workflow.allowed(definition, status, "submitted", actor)
    assert {row["from"] for row in workflow.ENGINE_TRANSITIONS} == set(workflow.ENGINE_STATUSES)


def test_a_refused_transition_is_one_domain_error_with_a_stable_code(builtin):
    definition = builtin["dog_tax_registration"]
    with pytest.raises(DomainError) as caught:
        workflow.check_transition(definition, "draft", "submitted", "citizen")
    assert isinstance(caught.value, TransitionNotAllowed)
    assert caught.value.code == "transition_not_allowed"
    assert caught.value.kind == "conflict"
    assert caught.value.params == {"current": "draft", "wanted": "submitted"}


def test_the_schema_knows_exactly_the_notice_kinds():
    import json

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert tuple(schema["$defs"]["payment"]["properties"]["notice_kind"]["enum"]) == KINDS


def test_a_fee_notice_is_a_kind_the_services_clerks_see(builtin):
    areas = dict(pair.split(":") for pair in DEFAULT_NOTICE_AREAS.split(","))
    for definition in builtin.values():
        payment = definition.data["payment"]
        if payment["policy"] != "after_decision":
            assert "notice_kind" not in payment
            continue
        assert areas[payment["notice_kind"]] == definition.data["area"], definition.id


def _auto(data: dict[str, Any]) -> dict[str, Any]:
    data["workflow"] = copy.deepcopy(workflow_templates()["standard_auto"])
    data["auto_decision"] = {"enabled": True, "rule_set": "r", "status": "approved"}
    return data["workflow"]


def _unknown_handover(data: dict[str, Any]) -> None:
    _auto(data)["handover"] = "with_clerk"


def _no_handover(data: dict[str, Any]) -> None:
    del _auto(data)["handover"]


def _handover_without_system_transition(data: dict[str, Any]) -> None:
    _auto(data)["handover"] = "info_requested"


def _unknown_decision_kind(data: dict[str, Any]) -> None:
    _auto(data)["statuses"][3]["decision"] = "maybe"


def _notice_kind_before_submission(data: dict[str, Any]) -> None:
    data["payment"]["notice_kind"] = "fee"


def _unknown_notice_kind(data: dict[str, Any]) -> None:
    data["payment"] = {"policy": "after_decision", "notice_kind": "parking_fee"}


@pytest.mark.parametrize(
    ("mutate", "path", "problem"),
    [
        (_unknown_handover, "workflow.handover", "unknown status 'with_clerk'"),
        (_no_handover, "workflow.handover", "an automatic decision needs a handover status"),
        (
            _handover_without_system_transition,
            "workflow.handover",
            "the workflow has no system transition submitted → info_requested",
        ),
        (_unknown_decision_kind, "workflow.statuses[3].decision", "'maybe' is not one of"),
        (
            _notice_kind_before_submission,
            "payment.notice_kind",
            "only a fee charged after the decision creates a notice",
        ),
        (_unknown_notice_kind, "payment.notice_kind", "'parking_fee' is not one of"),
    ],
)
def test_wrong_workflow_names_fail_loading_with_the_path(mutate, path, problem):
    data = sample_data()
    mutate(data)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="sample.yaml")
    expected = f"sample.yaml: {path}: {problem}"
    assert any(line.startswith(expected) for line in str(caught.value).splitlines()), str(
        caught.value
    )


def test_an_unknown_handover_in_a_file_names_file_and_path():
    with pytest.raises(DefinitionError) as caught:
        load_definition(FIXTURES / "tree_felling_unknown_handover.yaml")
    assert str(caught.value).startswith(
        "tree_felling_unknown_handover.yaml: workflow.handover: unknown status 'forester'"
    )
