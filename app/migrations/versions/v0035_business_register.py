"""The trade register: businesses entered by decided trade notifications."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE business_register_entry (
            id {pk},
            number VARCHAR(12) NOT NULL,
            status VARCHAR(8) NOT NULL,
            name VARCHAR(200) NOT NULL,
            trade_name VARCHAR(200) NOT NULL,
            legal_form VARCHAR(32) NOT NULL,
            street VARCHAR(200) NOT NULL,
            house_number VARCHAR(20) NOT NULL,
            postal_code VARCHAR(10) NOT NULL,
            city VARCHAR(100) NOT NULL,
            activity TEXT NOT NULL,
            start_date DATE,
            end_date DATE,
            closing_reason VARCHAR(32) NOT NULL,
            persons TEXT NOT NULL,
            branches TEXT NOT NULL,
            history TEXT NOT NULL,
            application_id VARCHAR(64),
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX business_register_entry_number ON business_register_entry (number)
        """
    )
