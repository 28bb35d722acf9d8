"""Resident parking: zones and street ranges, permits with their passes and plates,
renewal links, pass revocations and counters (permit numbers, revocation list version)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE parking_zone (
            code VARCHAR(8) NOT NULL PRIMARY KEY,
            name VARCHAR(100) NOT NULL,
            active {bool} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE TABLE parking_street_range (
            id {pk},
            street VARCHAR(100) NOT NULL,
            street_key VARCHAR(100) NOT NULL,
            postal_code VARCHAR(5) NOT NULL,
            first_number INTEGER NOT NULL,
            last_number INTEGER NOT NULL,
            parity VARCHAR(4) NOT NULL,
            zone_code VARCHAR(8) NOT NULL REFERENCES parking_zone (code) ON DELETE RESTRICT,
            updated_at {ts} NOT NULL
        );
        CREATE INDEX parking_street_range_street_key_first_number
            ON parking_street_range (street_key, first_number);
        CREATE INDEX parking_street_range_zone_code ON parking_street_range (zone_code);
        CREATE TABLE parking_permit (
            id VARCHAR(24) NOT NULL PRIMARY KEY,
            number VARCHAR(24) NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            application_id VARCHAR(24) REFERENCES application (id) ON DELETE SET NULL,
            zone VARCHAR(8) NOT NULL,
            plates TEXT NOT NULL,
            valid_from DATE NOT NULL,
            valid_to DATE NOT NULL,
            sequence INTEGER NOT NULL,
            status VARCHAR(16) NOT NULL,
            pass_text TEXT NOT NULL,
            kid VARCHAR(16) NOT NULL,
            issued_at {ts} NOT NULL,
            revoked_at {ts},
            revoke_reason VARCHAR(32) NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE INDEX parking_permit_user_id ON parking_permit (user_id);
        CREATE INDEX parking_permit_application_id ON parking_permit (application_id);
        CREATE INDEX parking_permit_status_valid_to ON parking_permit (status, valid_to);
        CREATE TABLE parking_pass (
            id {pk},
            permit_id VARCHAR(24) NOT NULL REFERENCES parking_permit (id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            reason VARCHAR(16) NOT NULL,
            plates TEXT NOT NULL,
            zone VARCHAR(8) NOT NULL,
            valid_from DATE NOT NULL,
            valid_to DATE NOT NULL,
            pass_text TEXT NOT NULL,
            kid VARCHAR(16) NOT NULL,
            issued_at {ts} NOT NULL,
            status VARCHAR(16) NOT NULL,
            application_id VARCHAR(24) REFERENCES application (id) ON DELETE SET NULL,
            document_id VARCHAR(24) REFERENCES document (id) ON DELETE SET NULL
        );
        CREATE UNIQUE INDEX parking_pass_permit_id_sequence ON parking_pass (permit_id, sequence);
        CREATE UNIQUE INDEX parking_pass_application_id ON parking_pass (application_id);
        CREATE INDEX parking_pass_document_id ON parking_pass (document_id);
        CREATE TABLE parking_plate (
            id {pk},
            issued_pass_id INTEGER NOT NULL REFERENCES parking_pass (id) ON DELETE CASCADE,
            plate VARCHAR(12) NOT NULL
        );
        CREATE INDEX parking_plate_issued_pass_id ON parking_plate (issued_pass_id);
        CREATE INDEX parking_plate_plate ON parking_plate (plate);
        CREATE TABLE parking_renewal (
            application_id VARCHAR(24) NOT NULL PRIMARY KEY
                REFERENCES application (id) ON DELETE CASCADE,
            permit_id VARCHAR(24) NOT NULL REFERENCES parking_permit (id) ON DELETE CASCADE,
            created_at {ts} NOT NULL
        );
        CREATE INDEX parking_renewal_permit_id ON parking_renewal (permit_id);
        CREATE TABLE pass_revocation (
            id {pk},
            entry VARCHAR(32) NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            valid_to DATE NOT NULL,
            reason VARCHAR(24) NOT NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX pass_revocation_version ON pass_revocation (version);
        CREATE TABLE parking_counter (
            name VARCHAR(64) NOT NULL PRIMARY KEY,
            value {bigint} NOT NULL
        )
        """
    )
