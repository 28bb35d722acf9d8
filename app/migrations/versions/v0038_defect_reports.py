"""Defect reports (Mängelmelder) and Open311 API keys (``app.reports``)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE report_category (
            id {pk},
            code VARCHAR(40) NOT NULL,
            name_de VARCHAR(100) NOT NULL,
            name_en VARCHAR(100) NOT NULL,
            description_de VARCHAR(500) NOT NULL,
            description_en VARCHAR(500) NOT NULL,
            "group" VARCHAR(100) NOT NULL,
            keywords VARCHAR(300) NOT NULL,
            department VARCHAR(40) NOT NULL,
            position INTEGER NOT NULL,
            active {bool} NOT NULL
        );
        CREATE UNIQUE INDEX report_category_code ON report_category (code);
        CREATE TABLE open311_key (
            id {pk},
            name VARCHAR(100) NOT NULL,
            key_hash VARCHAR(64) NOT NULL,
            prefix VARCHAR(12) NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL,
            last_used_at {ts},
            revoked_at {ts}
        );
        CREATE UNIQUE INDEX open311_key_key_hash ON open311_key (key_hash);
        CREATE TABLE defect_report (
            id {pk},
            category_id INTEGER NOT NULL REFERENCES report_category (id) ON DELETE RESTRICT,
            status VARCHAR(20) NOT NULL,
            visibility VARCHAR(10) NOT NULL,
            photos_public {bool} NOT NULL,
            description TEXT NOT NULL,
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION,
            address VARCHAR(200) NOT NULL,
            street VARCHAR(200) NOT NULL,
            reporter_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            email VARCHAR(254),
            locale VARCHAR(5) NOT NULL,
            token VARCHAR(32) NOT NULL,
            idempotency_key VARCHAR(64),
            source VARCHAR(10) NOT NULL,
            api_key_id INTEGER REFERENCES open311_key (id) ON DELETE SET NULL,
            duplicate_of_id INTEGER REFERENCES defect_report (id) ON DELETE SET NULL,
            public_comment TEXT NOT NULL,
            demo {bool} NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX defect_report_token ON defect_report (token);
        CREATE UNIQUE INDEX defect_report_idempotency_key ON defect_report (idempotency_key);
        CREATE INDEX defect_report_status_created_at ON defect_report (status, created_at);
        CREATE INDEX defect_report_visibility_created_at
            ON defect_report (visibility, created_at);
        CREATE INDEX defect_report_reporter_id ON defect_report (reporter_id);
        CREATE TABLE report_photo (
            id {pk},
            report_id INTEGER NOT NULL REFERENCES defect_report (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            data {blob} NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX report_photo_report_id_position ON report_photo (report_id, position);
        CREATE TABLE report_event (
            id {pk},
            report_id INTEGER NOT NULL REFERENCES defect_report (id) ON DELETE CASCADE,
            kind VARCHAR(12) NOT NULL,
            status VARCHAR(20) NOT NULL,
            comment TEXT NOT NULL,
            actor_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX report_event_report_id ON report_event (report_id)
        """
    )
