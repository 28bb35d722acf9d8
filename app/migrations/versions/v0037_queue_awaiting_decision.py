"""Cases waiting for a decision are marked, and the queue's open views read them from
one partial index per area.

The open views used to scan the index on (area, status, …) once per area and open
status: a clerk of seven areas paid 21 scans per page. ``awaiting_decision`` is kept
with every status change (lifecycle); here it is worked out for the cases there are,
from their own definition version's workflow.
"""

from __future__ import annotations

import json
from typing import Any

from app.migrations import Step

# The engine's statuses before the workflow: never awaiting a decision.
_ENGINE_STATUSES = ("draft", "awaiting_payment")


def awaiting(data: dict[str, Any]) -> list[str]:
    """The workflow statuses of one stored version in which a case awaits a decision:
    neither a decision nor an end (as workflow.awaits_decision says today)."""
    return sorted(
        status["id"]
        for status in data["workflow"]["statuses"]
        if status.get("decision") is None
        and not status.get("terminal")
        and status["id"] not in _ENGINE_STATUSES
    )


def upgrade(step: Step) -> None:
    false = "FALSE" if step.dialect == "postgres" else "0"
    step.sql(
        f"ALTER TABLE application ADD COLUMN awaiting_decision {{bool}} NOT NULL DEFAULT {false}"
    )
    param = step.database.param
    rows = step.database.execute_sql("SELECT id, data FROM service_definition").fetchall()
    for definition_id, data in rows:
        statuses = awaiting(json.loads(data) if isinstance(data, str) else data)
        if not statuses:
            continue
        marks = ", ".join([param] * len(statuses))
        step.database.execute_sql(
            "UPDATE application SET awaiting_decision = "  # noqa: S608 - placeholders only
            f"{'TRUE' if step.dialect == 'postgres' else '1'} "
            f"WHERE definition_id = {param} AND submitted_at IS NOT NULL "
            f"AND status IN ({marks})",
            (definition_id, *statuses),
        )
    # The queries say ``WHERE awaiting_decision`` exactly so: both databases then see
    # that the partial index covers them.
    step.sql(
        """
        CREATE INDEX application_awaiting_area_submitted_at_id
            ON application (area, submitted_at, id) WHERE awaiting_decision;
        CREATE INDEX application_awaiting_area_due_at_id
            ON application (area, due_at, id) WHERE awaiting_decision
        """
    )
