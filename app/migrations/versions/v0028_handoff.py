"""The hand-off outbox: one delivery per application and hand-off target
(``app.handoff.outbox``)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE handoff_delivery (
            id {pk},
            application_id VARCHAR(24) NOT NULL REFERENCES application (id) ON DELETE CASCADE,
            service_id VARCHAR(64) NOT NULL,
            target_id VARCHAR(40) NOT NULL,
            backend VARCHAR(64) NOT NULL,
            moment VARCHAR(16) NOT NULL,
            label TEXT NOT NULL,
            settings TEXT NOT NULL,
            state VARCHAR(16) NOT NULL,
            round INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at {ts},
            lease_until {ts},
            progress TEXT NOT NULL,
            remote_id VARCHAR(200) NOT NULL,
            problems TEXT NOT NULL,
            last_error VARCHAR(500) NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL,
            sent_at {ts},
            finished_at {ts}
        );
        CREATE UNIQUE INDEX handoff_delivery_application_id_target_id
            ON handoff_delivery (application_id, target_id);
        CREATE INDEX handoff_delivery_state_next_attempt_at
            ON handoff_delivery (state, next_attempt_at)
        """
    )
