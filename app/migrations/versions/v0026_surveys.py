"""Satisfaction answers after a submitted application and answers to city surveys."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE satisfaction_answer (
            id {pk},
            application_id VARCHAR(24) NOT NULL REFERENCES application (id) ON DELETE CASCADE,
            service_id VARCHAR(64) NOT NULL,
            version INTEGER NOT NULL,
            day DATE NOT NULL,
            rating SMALLINT NOT NULL,
            comment TEXT NOT NULL,
            idempotency_key VARCHAR(64),
            created_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX satisfaction_answer_application_id
            ON satisfaction_answer (application_id);
        CREATE INDEX satisfaction_answer_service_id_day ON satisfaction_answer (service_id, day);
        CREATE TABLE survey_response (
            id {pk},
            service_id VARCHAR(64) NOT NULL,
            version INTEGER NOT NULL,
            day DATE NOT NULL,
            answers TEXT NOT NULL,
            user_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            device_hash VARCHAR(64),
            idempotency_key VARCHAR(64),
            created_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX survey_response_service_id_user_id
            ON survey_response (service_id, user_id);
        CREATE UNIQUE INDEX survey_response_service_id_device_hash
            ON survey_response (service_id, device_hash);
        CREATE UNIQUE INDEX survey_response_service_id_idempotency_key
            ON survey_response (service_id, idempotency_key);
        CREATE INDEX survey_response_service_id_day ON survey_response (service_id, day);
        CREATE INDEX survey_response_user_id ON survey_response (user_id)
        """
    )
