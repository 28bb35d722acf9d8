"""Payments, payment history, open notices and instalments, SEPA mandates, debits and
treasury exports, and the transactions of the built-in sandbox provider."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE payment (
            id {pk},
            public_id VARCHAR(32) NOT NULL UNIQUE,
            request_id VARCHAR(36) NOT NULL UNIQUE,
            user_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            subject_type VARCHAR(32) NOT NULL,
            subject_id VARCHAR(64) NOT NULL,
            amount_cents INTEGER NOT NULL,
            currency VARCHAR(3) NOT NULL,
            purpose VARCHAR(27) NOT NULL,
            description VARCHAR(250) NOT NULL,
            kassenzeichen VARCHAR(35) NOT NULL,
            provider VARCHAR(32) NOT NULL,
            state VARCHAR(24) NOT NULL,
            reason_code VARCHAR(8) NOT NULL,
            provider_reference VARCHAR(64) NOT NULL,
            provider_status VARCHAR(32) NOT NULL,
            return_path VARCHAR(300) NOT NULL,
            details TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL,
            finished_at {ts},
            succeeded_at {ts},
            last_checked_at {ts},
            check_count INTEGER NOT NULL
        );
        CREATE INDEX payment_user_id ON payment (user_id);
        CREATE INDEX payment_provider_reference ON payment (provider_reference);
        CREATE INDEX payment_subject_type_subject_id ON payment (subject_type, subject_id);
        CREATE INDEX payment_state_provider ON payment (state, provider);
        CREATE TABLE notice (
            id {pk},
            public_id VARCHAR(32) NOT NULL UNIQUE,
            user_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            kind VARCHAR(32) NOT NULL,
            title VARCHAR(200) NOT NULL,
            description TEXT NOT NULL,
            kassenzeichen VARCHAR(35) NOT NULL UNIQUE,
            total_cents INTEGER NOT NULL,
            issued_on DATE NOT NULL,
            source VARCHAR(16) NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX notice_user_id ON notice (user_id);
        CREATE INDEX notice_created_by_id ON notice (created_by_id);
        CREATE TABLE notice_instalment (
            id {pk},
            notice_id INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            due_date DATE NOT NULL,
            amount_cents INTEGER NOT NULL,
            paid_at {ts},
            payment_id INTEGER REFERENCES payment (id) ON DELETE SET NULL
        );
        CREATE UNIQUE INDEX notice_instalment_notice_id_number
            ON notice_instalment (notice_id, number);
        CREATE INDEX notice_instalment_payment_id ON notice_instalment (payment_id);
        CREATE TABLE sepa_mandate (
            id {pk},
            reference VARCHAR(35) NOT NULL UNIQUE,
            user_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            account_holder VARCHAR(70) NOT NULL,
            iban VARCHAR(34) NOT NULL,
            bic VARCHAR(11) NOT NULL,
            creditor_id VARCHAR(35) NOT NULL,
            creditor_name VARCHAR(70) NOT NULL,
            mandate_text TEXT NOT NULL,
            signed_at {ts} NOT NULL,
            ip VARCHAR(45) NOT NULL,
            first_used_at {ts},
            last_used_at {ts},
            revoked_at {ts},
            created_at {ts} NOT NULL
        );
        CREATE INDEX sepa_mandate_user_id ON sepa_mandate (user_id);
        CREATE TABLE sepa_export (
            id {pk},
            message_id VARCHAR(35) NOT NULL UNIQUE,
            pain_schema VARCHAR(20) NOT NULL,
            file_name VARCHAR(100) NOT NULL,
            debit_count INTEGER NOT NULL,
            total_cents {bigint} NOT NULL,
            collection_until DATE NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL
        );
        CREATE INDEX sepa_export_created_by_id ON sepa_export (created_by_id);
        CREATE TABLE sepa_debit (
            id {pk},
            payment_id INTEGER NOT NULL UNIQUE REFERENCES payment (id) ON DELETE CASCADE,
            mandate_id INTEGER NOT NULL REFERENCES sepa_mandate (id) ON DELETE CASCADE,
            amount_cents INTEGER NOT NULL,
            collection_date DATE NOT NULL,
            sequence_type VARCHAR(4) NOT NULL,
            end_to_end_id VARCHAR(35) NOT NULL UNIQUE,
            remittance VARCHAR(140) NOT NULL,
            export_id INTEGER REFERENCES sepa_export (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL,
            cancelled_at {ts}
        );
        CREATE INDEX sepa_debit_mandate_id ON sepa_debit (mandate_id);
        CREATE INDEX sepa_debit_collection_date ON sepa_debit (collection_date);
        CREATE INDEX sepa_debit_export_id ON sepa_debit (export_id);
        CREATE TABLE payment_event (
            id {pk},
            payment_id INTEGER NOT NULL REFERENCES payment (id) ON DELETE CASCADE,
            at {ts} NOT NULL,
            source VARCHAR(16) NOT NULL,
            provider_status VARCHAR(32) NOT NULL,
            from_state VARCHAR(24) NOT NULL,
            to_state VARCHAR(24) NOT NULL,
            applied {bool} NOT NULL,
            details TEXT NOT NULL
        );
        CREATE INDEX payment_event_payment_id ON payment_event (payment_id);
        CREATE TABLE payment_sandbox_transaction (
            id {pk},
            transaction_id VARCHAR(36) NOT NULL UNIQUE,
            originator_id VARCHAR(64) NOT NULL,
            endpoint_id VARCHAR(64) NOT NULL,
            request TEXT NOT NULL,
            status VARCHAR(16) NOT NULL,
            payment_method VARCHAR(16) NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        )
        """
    )
