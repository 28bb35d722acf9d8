"""What the citizen hears of a status change, as data in the definition.

A workflow status may carry a default ``message`` (``{de: …, en: …}``) for a clerk's
change to it; a definition's own ``messages`` (status id → text) replace the
workflow's, so services sharing the ``standard`` workflow still speak for themselves.
Texts name only the placeholders in ``PLACEHOLDERS``; the loader refuses any other.

A transition row may say ``notify: false``: the move is internal (a clerk taking a
case, a rule handing it to a clerk) and the citizen gets no inbox message, push or
e-mail for it. Decisions and questions are always announced; the loader refuses a
silent one.
"""

from __future__ import annotations

import string
from typing import Any

from app.service_definitions.model import ServiceDefinition
from app.service_definitions.problems import Problem, problem

# What a message text may name: the application's reference as printed, the service's
# title, the fee (written in the reader's format) and the new status's label.
PLACEHOLDERS = ("reference", "service", "fee", "status")

_FORMATTER = string.Formatter()


def placeholder_problems(text: str, path: str = "") -> list[Problem]:
    """Why ``text`` (at ``path``) cannot be filled in: unknown or malformed placeholders."""
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError as exc:
        return [problem(path, "placeholder_malformed", problem=str(exc))]
    problems = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            problems.append(problem(path, "placeholder_unknown", name=name, known=known))
        elif spec or conversion:
            problems.append(problem(path, "placeholder_format", name=name))
    return problems


def check(data: dict[str, Any]) -> list[Problem]:
    """Problems of a schema-valid definition's messages and ``notify`` flags."""
    workflow = data["workflow"]
    statuses = {status["id"]: status for status in workflow["statuses"]}
    problems: list[Problem] = []
    for index, status in enumerate(workflow["statuses"]):
        problems += _text_problems(status.get("message"), f"workflow.statuses[{index}].message")
    for status_id, text in (data.get("messages") or {}).items():
        path = f"messages.{status_id}"
        if status_id not in statuses:
            problems.append(
                problem(path, "unknown_status_known", id=status_id, known=sorted(statuses))
            )
        problems += _text_problems(text, path)
    for index, row in enumerate(workflow["transitions"]):
        if row.get("notify", True):
            continue
        path = f"workflow.transitions[{index}].notify"
        target = statuses.get(row["to"], {})
        if target.get("decision"):
            problems.append(problem(path, "decision_must_notify", id=row["to"]))
        if row.get("message_required"):
            problems.append(problem(path, "required_message_must_notify"))
        if _citizen_may_act(workflow, row["to"]):
            problems.append(problem(path, "citizen_must_hear", id=row["to"]))
    return problems


def _text_problems(text: dict[str, str] | None, path: str) -> list[Problem]:
    if not text:
        return []
    return [
        found
        for lang, value in text.items()
        for found in placeholder_problems(value, f"{path}.{lang}")
    ]


def _citizen_may_act(workflow: dict[str, Any], status: str) -> bool:
    terminal = {s["id"] for s in workflow["statuses"] if s.get("terminal")}
    return any(
        row["from"] == status and row["actor"] == "citizen" and row["to"] not in terminal
        for row in workflow["transitions"]
    )


def template(definition: ServiceDefinition, status: str) -> dict[str, str] | None:
    """The default message for a change to ``status`` (per language), or ``None``."""
    own = (definition.data.get("messages") or {}).get(status)
    if own:
        return own
    for spec in definition.data["workflow"]["statuses"]:
        if spec["id"] == status:
            return spec.get("message")
    return None


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders filled (checked at load time, so all are known)."""
    try:
        return text.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError):
        # A definition stored before the check existed: show it unfilled, never fail.
        return text


def notifies(row: dict[str, Any] | None) -> bool:
    """Whether a transition row's move is announced to the citizen (default: yes)."""
    return True if row is None else bool(row.get("notify", True))
