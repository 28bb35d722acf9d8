"""Retention: the runs of the daily job that deletes expired applications."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE retention_run (
            id {pk},
            started_at {ts} NOT NULL,
            finished_at {ts},
            started_by VARCHAR(16) NOT NULL,
            deleted_drafts INTEGER NOT NULL,
            deleted_closed INTEGER NOT NULL,
            held INTEGER NOT NULL,
            services TEXT NOT NULL
        )
        """
    )
