"""The option source ``kita_facilities``: the active facilities as a form's choices.

A field ``{type: select, options_from: kita_facilities}`` offers the facilities that may
be chosen now; its stored value is the facility's number as text (``"12"``), the same
value the form of version 1 asked parents to type, so the check ``kita_facilities`` and
the allocation read both alike.
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from app.kita.facilities import age_groups
from app.models import KitaFacility
from app.service_definitions import plugins

_GROUP_TEXT = {
    "under_3": {"de": "unter 3 Jahren", "en": "under three"},
    "over_3": {"de": "ab 3 Jahren", "en": "three and older"},
}


def _label(facility: KitaFacility) -> dict[str, str]:
    # Name and address: two facilities of one carrier are told apart by the street.
    where = f"{facility.street} {facility.house_number}, {facility.postal_code} {facility.city}"
    text = f"{facility.name} – {where}"
    return {"de": text, "en": text}


def _hint(facility: KitaFacility) -> dict[str, str]:
    groups = age_groups(facility)
    hours = ", ".join(str(hour) for hour in sorted(facility.hours or []))
    return {
        "de": f"Plätze für Kinder {' und '.join(_GROUP_TEXT[g]['de'] for g in groups)}; "
        f"{hours} Stunden pro Woche",
        "en": f"Places for children {' and '.join(_GROUP_TEXT[g]['en'] for g in groups)}; "
        f"{hours} hours a week",
    }


class FacilityOptions(plugins.OptionSource):
    """The active facilities by name; the value is the facility's number."""

    def options(self) -> list[dict[str, Any]]:
        """Every active facility as an option, by name."""
        facilities = (
            KitaFacility.select()
            .where(KitaFacility.active == True)  # noqa: E712 (SQL comparison)
            .order_by(KitaFacility.name, KitaFacility.id)
        )
        return [
            {"value": str(facility.id), "label": _label(facility), "hint": _hint(facility)}
            for facility in facilities
        ]

    def label(self, value: str) -> dict[str, str] | None:
        """The facility's name and address, also of an inactive one (a stored choice)."""
        if not value.isdigit():
            return None
        facility = KitaFacility.get_or_none(KitaFacility.id == int(value))
        return _label(facility) if facility is not None else None

    def stamp(self) -> str:
        """Count, newest id and latest change of the facilities: any create or update
        moves it (facilities are never deleted, only made inactive)."""
        row = KitaFacility.select(
            fn.COUNT(KitaFacility.id), fn.MAX(KitaFacility.id), fn.MAX(KitaFacility.updated_at)
        ).tuples()[0]
        return "|".join("" if value is None else str(value) for value in row)


def register_builtin() -> None:
    """Register the option source ``kita_facilities``; calling it again changes nothing."""
    plugins.option_sources.register("kita_facilities")(FacilityOptions)
