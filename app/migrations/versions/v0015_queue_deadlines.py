"""Processing deadlines and the clerks' daily digest.

Applications get ``due_at`` (when the case should be decided) and an index for the
queue ordered by it; cases already in the workflow get a due date counted from their
submission. ``staff_digest`` records each clerk's daily digest (one per clerk and day).
"""

from app.migrations import Step

# The built-in services' processing targets (calendar days) when due dates came in;
# other services get the engine's default. Frozen here: later changes to a definition
# apply to new cases only.
_TARGETS = {
    "business_registration": 5,
    "civil_status_certificate": 10,
    "dog_tax_deregistration": 14,
    "dog_tax_registration": 14,
    "registration_certificate": 3,
    "registry_information_simple": 5,
    "resident_parking": 7,
    "waste_bins": 10,
}
_DEFAULT_TARGET = 14


def _days_case() -> str:
    whens = " ".join(f"WHEN '{service}' THEN {days}" for service, days in _TARGETS.items())
    return f"(CASE service_id {whens} ELSE {_DEFAULT_TARGET} END)"


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
    days = _days_case()
    if step.dialect == "postgres":
        due = f"submitted_at + INTERVAL '1 day' * {days}"
    else:
        due = f"datetime(submitted_at, '+' || {days} || ' days')"
    # Built from this module's constants only.
    step.database.execute_sql(
        f"UPDATE application SET due_at = {due} "  # noqa: S608
        "WHERE submitted_at IS NOT NULL AND status NOT IN ('draft', 'awaiting_payment')"
    )
