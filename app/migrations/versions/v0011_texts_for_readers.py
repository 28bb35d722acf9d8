"""Inbox messages and system entries of an application's history keep their text as
message keys, rendered in the reader's language."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE inbox_message ADD COLUMN texts TEXT;
        ALTER TABLE application_event ADD COLUMN message_text TEXT
        """
    )
