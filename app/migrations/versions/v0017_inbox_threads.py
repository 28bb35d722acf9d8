"""Inbox messages know their thread (the application, or a key of their own); payment
receipts know their payment (one per payment and kind); instalments remember their
reminder."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE inbox_message ADD COLUMN thread VARCHAR(24) NOT NULL DEFAULT '';
        UPDATE inbox_message SET thread = COALESCE(
            application_id, 'm' || CAST(id AS VARCHAR(20)));
        CREATE INDEX inbox_message_user_id_thread ON inbox_message (user_id, thread);
        ALTER TABLE document ADD COLUMN payment_id INTEGER
            REFERENCES payment (id) ON DELETE SET NULL;
        UPDATE document SET payment_id = (
            SELECT payment.id FROM payment
            WHERE document.filename = 'Zahlungsbeleg-' || payment.public_id || '.pdf')
        WHERE kind = 'payment_receipt' AND id = (
            SELECT MIN(earlier.id) FROM document AS earlier
            WHERE earlier.kind = 'payment_receipt' AND earlier.filename = document.filename);
        CREATE UNIQUE INDEX document_payment_id_kind ON document (payment_id, kind);
        ALTER TABLE notice_instalment ADD COLUMN reminded_at {ts}
        """
    )
