"""Service definitions, applications with history and attachments, inbox and documents."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE service_definition (
            id {pk},
            service_id VARCHAR(64) NOT NULL,
            version INTEGER NOT NULL,
            state VARCHAR(16) NOT NULL,
            area VARCHAR(64) NOT NULL,
            data TEXT NOT NULL,
            fingerprint VARCHAR(64) NOT NULL,
            source VARCHAR(200) NOT NULL,
            created_at {ts} NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            published_at {ts},
            retired_at {ts}
        );
        CREATE UNIQUE INDEX service_definition_service_id_version
            ON service_definition (service_id, version);
        CREATE TABLE application (
            id VARCHAR(24) NOT NULL PRIMARY KEY,
            reference VARCHAR(8) UNIQUE,
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            definition_id INTEGER NOT NULL REFERENCES service_definition (id) ON DELETE RESTRICT,
            service_id VARCHAR(64) NOT NULL,
            area VARCHAR(64) NOT NULL,
            status VARCHAR(32) NOT NULL,
            answers TEXT NOT NULL,
            revision INTEGER NOT NULL,
            fee_cents INTEGER NOT NULL,
            fees TEXT NOT NULL,
            warnings TEXT NOT NULL,
            applicant_name VARCHAR(200) NOT NULL,
            draft_key VARCHAR(64),
            submit_key VARCHAR(64),
            assigned_to_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL,
            submitted_at {ts},
            decided_at {ts}
        );
        CREATE UNIQUE INDEX application_user_id_draft_key ON application (user_id, draft_key);
        CREATE UNIQUE INDEX application_user_id_submit_key ON application (user_id, submit_key);
        CREATE INDEX application_area_status_submitted_at_id
            ON application (area, status, submitted_at, id);
        CREATE INDEX application_service_id_status_submitted_at_id
            ON application (service_id, status, submitted_at, id);
        CREATE INDEX application_user_id_updated_at ON application (user_id, updated_at);
        CREATE INDEX application_definition_id ON application (definition_id);
        CREATE INDEX application_assigned_to_id ON application (assigned_to_id);
        CREATE INDEX application_applicant_name ON application (applicant_name);
        CREATE TABLE application_event (
            id {pk},
            application_id VARCHAR(24) NOT NULL REFERENCES application (id) ON DELETE CASCADE,
            at {ts} NOT NULL,
            actor_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            actor_role VARCHAR(16) NOT NULL,
            kind VARCHAR(24) NOT NULL,
            from_status VARCHAR(32) NOT NULL,
            to_status VARCHAR(32) NOT NULL,
            message TEXT NOT NULL,
            internal {bool} NOT NULL
        );
        CREATE INDEX application_event_application_id ON application_event (application_id);
        CREATE TABLE attachment (
            id VARCHAR(24) NOT NULL PRIMARY KEY,
            application_id VARCHAR(24) NOT NULL REFERENCES application (id) ON DELETE CASCADE,
            field_id VARCHAR(64) NOT NULL,
            filename VARCHAR(200) NOT NULL,
            content_type VARCHAR(100) NOT NULL,
            size INTEGER NOT NULL,
            sha256 VARCHAR(64) NOT NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX attachment_application_id ON attachment (application_id);
        CREATE TABLE document (
            id VARCHAR(24) NOT NULL PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            application_id VARCHAR(24) REFERENCES application (id) ON DELETE CASCADE,
            kind VARCHAR(24) NOT NULL,
            filename VARCHAR(200) NOT NULL,
            content_type VARCHAR(100) NOT NULL,
            size INTEGER NOT NULL,
            sha256 VARCHAR(64) NOT NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX document_user_id ON document (user_id);
        CREATE TABLE inbox_message (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            application_id VARCHAR(24) REFERENCES application (id) ON DELETE CASCADE,
            document_id VARCHAR(24) REFERENCES document (id) ON DELETE SET NULL,
            kind VARCHAR(24) NOT NULL,
            subject VARCHAR(200) NOT NULL,
            body TEXT NOT NULL,
            created_at {ts} NOT NULL,
            read_at {ts}
        );
        CREATE INDEX inbox_message_user_id_created_at ON inbox_message (user_id, created_at)
        """
    )
