"""Statistics: counter cases, typed and imported counter counts, per-service targets,
anonymous step views, the daily aggregate (counts and duration histograms) with its
bookkeeping row; sessions remember whether the PWA ran installed; applications remember
how the citizen had signed in when submitting and which actor decided them.

Applications decided before this version get ``decided_by`` from the first status
entry of their history at or after the decision; ``submitted_via`` stays empty for
them (how they were signed in was not recorded then).
"""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE auth_session ADD COLUMN display_mode VARCHAR(16) NOT NULL DEFAULT '';
        ALTER TABLE sign_in_record ADD COLUMN display_mode VARCHAR(16) NOT NULL DEFAULT '';
        ALTER TABLE application ADD COLUMN submitted_via VARCHAR(16) NOT NULL DEFAULT '';
        ALTER TABLE application ADD COLUMN decided_by VARCHAR(16) NOT NULL DEFAULT '';
        CREATE INDEX application_created_at ON application (created_at);
        CREATE INDEX application_submitted_at ON application (submitted_at);
        CREATE INDEX application_decided_at ON application (decided_at);
        CREATE INDEX application_updated_at ON application (updated_at);
        CREATE INDEX application_due_at ON application (due_at);
        CREATE INDEX sign_in_record_started_at ON sign_in_record (started_at);
        CREATE INDEX payment_succeeded_at ON payment (succeeded_at);
        CREATE TABLE counter_case (
            id {pk},
            service_id VARCHAR(64) NOT NULL,
            day DATE NOT NULL,
            recorded_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            idempotency_key VARCHAR(64),
            created_at {ts} NOT NULL
        );
        CREATE INDEX counter_case_service_id_day ON counter_case (service_id, day);
        CREATE INDEX counter_case_recorded_by_id ON counter_case (recorded_by_id);
        CREATE UNIQUE INDEX counter_case_recorded_by_id_idempotency_key
            ON counter_case (recorded_by_id, idempotency_key);
        CREATE TABLE counter_month (
            id {pk},
            service_id VARCHAR(64) NOT NULL,
            month VARCHAR(7) NOT NULL,
            count INTEGER NOT NULL,
            updated_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            updated_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX counter_month_service_id_month ON counter_month (service_id, month);
        CREATE INDEX counter_month_updated_by_id ON counter_month (updated_by_id);
        CREATE TABLE counter_import (
            id {pk},
            service_id VARCHAR(64) NOT NULL,
            day DATE NOT NULL,
            count INTEGER NOT NULL,
            imported_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX counter_import_service_id_day ON counter_import (service_id, day);
        CREATE INDEX counter_import_imported_at ON counter_import (imported_at);
        CREATE TABLE statistics_target (
            service_id VARCHAR(64) NOT NULL PRIMARY KEY,
            baseline_year INTEGER NOT NULL,
            baseline_quote REAL NOT NULL,
            points REAL NOT NULL,
            updated_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            updated_at {ts} NOT NULL
        );
        CREATE INDEX statistics_target_updated_by_id ON statistics_target (updated_by_id);
        CREATE TABLE step_view (
            id {pk},
            journey VARCHAR(64) NOT NULL,
            service_id VARCHAR(64) NOT NULL,
            version INTEGER NOT NULL,
            step VARCHAR(64) NOT NULL,
            at {ts} NOT NULL,
            day DATE NOT NULL
        );
        CREATE UNIQUE INDEX step_view_journey_step ON step_view (journey, step);
        CREATE INDEX step_view_day ON step_view (day);
        CREATE TABLE statistics_daily (
            id {pk},
            day DATE NOT NULL,
            service_id VARCHAR(64) NOT NULL,
            metric VARCHAR(32) NOT NULL,
            key VARCHAR(64) NOT NULL,
            count INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX statistics_daily_day_service_id_metric_key
            ON statistics_daily (day, service_id, metric, key);
        CREATE INDEX statistics_daily_service_id_day ON statistics_daily (service_id, day);
        CREATE TABLE statistics_duration (
            id {pk},
            day DATE NOT NULL,
            service_id VARCHAR(64) NOT NULL,
            kind VARCHAR(16) NOT NULL,
            bucket INTEGER NOT NULL,
            count INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX statistics_duration_day_service_id_kind_bucket
            ON statistics_duration (day, service_id, kind, bucket);
        CREATE INDEX statistics_duration_service_id_day
            ON statistics_duration (service_id, day);
        CREATE TABLE statistics_monthly (
            id {pk},
            month VARCHAR(7) NOT NULL,
            service_id VARCHAR(64) NOT NULL,
            metric VARCHAR(32) NOT NULL,
            key VARCHAR(64) NOT NULL,
            count INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX statistics_monthly_service_id_month_metric_key
            ON statistics_monthly (service_id, month, metric, key);
        CREATE TABLE statistics_monthly_duration (
            id {pk},
            month VARCHAR(7) NOT NULL,
            service_id VARCHAR(64) NOT NULL,
            kind VARCHAR(16) NOT NULL,
            bucket INTEGER NOT NULL,
            count INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX statistics_monthly_duration_service_id_month_kind_bucket
            ON statistics_monthly_duration (service_id, month, kind, bucket);
        CREATE TABLE statistics_run (
            id {pk},
            started_at {ts} NOT NULL,
            aggregated_at {ts} NOT NULL,
            through_day DATE NOT NULL,
            days INTEGER NOT NULL,
            last_step_view_id {bigint} NOT NULL,
            last_counter_case_id {bigint} NOT NULL
        );
        UPDATE application SET decided_by = COALESCE((
            SELECT e.actor_role FROM application_event e
            WHERE e.application_id = application.id AND e.kind = 'status'
              AND e.at >= application.decided_at
            ORDER BY e.at, e.id LIMIT 1), '')
        WHERE decided_at IS NOT NULL
        """
    )
