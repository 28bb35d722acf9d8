"""Default messages, staff labels and the notify flag are data in the definition, and
the loader refuses what cannot work: an unknown placeholder, a silent decision."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.service_definitions import DefinitionError, parse_definition
from app.service_definitions.loader import workflow_templates
from app.service_definitions.workflow_messages import placeholder_problems, template
from tests.service_definitions.support import sample_data


def _with_workflow(change) -> dict[str, Any]:
    data = sample_data()
    data["workflow"] = copy.deepcopy(workflow_templates()["standard"])
    change(data["workflow"])
    return data


def _status(workflow: dict[str, Any], status_id: str) -> dict[str, Any]:
    return next(s for s in workflow["statuses"] if s["id"] == status_id)


def _row(workflow: dict[str, Any], frm: str, to: str, actor: str = "staff") -> dict[str, Any]:
    return next(
        r for r in workflow["transitions"] if (r["from"], r["to"], r["actor"]) == (frm, to, actor)
    )


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="sample.yaml")
    return str(caught.value).splitlines()


def test_an_unknown_placeholder_names_file_path_and_the_known_ones():
    def change(workflow):
        _status(workflow, "approved")["message"]["en"] = "Approved, {name}!"

    [line] = _problems(_with_workflow(change))
    assert line.startswith("sample.yaml: workflow.statuses[3].message.en: unknown placeholder")
    assert "{name}" in line and "{reference}" in line


def test_a_definition_s_own_message_is_checked_too():
    data = sample_data()
    data["messages"] = {
        "approved": {"de": "Genehmigt: {referenz}", "en": "Approved: {reference}"},
        "archived": {"de": "Archiviert", "en": "Archived"},
    }
    problems = _problems(data)
    assert any(
        p.startswith("sample.yaml: messages.approved.de: unknown placeholder {referenz}")
        for p in problems
    ), problems
    assert any(
        p.startswith("sample.yaml: messages.archived: unknown status 'archived'") for p in problems
    ), problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Offen {reference", "malformed placeholder"),
        ("Gebühr {fee:>10}", "placeholder {fee} takes no format"),
        ("{0}", "unknown placeholder {0}"),
    ],
)
def test_malformed_placeholders(text, problem):
    assert any(problem in found.text for found in placeholder_problems(text))


def test_known_placeholders_and_literal_braces_pass():
    assert placeholder_problems("{reference} {service} {fee} {status} {{so}}") == []


def test_a_silent_decision_is_refused():
    def change(workflow):
        _row(workflow, "submitted", "approved")["notify"] = False

    problems = _problems(_with_workflow(change))
    assert any(
        p.startswith("sample.yaml: workflow.transitions[0].notify: a decision ('approved')")
        for p in problems
    ), problems


def test_a_silent_question_is_refused():
    def change(workflow):
        row = _row(workflow, "submitted", "info_requested")
        row["notify"] = False
        row["message_required"] = False

    problems = _problems(_with_workflow(change))
    assert any("the citizen must act in 'info_requested'" in p for p in problems), problems


def test_a_silent_move_cannot_require_a_message():
    def change(workflow):
        _row(workflow, "submitted", "in_review")["message_required"] = True

    problems = _problems(_with_workflow(change))
    assert any("a transition with a required message must notify" in p for p in problems)


def test_defaults_spelled_out_and_own_messages_replace_the_workflow_s():
    data = sample_data()
    data["messages"] = {"approved": {"de": "Ja zu {reference}.", "en": "Yes to {reference}."}}
    definition = parse_definition(data)
    statuses = {s["id"]: s for s in definition.data["workflow"]["statuses"]}
    rows = definition.data["workflow"]["transitions"]
    # Clerks' wording where the workflow has it; otherwise the citizen's.
    assert statuses["submitted"]["staff_label"]["de"] == "Neu eingegangen"
    assert statuses["info_requested"]["staff_label"]["de"] == "Rückfrage gestellt"
    assert all(s["staff_label"] for s in statuses.values())
    assert all(isinstance(r["notify"], bool) for r in rows)
    assert _row(definition.data["workflow"], "submitted", "in_review")["notify"] is False
    assert template(definition, "approved") == data["messages"]["approved"]
    assert "{reference}" in template(definition, "rejected")["de"]  # the workflow's own
    assert template(definition, "withdrawn") is None


def test_a_status_without_staff_label_shows_the_citizen_s():
    def change(workflow):
        del _status(workflow, "in_review")["staff_label"]

    definition = parse_definition(_with_workflow(change))
    in_review = _status(definition.data["workflow"], "in_review")
    assert in_review["staff_label"] == in_review["label"]


def test_every_builtin_service_speaks_for_itself_on_its_decisions(builtin):
    for definition in builtin.values():
        for status in ("approved", "rejected"):
            own = definition.data["messages"][status]
            assert own["de"].strip() and own["en"].strip(), (definition.id, status)
            assert "{reference}" in own["de"] and "{reference}" in own["en"]
