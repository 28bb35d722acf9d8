"""Accounts an admin has deactivated: no sign-in of any kind until reactivated."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql('ALTER TABLE "user" ADD COLUMN deactivated_at {ts}')
