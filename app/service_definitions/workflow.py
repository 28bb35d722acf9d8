"""The status lifecycle of an application, read from its definition's transition table.

Nothing here hard-codes a status: a change is allowed exactly when the table has a row
``(from, to, actor)``. Actors are ``citizen``, ``staff`` and ``system``.
"""

from __future__ import annotations

from typing import Any

from app.service_definitions.model import ServiceDefinition

ACTORS = ("citizen", "staff", "system")


class TransitionNotAllowed(ValueError):
    """A status change the definition's workflow does not permit."""

    def __init__(self, from_status: str, to_status: str, actor: str):
        self.from_status = from_status
        self.to_status = to_status
        self.actor = actor
        super().__init__(f"{actor} may not change status {from_status!r} to {to_status!r}")


def initial_status(definition: ServiceDefinition) -> str:
    """The status an application gets on submission."""
    return definition.data["workflow"]["initial"]


def statuses(definition: ServiceDefinition) -> list[str]:
    """All status ids in declaration order."""
    return [status["id"] for status in definition.data["workflow"]["statuses"]]


def is_terminal(definition: ServiceDefinition, status: str) -> bool:
    """Tell whether ``status`` ends the lifecycle; ``KeyError`` for an unknown status."""
    return _status(definition, status)["terminal"]


def status_text(definition: ServiceDefinition, status: str) -> dict[str, str]:
    """The status's label in every language of the definition (``{"de": …, "en": …}``)."""
    return _status(definition, status)["label"]


def status_label(definition: ServiceDefinition, status: str, locale: str) -> str:
    """The status's label in ``locale`` (German for unknown locales)."""
    label = _status(definition, status)["label"]
    return label.get(locale) or label["de"]


def transition(
    definition: ServiceDefinition, from_status: str, to_status: str, actor: str
) -> dict[str, Any] | None:
    """The table row permitting the change (with ``message_required``), or ``None``."""
    for row in definition.data["workflow"]["transitions"]:
        if row["from"] == from_status and row["to"] == to_status and row["actor"] == actor:
            return row
    return None


def allowed(definition: ServiceDefinition, from_status: str, to_status: str, actor: str) -> bool:
    """Tell whether ``actor`` may change an application from ``from_status`` to ``to_status``."""
    return transition(definition, from_status, to_status, actor) is not None


def check_transition(
    definition: ServiceDefinition, from_status: str, to_status: str, actor: str
) -> dict[str, Any]:
    """Return the permitting row or raise ``TransitionNotAllowed``."""
    row = transition(definition, from_status, to_status, actor)
    if row is None:
        raise TransitionNotAllowed(from_status, to_status, actor)
    return row


def next_statuses(
    definition: ServiceDefinition, from_status: str, actor: str | None = None
) -> list[str]:
    """Statuses reachable in one step from ``from_status`` (by ``actor``, or by anyone).

    The order follows the transition table, without repeats.
    """
    found: list[str] = []
    for row in definition.data["workflow"]["transitions"]:
        if row["from"] != from_status or (actor is not None and row["actor"] != actor):
            continue
        if row["to"] not in found:
            found.append(row["to"])
    return found


def _status(definition: ServiceDefinition, status: str) -> dict[str, Any]:
    for spec in definition.data["workflow"]["statuses"]:
        if spec["id"] == status:
            return spec
    raise KeyError(status)
