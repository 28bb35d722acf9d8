"""A draft version gets a working copy: what the console's editor saved last, valid or
not, with a revision for ``If-Match`` and who changed it when. ``data`` stays the last
valid content, which everything else reads."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE service_definition ADD COLUMN working TEXT;
        ALTER TABLE service_definition ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE service_definition ADD COLUMN changed_at {ts};
        ALTER TABLE service_definition
            ADD COLUMN changed_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL;
        CREATE INDEX service_definition_changed_by_id ON service_definition (changed_by_id)
        """
    )
