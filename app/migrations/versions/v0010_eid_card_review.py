"""The ID card's data as read, kept on the binding until the citizen decides what to take."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE eid_binding ADD COLUMN card TEXT;
        ALTER TABLE eid_binding ADD COLUMN card_read_at {ts};
        ALTER TABLE eid_binding ADD COLUMN review_pending {bool} NOT NULL DEFAULT FALSE
        """
    )
