"""Campaigns: tags the city prints on flyers and posters, the anonymous daily count of
landings per tag and service, and the tag carried with a journey's step views (so a
submission from that entry counts as submitted via the tag)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE campaign (
            id {pk},
            tag VARCHAR(40) NOT NULL,
            name VARCHAR(120) NOT NULL,
            service_id VARCHAR(64),
            created_at {ts} NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            archived_at {ts}
        );
        CREATE UNIQUE INDEX campaign_tag ON campaign (tag);
        CREATE INDEX campaign_created_by_id ON campaign (created_by_id);
        CREATE TABLE campaign_entry (
            id {pk},
            day DATE NOT NULL,
            tag VARCHAR(40) NOT NULL,
            service_id VARCHAR(64) NOT NULL,
            count INTEGER NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX campaign_entry_day_tag_service_id
            ON campaign_entry (day, tag, service_id);
        CREATE INDEX campaign_entry_updated_at ON campaign_entry (updated_at);
        ALTER TABLE step_view ADD COLUMN campaign VARCHAR(40)
        """
    )
