"""Helpers for the definition tests: a fixed 'today' and small sample definitions."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from app.service_definitions import ServiceDefinition, parse_definition, plugins

# A Wednesday, so working-day arithmetic crosses a weekend within a week.
TODAY = date(2024, 6, 12)


def text(de: str = "Text", en: str = "Text") -> dict[str, str]:
    """A bilingual label."""
    return {"de": de, "en": en}


def sample_data() -> dict[str, Any]:
    """A small valid definition dict that tests modify to break or extend."""
    return {
        "id": "sample",
        "version": 1,
        "title": text(),
        "description": text(),
        "category": "test",
        "trust_level": "basic",
        "steps": [
            {
                "id": "main",
                "title": text(),
                "fields": [
                    {"id": "name", "type": "text", "label": text(), "required": True},
                    {
                        "id": "kind",
                        "type": "radio",
                        "label": text(),
                        "options": [
                            {"value": "a", "label": text()},
                            {"value": "b", "label": text()},
                        ],
                    },
                    {
                        "id": "items",
                        "type": "repeat",
                        "label": text(),
                        "item_label": text(),
                        "max_items": 5,
                        "fields": [{"id": "flag", "type": "checkbox", "label": text()}],
                    },
                ],
            }
        ],
        "fees": {
            "period": "once",
            "rules": [{"id": "base", "kind": "fixed", "label": text(), "amount_cents": 100}],
        },
        "payment": {"policy": "before_submission"},
        "workflow": "standard",
    }


def definition_with_fields(*fields: dict[str, Any], **extra: Any) -> ServiceDefinition:
    """A valid definition whose single step holds ``fields``; no fees."""
    data = sample_data()
    data["steps"][0]["fields"] = [copy.deepcopy(field) for field in fields]
    del data["fees"]
    data["payment"] = {"policy": "none"}
    data.update(extra)
    return parse_definition(data, source="test.yaml")


def codes(result: Any) -> dict[str, str]:
    """Map path → code of a validation result's errors."""
    return {error.path: error.code for error in result.errors}


class FixedOptions(plugins.OptionSource):
    """An option source with options given in the test (no database): ``offered`` may be
    chosen, ``retired`` only keep their labels (an answer stored before)."""

    def __init__(self, offered: list[str], retired: tuple[str, ...] = ()) -> None:
        self.offered = list(offered)
        self.retired = retired

    def options(self) -> list[dict[str, Any]]:
        return [
            {"value": value, "label": text(f"Ort {value}", f"Place {value}")}
            for value in self.offered
        ]

    def label(self, value: str) -> dict[str, str] | None:
        if value in self.offered or value in self.retired:
            return text(f"Ort {value}", f"Place {value}")
        return None

    def stamp(self) -> str:
        return ",".join(self.offered)
