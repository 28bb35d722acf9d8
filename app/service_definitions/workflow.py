"""The status lifecycle of an application, read from its definition's transition table.

Nothing here hard-codes a status: a change is allowed exactly when the table has a row
``(from, to, actor)``. Actors are ``citizen``, ``staff`` and ``system``. The workflow
also says which statuses are decisions (``decision: positive|negative``) and where an
automatic decision hands a case over to a clerk (``handover``).

The engine's own statuses before the workflow starts (``draft``, ``awaiting_payment``)
have a table of their own (``ENGINE_TRANSITIONS``): nobody moves an application out of
them by hand; submitting and paying do. ``actions`` answers for both tables which
changes an actor may make in a status; every caller (citizen API, staff API, push)
asks it.
"""

from __future__ import annotations

from typing import Any

from app.errors import DomainError
from app.service_definitions.model import ServiceDefinition

ACTORS = ("citizen", "staff", "system")
DECISIONS = ("positive", "negative")

# Statuses of the engine itself, before the definition's workflow starts.
ENGINE_STATUSES = ("draft", "awaiting_payment")
# How applications leave the engine's statuses: by submitting or by the fee arriving,
# never by a status change someone asks for ("workflow" = the definition's initial).
ENGINE_TRANSITIONS: tuple[dict[str, str], ...] = (
    {"from": "draft", "to": "awaiting_payment", "by": "submission"},
    {"from": "draft", "to": "workflow", "by": "submission"},
    {"from": "awaiting_payment", "to": "workflow", "by": "payment"},
)


class TransitionNotAllowed(DomainError):
    """A status change the workflow does not permit (code ``transition_not_allowed``)."""

    def __init__(self, from_status: str, to_status: str, actor: str):
        super().__init__(
            "transition_not_allowed", kind="conflict", current=from_status, wanted=to_status
        )
        self.from_status = from_status
        self.to_status = to_status
        self.actor = actor

    def __str__(self) -> str:
        return f"{self.actor} may not change status {self.from_status!r} to {self.to_status!r}"


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


def staff_label(definition: ServiceDefinition, status: str, locale: str) -> str:
    """The status's label for clerks in ``locale`` (the citizen's label if it has none)."""
    spec = _status(definition, status)
    label = spec.get("staff_label") or spec["label"]
    return label.get(locale) or label["de"]


def decision_of(definition: ServiceDefinition, status: str) -> str | None:
    """``positive`` or ``negative`` if ``status`` is a decision, else ``None``."""
    if status in ENGINE_STATUSES:
        return None
    try:
        return _status(definition, status).get("decision")
    except KeyError:
        return None


def handover_status(definition: ServiceDefinition) -> str:
    """Where an automatic decision that does not decide hands the case to a clerk."""
    return definition.data["workflow"]["handover"]


def is_decided(definition: ServiceDefinition, status: str) -> bool:
    """Whether reaching ``status`` means the case is decided (a decision or an end)."""
    return decision_of(definition, status) is not None or is_terminal(definition, status)


def awaits_decision(definition: ServiceDefinition, status: str) -> bool:
    """Whether a case in ``status`` waits for a decision: in the workflow (not a draft or
    waiting for its fee), neither decided nor ended. The queue's open views list these."""
    return status not in ENGINE_STATUSES and not is_decided(definition, status)


def open_statuses(definition: ServiceDefinition) -> list[str]:
    """Statuses in which an application is still under way: the engine's own and every
    non-terminal status of the workflow."""
    return [*ENGINE_STATUSES, *(s for s in statuses(definition) if not is_terminal(definition, s))]


def actions(definition: ServiceDefinition, status: str, actor: str) -> list[dict[str, Any]]:
    """The status changes ``actor`` may make from ``status``: the permitting rows, in
    table order (none in the engine's own statuses)."""
    if status in ENGINE_STATUSES:
        return []
    return [
        row
        for row in definition.data["workflow"]["transitions"]
        if row["from"] == status and row["actor"] == actor
    ]


def transition(
    definition: ServiceDefinition, from_status: str, to_status: str, actor: str
) -> dict[str, Any] | None:
    """The table row permitting the change (with ``message_required`` and ``notify``),
    or ``None``."""
    if from_status in ENGINE_STATUSES:
        return None
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
