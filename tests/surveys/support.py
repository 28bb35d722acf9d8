"""Helpers for the survey tests: a small survey definition and storing it published."""

from __future__ import annotations

import copy
from typing import Any

from app.applications import definitions
from app.db import db
from app.service_definitions import parse_definition

SURVEY: dict[str, Any] = {
    "id": "park_survey",
    "kind": "survey",
    "version": 1,
    "title": {"de": "Stadtpark", "en": "City park"},
    "description": {"de": "Wie gefällt Ihnen der Stadtpark?", "en": "Do you like the park?"},
    "category": "umfragen",
    "trust_level": "basic",
    "survey": {
        "anonymous": True,
        "one_answer_per": "device",
        "banner": {"de": "Ihre Meinung zum Stadtpark", "en": "Your opinion on the park"},
    },
    "steps": [
        {
            "id": "park",
            "title": {"de": "Park", "en": "Park"},
            "fields": [
                {
                    "id": "grade",
                    "type": "radio",
                    "required": True,
                    "label": {"de": "Ihre Note", "en": "Your grade"},
                    "options": [
                        {"value": "good", "label": {"de": "Gut", "en": "Good"}},
                        {"value": "bad", "label": {"de": "Schlecht", "en": "Bad"}},
                    ],
                },
                {
                    "id": "visits",
                    "type": "checkbox",
                    "label": {"de": "Ich gehe oft hin", "en": "I go often"},
                },
                {
                    "id": "remark",
                    "type": "textarea",
                    "max_length": 500,
                    "label": {"de": "Anmerkung", "en": "Remark"},
                },
            ],
        }
    ],
}

DEVICE = "d" * 30


def survey(**block: Any) -> dict[str, Any]:
    """The test survey with its ``survey`` block changed by ``block``."""
    data = copy.deepcopy(SURVEY)
    data["survey"].update(block)
    return data


def publish(data: dict[str, Any] | None = None) -> str:
    """Store and publish a survey definition; returns its id."""
    definition = parse_definition(data or SURVEY)
    with db.connection_context():
        record = definitions.store_draft(definition, None)
        definitions.publish_draft(record, None)
    return definition.id
