"""eID (Online-Ausweis): bound ID cards and eID sessions."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE eid_binding (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            restricted_id_hash VARCHAR(64) NOT NULL,
            document_type VARCHAR(8) NOT NULL,
            place_of_birth VARCHAR(200) NOT NULL,
            bound_at {ts} NOT NULL,
            last_used_at {ts}
        );
        CREATE UNIQUE INDEX eid_binding_user_id ON eid_binding (user_id);
        CREATE UNIQUE INDEX eid_binding_restricted_id_hash ON eid_binding (restricted_id_hash);
        CREATE TABLE eid_session (
            id VARCHAR(64) NOT NULL PRIMARY KEY,
            refresh_hash VARCHAR(64),
            purpose VARCHAR(16) NOT NULL,
            user_id INTEGER REFERENCES "user" (id) ON DELETE CASCADE,
            browser_hash VARCHAR(64) NOT NULL,
            return_to VARCHAR(500) NOT NULL,
            state VARCHAR(16) NOT NULL,
            server_session_id VARCHAR(200) NOT NULL,
            psk VARCHAR(512) NOT NULL,
            created_at {ts} NOT NULL,
            expires_at {ts} NOT NULL,
            used {bool} NOT NULL,
            result TEXT,
            error_code VARCHAR(32) NOT NULL
        );
        CREATE UNIQUE INDEX eid_session_refresh_hash ON eid_session (refresh_hash);
        CREATE INDEX eid_session_user_id ON eid_session (user_id);
        CREATE INDEX eid_session_browser_hash ON eid_session (browser_hash);
        CREATE INDEX eid_session_expires_at ON eid_session (expires_at)
        """
    )
