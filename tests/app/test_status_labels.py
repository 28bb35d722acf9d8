"""Status labels and action lists: remembered per definition, status, actor and
language, never mixed up between them, and the caller's copy is its own."""

from __future__ import annotations

import copy
import dataclasses

from app.applications import lifecycle
from app.service_definitions import parse_definition
from tests.service_definitions.support import sample_data


def _relabelled(definition, status: str, de: str, en: str):
    data = copy.deepcopy(definition.data)
    for row in data["workflow"]["statuses"]:
        if row["id"] == status:
            row["label"] = {"de": de, "en": en}
    return dataclasses.replace(definition, data=data)


def test_labels_follow_definition_status_and_language() -> None:
    first = parse_definition(sample_data())
    second = _relabelled(first, "in_review", "Wird geprüft", "Being checked")
    for _ in range(2):  # the second round answers from what was remembered
        assert lifecycle.status_text(first, "in_review", "de") == "In Bearbeitung"
        assert lifecycle.status_text(first, "in_review", "en") == "In review"
        assert lifecycle.status_text(second, "in_review", "de") == "Wird geprüft"
        assert lifecycle.status_text(second, "in_review", "en") == "Being checked"
        assert lifecycle.status_text(first, "approved", "en") == "Approved"


def test_actions_follow_actor_and_language_and_belong_to_the_caller() -> None:
    first = parse_definition(sample_data())
    second = _relabelled(first, "in_review", "Wird geprüft", "Being checked")
    for _ in range(2):
        citizen_en = lifecycle.actions(first, "info_requested", "citizen", "en")
        assert citizen_en == [
            {"to": "in_review", "label": "In review", "message_required": False},
            {"to": "withdrawn", "label": "Withdrawn", "message_required": False},
        ]
        assert lifecycle.actions(first, "info_requested", "citizen", "de")[0]["label"] == (
            "In Bearbeitung"
        )
        assert lifecycle.actions(second, "info_requested", "citizen", "en")[0]["label"] == (
            "Being checked"
        )
        assert all(
            a["to"] != "in_review" for a in lifecycle.actions(first, "submitted", "citizen", "en")
        )
        citizen_en[0]["label"] = "changed by the caller"
        citizen_en.append({"to": "nowhere"})
