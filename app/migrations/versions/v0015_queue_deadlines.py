"""Processing deadlines and the clerks' daily digest.

Applications get ``due_at`` (when the case should be decided) and an index for the
queue ordered by it; cases already in the workflow get a due date counted from their
submission (their definition version's ``processing.target_days``, else 14 days).
``staff_digest`` records each clerk's daily digest (one per clerk and day).
"""

import json

from app.migrations import Step

# The engine's default target when a definition names none (calendar days).
_DEFAULT_TARGET = 14


def _targets(step: Step) -> dict[int, int]:
    """Stored definition versions that name a processing target: id → days."""
    targets = {}
    for definition_id, data in step.database.execute_sql("SELECT id, data FROM service_definition"):
        processing = (json.loads(data) if isinstance(data, str) else data).get("processing")
        days = (processing or {}).get("target_days")
        if isinstance(days, int) and 0 < days <= 365:
            targets[definition_id] = days
    return targets


def _due(step: Step, days: int) -> str:
    if step.dialect == "postgres":
        return f"submitted_at + INTERVAL '{days} days'"
    return f"datetime(submitted_at, '+{days} days')"


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE application ADD COLUMN due_at {ts};
        CREATE INDEX application_area_status_due_at_id
            ON application (area, status, due_at, id);
        CREATE TABLE staff_digest (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            day DATE NOT NULL,
            until {ts} NOT NULL,
            new_count INTEGER NOT NULL,
            overdue_count INTEGER NOT NULL,
            mail_id INTEGER REFERENCES notification_mail (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX staff_digest_user_id_day ON staff_digest (user_id, day);
        CREATE INDEX staff_digest_mail_id ON staff_digest (mail_id)
        """
    )
    # Cases in the workflow: due counted from submission, by their definition's target
    # where it names one, else the default. The SQL holds only whole numbers from here.
    in_workflow = (
        "submitted_at IS NOT NULL AND status NOT IN ('draft', 'awaiting_payment')"
        " AND due_at IS NULL"
    )
    param = step.database.param
    for definition_id, days in sorted(_targets(step).items()):
        step.database.execute_sql(
            f"UPDATE application SET due_at = {_due(step, days)} "  # noqa: S608
            f"WHERE definition_id = {param} AND {in_workflow}",
            (definition_id,),
        )
    step.database.execute_sql(
        f"UPDATE application SET due_at = {_due(step, _DEFAULT_TARGET)} "  # noqa: S608
        f"WHERE {in_workflow}"
    )
