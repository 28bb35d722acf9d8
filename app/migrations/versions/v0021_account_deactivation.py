"""Accounts an admin has deactivated (no sign-in of any kind until reactivated), and
the record of sign-ins that outlives the session, so admins see ended ones too."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE "user" ADD COLUMN deactivated_at {ts};
        CREATE TABLE sign_in_record (
            id {pk},
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            session_key VARCHAR(16) NOT NULL,
            method VARCHAR(16) NOT NULL,
            user_agent VARCHAR(300) NOT NULL,
            started_at {ts} NOT NULL,
            ended_at {ts}
        );
        CREATE INDEX sign_in_record_user_id ON sign_in_record (user_id);
        CREATE INDEX sign_in_record_session_key ON sign_in_record (session_key)
        """
    )
