"""A citizen's notices in the order the list shows them (newest first), from the index:
no sort of the notices' rows, long texts included, on every visit to the list. The
index also serves what the one on ``user_id`` alone did, which it replaces."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE INDEX notice_user_id_issued_on_id ON notice (user_id, issued_on DESC, id DESC);
        DROP INDEX notice_user_id
        """
    )
