"""Refunds of notices (paid beyond what an ended tax asks) and the pain.001 files that
transfer them back."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE refund_export (
            id {pk},
            message_id VARCHAR(35) NOT NULL UNIQUE,
            pain_schema VARCHAR(20) NOT NULL,
            file_name VARCHAR(100) NOT NULL,
            refund_count INTEGER NOT NULL,
            total_cents {bigint} NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX refund_export_created_by_id ON refund_export (created_by_id);
        CREATE TABLE notice_refund (
            id {pk},
            notice_id INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,
            amount_cents INTEGER NOT NULL,
            account_holder VARCHAR(70) NOT NULL,
            iban VARCHAR(34) NOT NULL,
            bic VARCHAR(11) NOT NULL,
            account_source VARCHAR(16) NOT NULL,
            end_to_end_id VARCHAR(35) NOT NULL UNIQUE,
            export_id INTEGER REFERENCES refund_export (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE INDEX notice_refund_notice_id ON notice_refund (notice_id);
        CREATE INDEX notice_refund_export_id ON notice_refund (export_id);
        CREATE UNIQUE INDEX notice_refund_open ON notice_refund (notice_id)
            WHERE export_id IS NULL
        """
    )
