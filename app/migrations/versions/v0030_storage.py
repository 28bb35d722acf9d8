"""Files in the database (``PORTAL_STORAGE=postgres``), stored in chunks, and the pass
signing keys every node shares (private keys encrypted)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE stored_file (
            id {pk},
            key VARCHAR(512) NOT NULL,
            size {bigint} NOT NULL,
            modified_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX stored_file_key ON stored_file (key);
        CREATE TABLE stored_file_chunk (
            id {pk},
            file_id INTEGER NOT NULL REFERENCES stored_file (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            data {blob} NOT NULL
        );
        CREATE UNIQUE INDEX stored_file_chunk_file_id_seq ON stored_file_chunk (file_id, seq);
        CREATE TABLE pass_signing_key (
            kid VARCHAR(64) NOT NULL PRIMARY KEY,
            spki {blob} NOT NULL,
            created {bigint} NOT NULL,
            status VARCHAR(16) NOT NULL,
            retired {bigint},
            not_after {bigint},
            private_key {blob}
        );
        CREATE UNIQUE INDEX pass_signing_key_one_current ON pass_signing_key (status)
            WHERE status = 'current'
        """
    )
