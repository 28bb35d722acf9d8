"""What the day-care plugin reads from an application's answers.

The definition maps the plugin's names to its own field ids under
``plugin_options.kita_facilities.fields`` (checked when the definition loads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.applications import definitions
from app.kita.settings import PLUGIN
from app.models import Application
from app.service_definitions import ServiceDefinition, plugins

ROLES = (
    "first_choice",
    "second_choice",
    "third_choice",
    "child_birth_date",
    "start_date",
    "weekly_hours",
    "second_parent_email",
    "child_given_names",
    "child_family_name",
)
CHOICES = ("first_choice", "second_choice", "third_choice")


def field_ids(definition: ServiceDefinition) -> dict[str, str]:
    """The definition's field id for each answer the plugin reads."""
    return plugins.field_ids(definition, PLUGIN, ROLES)


def is_kita_definition(definition: ServiceDefinition) -> bool:
    """Whether the definition is a day-care application (it names the plugin's check)."""
    return PLUGIN in (definition.data.get("checks") or [])


@dataclass(frozen=True)
class Request:
    """A day-care application as the allocation sees it."""

    choices: tuple[int, ...]  # facility ids, most wanted first, no repeats
    child_birth_date: date | None
    start_date: date | None
    weekly_hours: int | None
    second_parent_email: str
    child_name: str


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def read(answers: dict[str, Any], ids: dict[str, str]) -> Request:
    """The request in ``answers`` (cleaned answers of a day-care definition)."""
    choices: list[int] = []
    for role in CHOICES:
        facility = _int(answers.get(ids[role]))
        if facility is not None and facility not in choices:
            choices.append(facility)
    return Request(
        choices=tuple(choices),
        child_birth_date=_date(answers.get(ids["child_birth_date"])),
        start_date=_date(answers.get(ids["start_date"])),
        weekly_hours=_int(answers.get(ids["weekly_hours"])),
        second_parent_email=str(answers.get(ids["second_parent_email"]) or ""),
        child_name=" ".join(
            str(answers.get(ids[role]) or "") for role in ("child_given_names", "child_family_name")
        ).strip(),
    )


def of_application(application: Application) -> Request:
    """The request of ``application`` (read with the fields of its definition version)."""
    return read(application.answers or {}, field_ids(definitions.of_application(application)))


def age_group(birth_date: date | None, start: date | None) -> str:
    """``under_3`` when the child is not yet three on the start date, else ``over_3``."""
    if birth_date is None or start is None:
        return "over_3"
    try:
        third_birthday = birth_date.replace(year=birth_date.year + 3)
    except ValueError:  # born on 29 February: the birthday counts on 1 March
        third_birthday = date(birth_date.year + 3, 3, 1)
    return "under_3" if start < third_birthday else "over_3"
