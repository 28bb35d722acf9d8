"""A citizen's reply to a query: files sent with it point at the reply in the history,
a retried reply is recognised by the client's key, and the queue marks cases whose
citizen has answered until a clerk has looked at them."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE application ADD COLUMN citizen_replied_at {ts};
        ALTER TABLE application_event ADD COLUMN client_key VARCHAR(64);
        CREATE UNIQUE INDEX application_event_application_id_client_key
            ON application_event (application_id, client_key);
        ALTER TABLE attachment ADD COLUMN reply_event_id {bigint}
            REFERENCES application_event (id) ON DELETE CASCADE;
        CREATE INDEX attachment_reply_event_id ON attachment (reply_event_id)
        """
    )
