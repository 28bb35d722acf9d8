"""Closed accounts: what the city must keep after a citizen deletes their account."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql('ALTER TABLE "user" ADD COLUMN closed_at {ts}')
