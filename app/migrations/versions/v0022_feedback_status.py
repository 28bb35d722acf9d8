"""Feedback gets a status (new, answered, closed) and the replies mailed to citizens;
feedback already marked as handled becomes closed."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE feedback ADD COLUMN status VARCHAR(10) NOT NULL DEFAULT 'new';
        UPDATE feedback SET status = 'closed' WHERE handled_at IS NOT NULL;
        CREATE INDEX feedback_status ON feedback (status);
        CREATE TABLE feedback_reply (
            id {pk},
            feedback_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
            author_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            subject VARCHAR(200) NOT NULL,
            body TEXT NOT NULL,
            sent_to VARCHAR(254) NOT NULL,
            locale VARCHAR(5) NOT NULL,
            created_at {ts} NOT NULL,
            idempotency_key VARCHAR(64)
        );
        CREATE INDEX feedback_reply_feedback_id ON feedback_reply (feedback_id);
        CREATE UNIQUE INDEX feedback_reply_feedback_id_idempotency_key
            ON feedback_reply (feedback_id, idempotency_key);
        CREATE INDEX feedback_reply_author_id ON feedback_reply (author_id)
        """
    )
