"""Values a clerk sets at a decision (the granted amount, the period) are kept with the
history entry of the decision."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql("ALTER TABLE application_event ADD COLUMN decision_values TEXT")
