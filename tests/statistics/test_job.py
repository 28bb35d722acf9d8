"""The nightly job runs the same aggregation as the button, and is known to the worker."""

from __future__ import annotations

from huey.api import PeriodicTask

import portal
from app.db import db
from app.models import StatisticsRun
from app.statistics import aggregation


def test_the_nightly_job_aggregates(app):
    assert issubclass(aggregation.aggregate_statistics.task_class, PeriodicTask)
    assert aggregation in portal.JOB_MODULES
    with db.connection_context():
        days = aggregation.aggregate_statistics.call_local()
        run = StatisticsRun.get()
    assert days == run.days >= 1
