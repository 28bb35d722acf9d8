"""Appointments at the Bürgerbüro: counters, counter services, opening hours, closing
days, staff blocks, bookings, occupied slots, limit claims and their mails
(``app.appointments``)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE appointment_counter (
            id {pk},
            name VARCHAR(100) NOT NULL,
            active {bool} NOT NULL,
            demo {bool} NOT NULL
        );
        CREATE UNIQUE INDEX appointment_counter_name ON appointment_counter (name);
        CREATE TABLE appointment_service (
            id {pk},
            slug VARCHAR(64) NOT NULL,
            name_de VARCHAR(200) NOT NULL,
            name_en VARCHAR(200) NOT NULL,
            duration_minutes INTEGER NOT NULL,
            online_service VARCHAR(64),
            counter_ids TEXT NOT NULL,
            position INTEGER NOT NULL,
            active {bool} NOT NULL,
            demo {bool} NOT NULL
        );
        CREATE UNIQUE INDEX appointment_service_slug ON appointment_service (slug);
        CREATE TABLE appointment_opening (
            id {pk},
            weekday INTEGER NOT NULL,
            opens VARCHAR(5) NOT NULL,
            closes VARCHAR(5) NOT NULL
        );
        CREATE TABLE appointment_closing_day (
            id {pk},
            day DATE NOT NULL,
            reason_de VARCHAR(200) NOT NULL,
            reason_en VARCHAR(200) NOT NULL
        );
        CREATE UNIQUE INDEX appointment_closing_day_day ON appointment_closing_day (day);
        CREATE TABLE appointment_block (
            id {pk},
            counter_id INTEGER NOT NULL REFERENCES appointment_counter (id) ON DELETE CASCADE,
            starts_at {ts} NOT NULL,
            ends_at {ts} NOT NULL,
            reason VARCHAR(200) NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX appointment_block_counter_id ON appointment_block (counter_id);
        CREATE INDEX appointment_block_created_by_id ON appointment_block (created_by_id);
        CREATE TABLE appointment (
            id {pk},
            reference VARCHAR(16) NOT NULL,
            uid VARCHAR(100) NOT NULL,
            counter_id INTEGER NOT NULL REFERENCES appointment_counter (id) ON DELETE RESTRICT,
            service_slugs TEXT NOT NULL,
            starts_at {ts} NOT NULL,
            ends_at {ts} NOT NULL,
            status VARCHAR(16) NOT NULL,
            name VARCHAR(200) NOT NULL,
            email VARCHAR(254) NOT NULL,
            locale VARCHAR(2) NOT NULL,
            user_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            manage_token_hash VARCHAR(64) NOT NULL,
            sequence INTEGER NOT NULL,
            idempotency_key VARCHAR(64),
            reminded_at {ts},
            demo {bool} NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX appointment_reference ON appointment (reference);
        CREATE UNIQUE INDEX appointment_uid ON appointment (uid);
        CREATE UNIQUE INDEX appointment_manage_token_hash ON appointment (manage_token_hash);
        CREATE UNIQUE INDEX appointment_idempotency_key ON appointment (idempotency_key);
        CREATE INDEX appointment_counter_id ON appointment (counter_id);
        CREATE INDEX appointment_user_id ON appointment (user_id);
        CREATE INDEX appointment_starts_at_counter_id ON appointment (starts_at, counter_id);
        CREATE INDEX appointment_email ON appointment (email);
        CREATE TABLE appointment_slot (
            id {pk},
            counter_id INTEGER NOT NULL REFERENCES appointment_counter (id) ON DELETE CASCADE,
            starts_at {ts} NOT NULL,
            appointment_id INTEGER REFERENCES appointment (id) ON DELETE CASCADE,
            block_id INTEGER REFERENCES appointment_block (id) ON DELETE CASCADE
        );
        CREATE UNIQUE INDEX appointment_slot_counter_id_starts_at
            ON appointment_slot (counter_id, starts_at);
        CREATE INDEX appointment_slot_appointment_id ON appointment_slot (appointment_id);
        CREATE INDEX appointment_slot_block_id ON appointment_slot (block_id);
        CREATE TABLE appointment_claim (
            id {pk},
            key VARCHAR(160) NOT NULL,
            appointment_id INTEGER NOT NULL REFERENCES appointment (id) ON DELETE CASCADE
        );
        CREATE UNIQUE INDEX appointment_claim_key ON appointment_claim (key);
        CREATE INDEX appointment_claim_appointment_id ON appointment_claim (appointment_id);
        CREATE TABLE appointment_mail (
            id {pk},
            key VARCHAR(100) NOT NULL,
            appointment_id INTEGER NOT NULL REFERENCES appointment (id) ON DELETE CASCADE,
            kind VARCHAR(16) NOT NULL,
            recipient VARCHAR(254) NOT NULL,
            subject VARCHAR(200) NOT NULL,
            body TEXT NOT NULL,
            ics TEXT,
            state VARCHAR(16) NOT NULL,
            attempts INTEGER NOT NULL,
            created_at {ts} NOT NULL,
            sent_at {ts}
        );
        CREATE UNIQUE INDEX appointment_mail_key ON appointment_mail (key);
        CREATE INDEX appointment_mail_appointment_id ON appointment_mail (appointment_id)
        """
    )
