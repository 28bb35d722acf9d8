"""Answers as people read them: labels instead of ids, option labels instead of values."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.i18n import translate
from app.service_definitions import ServiceDefinition


def _text(label: dict[str, str] | str | None, locale: str) -> str:
    if isinstance(label, dict):
        return label.get(locale) or label.get("de") or ""
    return label or ""


def format_value(field: dict[str, Any], value: Any, locale: str) -> str:
    """One answer as text."""
    kind = field["type"]
    if value is None or value == "" or value == []:
        return "–"
    if kind in ("select", "radio"):
        for option in field.get("options", []):
            if option["value"] == value:
                return _text(option["label"], locale)
    if kind == "checkbox":
        return translate("applications.yes" if value else "applications.no", locale)
    if kind == "date":
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except (TypeError, ValueError):
            return str(value)
    if kind == "address" and isinstance(value, dict):
        street = f"{value.get('street', '')} {value.get('house_number', '')}".strip()
        town = f"{value.get('postal_code', '')} {value.get('city', '')}".strip()
        return ", ".join(part for part in (street, town) if part)
    if kind == "iban" and isinstance(value, str) and len(value) > 8:
        # Documents travel (print, mail): show only enough to recognise the account.
        return f"{value[:4]} •••• {value[-4:]}"
    if kind == "file" and isinstance(value, list):
        return ", ".join(item.get("filename", "") for item in value if isinstance(item, dict))
    return str(value)


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
