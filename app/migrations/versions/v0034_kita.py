"""Day-care places (Kita): facilities, facility staff, offers and second-parent
confirmations (``app.kita``)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE kita_facility (
            id {pk},
            name VARCHAR(200) NOT NULL,
            street VARCHAR(200) NOT NULL,
            house_number VARCHAR(20) NOT NULL,
            postal_code VARCHAR(10) NOT NULL,
            city VARCHAR(100) NOT NULL,
            carrier VARCHAR(200) NOT NULL,
            places_under_3 INTEGER NOT NULL,
            places_over_3 INTEGER NOT NULL,
            hours TEXT NOT NULL,
            demo {bool} NOT NULL,
            active {bool} NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX kita_facility_name ON kita_facility (name);
        CREATE TABLE kita_facility_staff (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            facility_id INTEGER NOT NULL REFERENCES kita_facility (id) ON DELETE CASCADE
        );
        CREATE UNIQUE INDEX kita_facility_staff_user_id_facility_id
            ON kita_facility_staff (user_id, facility_id);
        CREATE TABLE kita_offer (
            id {pk},
            application_id VARCHAR(24) NOT NULL REFERENCES application (id) ON DELETE CASCADE,
            facility_id INTEGER NOT NULL REFERENCES kita_facility (id) ON DELETE RESTRICT,
            age_group VARCHAR(16) NOT NULL,
            hours INTEGER NOT NULL,
            choice INTEGER NOT NULL,
            status VARCHAR(16) NOT NULL,
            deadline DATE NOT NULL,
            offered_at {ts} NOT NULL,
            offered_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            closed_at {ts}
        );
        CREATE INDEX kita_offer_application_id ON kita_offer (application_id);
        CREATE INDEX kita_offer_facility_id_status ON kita_offer (facility_id, status);
        CREATE INDEX kita_offer_status_deadline ON kita_offer (status, deadline);
        CREATE TABLE kita_parent_confirmation (
            id {pk},
            application_id VARCHAR(24) NOT NULL REFERENCES application (id) ON DELETE CASCADE,
            email VARCHAR(254) NOT NULL,
            token_hash VARCHAR(64) NOT NULL,
            invited_at {ts} NOT NULL,
            confirmed_at {ts},
            confirmed_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL
        );
        CREATE UNIQUE INDEX kita_parent_confirmation_application_id
            ON kita_parent_confirmation (application_id);
        CREATE UNIQUE INDEX kita_parent_confirmation_token_hash
            ON kita_parent_confirmation (token_hash)
        """
    )
