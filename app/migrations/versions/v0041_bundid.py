"""BundID: bound accounts, the AuthnRequests sent (usable once) and the assertions used
(refused again until they expire), unique in the database so it holds across processes."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE bundid_binding (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            pseudonym_hash VARCHAR(64) NOT NULL,
            level VARCHAR(16) NOT NULL,
            data TEXT,
            data_read_at {ts},
            review_pending {bool} NOT NULL,
            bound_at {ts} NOT NULL,
            last_used_at {ts}
        );
        CREATE UNIQUE INDEX bundid_binding_user_id ON bundid_binding (user_id);
        CREATE UNIQUE INDEX bundid_binding_pseudonym_hash ON bundid_binding (pseudonym_hash);
        CREATE TABLE bundid_request (
            id VARCHAR(100) NOT NULL PRIMARY KEY,
            purpose VARCHAR(16) NOT NULL,
            user_id INTEGER REFERENCES "user" (id) ON DELETE CASCADE,
            level VARCHAR(16) NOT NULL,
            browser_hash VARCHAR(64) NOT NULL,
            return_to VARCHAR(500) NOT NULL,
            state VARCHAR(16) NOT NULL,
            finish_hash VARCHAR(64),
            outcome VARCHAR(16) NOT NULL,
            result_user_id INTEGER REFERENCES "user" (id) ON DELETE CASCADE,
            result TEXT,
            error_code VARCHAR(32) NOT NULL,
            created_at {ts} NOT NULL,
            expires_at {ts} NOT NULL
        );
        CREATE INDEX bundid_request_user_id ON bundid_request (user_id);
        CREATE INDEX bundid_request_result_user_id ON bundid_request (result_user_id);
        CREATE INDEX bundid_request_browser_hash ON bundid_request (browser_hash);
        CREATE UNIQUE INDEX bundid_request_finish_hash ON bundid_request (finish_hash);
        CREATE INDEX bundid_request_expires_at ON bundid_request (expires_at);
        CREATE TABLE bundid_assertion (
            id VARCHAR(200) NOT NULL PRIMARY KEY,
            expires_at {ts} NOT NULL,
            used_at {ts} NOT NULL
        );
        CREATE INDEX bundid_assertion_expires_at ON bundid_assertion (expires_at)
        """
    )
