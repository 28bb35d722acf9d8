"""Indexes for clerk queues without a status filter: ordered scans per area and service."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE INDEX application_area_submitted_at_id ON application (area, submitted_at, id);
        CREATE INDEX application_service_id_submitted_at_id
            ON application (service_id, submitted_at, id)
        """
    )
