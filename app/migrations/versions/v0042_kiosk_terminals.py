"""Terminals of the Bürgerbüro in kiosk mode (``app.kiosk``)."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE kiosk_terminal (
            id {pk},
            name VARCHAR(100) NOT NULL,
            setup_token_hash VARCHAR(64),
            setup_expires_at {ts},
            marker_nonce VARCHAR(32),
            activated_at {ts},
            last_seen_at {ts},
            revoked_at {ts},
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX kiosk_terminal_setup_token_hash ON kiosk_terminal (setup_token_hash);
        CREATE INDEX kiosk_terminal_created_by_id ON kiosk_terminal (created_by_id)
        """
    )
