"""Sessions begun at a Bürgerbüro terminal name it, so revoking the terminal ends them
at once instead of when they expire."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE auth_session ADD COLUMN kiosk_terminal_id INTEGER
            REFERENCES kiosk_terminal (id) ON DELETE CASCADE;
        CREATE INDEX auth_session_kiosk_terminal_id ON auth_session (kiosk_terminal_id)
        """
    )
