"""Workflow transitions from the definitions' tables: allowed and denied."""

from __future__ import annotations

import pytest

from app.service_definitions import workflow
from app.service_definitions.workflow import TransitionNotAllowed


@pytest.mark.parametrize(
    ("from_status", "to_status", "actor", "expected"),
    [
        ("submitted", "in_review", "staff", True),
        ("in_review", "info_requested", "staff", True),
        ("info_requested", "in_review", "citizen", True),
        ("info_requested", "in_review", "staff", True),
        ("in_review", "approved", "staff", True),
        # a clerk decides in one step from every open status
        ("submitted", "approved", "staff", True),
        ("submitted", "rejected", "staff", True),
        ("submitted", "info_requested", "staff", True),
        ("info_requested", "approved", "staff", True),
        ("info_requested", "rejected", "staff", True),
        ("in_review", "rejected", "staff", True),
        ("approved", "completed", "staff", True),
        ("approved", "completed", "system", True),
        ("submitted", "withdrawn", "citizen", True),
        ("in_review", "withdrawn", "citizen", True),
        ("info_requested", "withdrawn", "citizen", True),
        # denied
        ("submitted", "in_review", "citizen", False),
        ("in_review", "approved", "citizen", False),
        ("submitted", "approved", "system", False),
        ("approved", "withdrawn", "citizen", False),
        ("in_review", "withdrawn", "staff", False),
        ("rejected", "in_review", "staff", False),
        ("completed", "approved", "staff", False),
        ("withdrawn", "submitted", "citizen", False),
        ("submitted", "archived", "staff", False),
        ("draft", "submitted", "citizen", False),
    ],
)
def test_standard_transitions(builtin, from_status, to_status, actor, expected):
    assert (
        workflow.allowed(builtin["dog_tax_registration"], from_status, to_status, actor) is expected
    )


def test_automatic_decision_is_a_system_transition(builtin):
    registry = builtin["registry_information_simple"]
    assert workflow.allowed(registry, "submitted", "approved", "system")
    assert workflow.allowed(registry, "submitted", "in_review", "system")
    assert not workflow.allowed(registry, "submitted", "rejected", "system")
    assert not workflow.allowed(builtin["business_registration"], "submitted", "approved", "system")


def test_next_statuses(builtin):
    definition = builtin["waste_bins"]
    assert workflow.next_statuses(definition, "in_review", "staff") == [
        "approved",
        "rejected",
        "info_requested",
    ]
    assert workflow.next_statuses(definition, "in_review", "citizen") == ["withdrawn"]
    assert workflow.next_statuses(definition, "info_requested") == [
        "approved",
        "rejected",
        "in_review",
        "withdrawn",
    ]
    assert workflow.next_statuses(definition, "completed") == []
    assert workflow.next_statuses(definition, "nonsense") == []


def test_check_transition_returns_the_row_or_raises(builtin):
    definition = builtin["civil_status_certificate"]
    row = workflow.check_transition(definition, "in_review", "rejected", "staff")
    assert row["message_required"] is True
    assert (
        workflow.check_transition(definition, "in_review", "approved", "staff")["message_required"]
        is False
    )
    with pytest.raises(TransitionNotAllowed) as caught:
        workflow.check_transition(definition, "completed", "in_review", "citizen")
    assert caught.value.actor == "citizen"
    assert "'completed'" in str(caught.value)


def test_statuses_labels_and_terminals(builtin):
    definition = builtin["dog_tax_deregistration"]
    assert workflow.initial_status(definition) == "submitted"
    assert workflow.statuses(definition) == [
        "submitted",
        "in_review",
        "info_requested",
        "approved",
        "rejected",
        "completed",
        "withdrawn",
    ]
    assert [s for s in workflow.statuses(definition) if workflow.is_terminal(definition, s)] == [
        "rejected",
        "completed",
        "withdrawn",
    ]
    assert workflow.status_label(definition, "info_requested", "de") == "Rückfrage an Sie"
    assert workflow.status_label(definition, "info_requested", "en") == "Information requested"
    assert workflow.status_label(definition, "approved", "fr") == "Genehmigt"
    with pytest.raises(KeyError):
        workflow.is_terminal(definition, "archived")
