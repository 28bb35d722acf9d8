"""Citizen accounts, staff areas, profiles, passkeys, sessions, codes and the audit log."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE "user" (
            id {pk},
            email VARCHAR(254) NOT NULL UNIQUE,
            role VARCHAR(16) NOT NULL,
            trust_level VARCHAR(16) NOT NULL,
            locale VARCHAR(5) NOT NULL,
            user_handle {blob} NOT NULL,
            created_at {ts} NOT NULL,
            last_login_at {ts}
        );
        CREATE TABLE staff_area (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            area VARCHAR(64) NOT NULL
        );
        CREATE UNIQUE INDEX staff_area_user_id_area ON staff_area (user_id, area);
        CREATE TABLE profile (
            user_id INTEGER NOT NULL PRIMARY KEY REFERENCES "user" (id) ON DELETE CASCADE,
            given_names VARCHAR(200) NOT NULL,
            family_name VARCHAR(200) NOT NULL,
            date_of_birth DATE,
            street VARCHAR(200) NOT NULL,
            house_number VARCHAR(20) NOT NULL,
            postal_code VARCHAR(10) NOT NULL,
            city VARCHAR(100) NOT NULL,
            phone VARCHAR(40) NOT NULL,
            sources TEXT NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE TABLE passkey (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            credential_id {blob} NOT NULL UNIQUE,
            public_key {blob} NOT NULL,
            sign_count {bigint} NOT NULL,
            transports TEXT NOT NULL,
            name VARCHAR(80) NOT NULL,
            aaguid VARCHAR(36) NOT NULL,
            backed_up {bool} NOT NULL,
            created_at {ts} NOT NULL,
            last_used_at {ts}
        );
        CREATE INDEX passkey_user_id ON passkey (user_id);
        CREATE TABLE auth_session (
            token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            csrf_token VARCHAR(64) NOT NULL,
            method VARCHAR(16) NOT NULL,
            user_agent VARCHAR(300) NOT NULL,
            created_at {ts} NOT NULL,
            last_seen_at {ts} NOT NULL,
            expires_at {ts} NOT NULL
        );
        CREATE INDEX auth_session_user_id ON auth_session (user_id);
        CREATE INDEX auth_session_expires_at ON auth_session (expires_at);
        CREATE TABLE email_code (
            id {pk},
            email VARCHAR(254) NOT NULL,
            code_hash VARCHAR(64) NOT NULL,
            created_at {ts} NOT NULL,
            expires_at {ts} NOT NULL,
            attempts INTEGER NOT NULL,
            used_at {ts}
        );
        CREATE INDEX email_code_email ON email_code (email);
        CREATE TABLE web_authn_challenge (
            id VARCHAR(64) NOT NULL PRIMARY KEY,
            challenge {blob} NOT NULL,
            purpose VARCHAR(16) NOT NULL,
            user_id INTEGER REFERENCES "user" (id) ON DELETE CASCADE,
            expires_at {ts} NOT NULL
        );
        CREATE TABLE audit_event (
            id {pk},
            at {ts} NOT NULL,
            actor_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            action VARCHAR(64) NOT NULL,
            subject_type VARCHAR(32) NOT NULL,
            subject_id VARCHAR(64) NOT NULL,
            ip VARCHAR(45) NOT NULL,
            details TEXT NOT NULL
        );
        CREATE INDEX audit_event_action ON audit_event (action);
        CREATE INDEX audit_event_subject_id ON audit_event (subject_id);
        CREATE INDEX audit_event_at ON audit_event (at)
        """
    )
