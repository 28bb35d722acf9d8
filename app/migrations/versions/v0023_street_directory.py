"""The street directory in the database: each admin import is one complete version."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE street_directory_version (
            id {pk},
            city VARCHAR(100) NOT NULL,
            streets TEXT NOT NULL,
            street_count INTEGER NOT NULL,
            file_name VARCHAR(200) NOT NULL,
            summary TEXT NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX street_directory_version_created_by_id
            ON street_directory_version (created_by_id)
        """
    )
