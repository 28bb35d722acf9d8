"""Defect reports under the retention rules: when a report's personal data was erased
(the nightly run skips it from then on), and how many reports each retention run
erased."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE defect_report ADD COLUMN personal_data_erased_at {ts};
        ALTER TABLE retention_run ADD COLUMN erased_reports INTEGER NOT NULL DEFAULT 0
        """
    )
