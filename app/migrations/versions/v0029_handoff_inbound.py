"""Reports of specialist systems about handed-off applications: each ``webhook-id`` once
per target, so a replayed report is refused."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE handoff_inbound_report (
            id {pk},
            service_id VARCHAR(64) NOT NULL,
            target_id VARCHAR(40) NOT NULL,
            webhook_id VARCHAR(128) NOT NULL,
            application_id VARCHAR(24) REFERENCES application (id) ON DELETE SET NULL,
            status VARCHAR(32) NOT NULL,
            received_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX handoff_inbound_report_service_id_target_id_webhook_id
            ON handoff_inbound_report (service_id, target_id, webhook_id);
        CREATE INDEX handoff_inbound_report_application_id
            ON handoff_inbound_report (application_id)
        """
    )
