"""Feedback from citizens (accessibility statement and general)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE feedback (
            id {pk},
            kind VARCHAR(20) NOT NULL,
            message TEXT NOT NULL,
            email VARCHAR(254),
            page VARCHAR(500) NOT NULL,
            locale VARCHAR(5) NOT NULL,
            user_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL,
            handled_at {ts}
        );
        CREATE INDEX feedback_created_at ON feedback (created_at)
        """
    )
