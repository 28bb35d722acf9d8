"""Notification channels per citizen (e-mail, push) and the log of notification mails."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE notification_preference (
            user_id INTEGER NOT NULL PRIMARY KEY REFERENCES "user" (id) ON DELETE CASCADE,
            email {bool} NOT NULL,
            push {bool} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE TABLE notification_mail (
            id {pk},
            key VARCHAR(100) NOT NULL,
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            kind VARCHAR(32) NOT NULL,
            subject VARCHAR(200) NOT NULL,
            body TEXT NOT NULL,
            state VARCHAR(16) NOT NULL,
            attempts INTEGER NOT NULL,
            created_at {ts} NOT NULL,
            sent_at {ts}
        );
        CREATE UNIQUE INDEX notification_mail_key ON notification_mail (key);
        CREATE INDEX notification_mail_user_id ON notification_mail (user_id)
        """
    )
