"""Answers as people read them: labels instead of ids, option labels instead of values."""

from __future__ import annotations

from typing import Any

from app.service_definitions import ServiceDefinition
from app.service_definitions.field_types import field_type
from app.service_definitions.field_types.base import localised as _text


def format_value(field: dict[str, Any], value: Any, locale: str) -> str:
    """One answer as text, as its field type shows it."""
    if value is None or value == "" or value == []:
        return "–"
    return field_type(field["type"]).display(field, value, locale)


def summarise(
    definition: ServiceDefinition, answers: dict[str, Any], locale: str
) -> list[dict[str, Any]]:
    """Steps with their answered fields: ``[{title, rows: [{label, value}]}]``."""
    steps = []
    for step in definition.data["steps"]:
        rows = []
        for field in step["fields"]:
            if field["id"] not in answers:
                continue
            if field["type"] == "repeat":
                for number, item in enumerate(answers[field["id"]] or [], start=1):
                    heading = _text(field.get("item_label"), locale).replace("{n}", str(number))
                    for sub in field["fields"]:
                        if sub["id"] in item:
                            rows.append(
                                {
                                    "label": f"{heading}: {_text(sub['label'], locale)}",
                                    "value": format_value(sub, item[sub["id"]], locale),
                                }
                            )
            else:
                rows.append(
                    {
                        "label": _text(field["label"], locale),
                        "value": format_value(field, answers[field["id"]], locale),
                    }
                )
        if rows:
            steps.append({"title": _text(step["title"], locale), "rows": rows})
    return steps


def euro(cents: int, locale: str) -> str:
    """An amount as people write it: ``84,00 €`` in German, ``€84.00`` in English."""
    if locale == "en":
        return f"€{cents / 100:,.2f}"
    return f"{cents / 100:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")
