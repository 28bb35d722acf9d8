"""The submission check ``kita_facilities``: the facility choices must name active
facilities that offer the child's age group and the weekly hours asked for, without
repeats; the start date must come after the birth date.

A definition names it in ``checks`` and maps the plugin's answers to its fields in
``plugin_options.kita_facilities.fields`` (an unknown field fails loading).
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.applications import checks, definitions
from app.errors import FieldError
from app.kita import answers, facilities, options
from app.kita.settings import PLUGIN
from app.models import Application


class FacilityChoicesCheck(checks.Check):
    """The ranked facility choices checked against the facilities table."""

    label: ClassVar[dict[str, str]] = {
        "de": "Kita: Wunsch-Einrichtungen prüfen",
        "en": "Day care: check the chosen facilities",
    }
    description: ClassVar[dict[str, str]] = {
        "de": "Prüft die gewählten Einrichtungen gegen die Einrichtungsdaten.",
        "en": "Checks the chosen facilities against the facility data.",
    }

    def problems(self, application: Application, cleaned: dict[str, Any]) -> list[FieldError]:
        ids = answers.field_ids(definitions.of_application(application))
        request = answers.read(cleaned, ids)
        found: list[FieldError] = []
        if (
            request.child_birth_date
            and request.start_date
            and request.start_date <= request.child_birth_date
        ):
            found.append(FieldError(ids["start_date"], "kita_start_before_birth"))
        group = answers.age_group(request.child_birth_date, request.start_date)
        seen: set[str] = set()
        for role in answers.CHOICES:
            raw = cleaned.get(ids[role])
            if raw in (None, ""):
                continue
            text = str(raw).strip()
            if text in seen:
                found.append(FieldError(ids[role], "kita_choice_repeated"))
                continue
            seen.add(text)
            if not text.isdigit():
                found.append(FieldError(ids[role], "kita_unknown_facility"))
                continue
            reason = facilities.choosable(int(text), group, request.weekly_hours)
            if reason:
                found.append(FieldError(ids[role], reason))
        if not seen:
            found.append(FieldError(ids["first_choice"], "required"))
        return found


def register_builtin() -> None:
    """Register the check ``kita_facilities`` and the option source of the same name
    (the facilities a form offers); calling it again changes nothing."""
    checks.register(PLUGIN)(FacilityChoicesCheck)
    options.register_builtin()
