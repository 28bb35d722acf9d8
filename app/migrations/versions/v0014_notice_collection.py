"""Notices know how they are collected (bank transfer or SEPA direct debit under a
mandate), keep the computation they were issued with (months × monthly rate) and what
an end of the tax changed; instalments can be cancelled."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE notice ADD COLUMN collection VARCHAR(16) NOT NULL DEFAULT 'transfer';
        ALTER TABLE notice ADD COLUMN mandate_id INTEGER
            REFERENCES sepa_mandate (id) ON DELETE SET NULL;
        ALTER TABLE notice ADD COLUMN details TEXT NOT NULL DEFAULT '{{}}';
        CREATE INDEX notice_mandate_id ON notice (mandate_id);
        ALTER TABLE notice_instalment ADD COLUMN cancelled_at {ts}
        """
    )
