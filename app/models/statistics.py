"""Statistics: counter cases, counter counts, targets, step views and the daily aggregate.

Nothing here names a person: counter cases keep who recorded them only for the audit
trail, step views carry a random journey token the PWA makes per form fill.
"""

from __future__ import annotations

import peewee

from app.db import utcnow
from app.models.accounts import User
from app.models.base import BaseModel, now_default


class CounterCase(BaseModel):
    """One case handled at the counter (Bürgerbüro), recorded from the staff queue."""

    service_id = peewee.CharField(max_length=64)
    day = peewee.DateField()
    recorded_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    idempotency_key = peewee.CharField(max_length=64, null=True)
    created_at = now_default()

    class Meta:
        table_name = "counter_case"
        indexes = (
            (("service_id", "day"), False),
            (("recorded_by", "idempotency_key"), True),
        )


class CounterMonth(BaseModel):
    """A counter count typed in for a whole month (replaces the earlier typed one)."""

    service_id = peewee.CharField(max_length=64)
    month = peewee.CharField(max_length=7)  # YYYY-MM
    count = peewee.IntegerField()
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = now_default()

    class Meta:
        table_name = "counter_month"
        indexes = ((("service_id", "month"), True),)


class CounterImport(BaseModel):
    """Counter cases of one service and day from an imported file (replaced on re-import)."""

    service_id = peewee.CharField(max_length=64)
    day = peewee.DateField()
    count = peewee.IntegerField()
    imported_at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "counter_import"
        indexes = ((("service_id", "day"), True),)


class StatisticsTarget(BaseModel):
    """A service's online-quote target: baseline year and quote, plus points to gain."""

    service_id = peewee.CharField(max_length=64, primary_key=True)
    baseline_year = peewee.IntegerField()
    baseline_quote = peewee.FloatField()
    points = peewee.FloatField()
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = now_default()

    class Meta:
        table_name = "statistics_target"


class StepView(BaseModel):
    """A form step seen in one anonymous journey (a form fill); once per journey and step."""

    journey = peewee.CharField(max_length=64)
    service_id = peewee.CharField(max_length=64)
    version = peewee.IntegerField()
    step = peewee.CharField(max_length=64)
    at = peewee.DateTimeField()
    day = peewee.DateField(index=True)
    # The campaign tag the journey began with (a flyer's QR code), if any.
    campaign = peewee.CharField(max_length=40, null=True)

    class Meta:
        table_name = "step_view"
        indexes = ((("journey", "step"), True),)


class StatisticsDaily(BaseModel):
    """The daily aggregate: how many of ``metric`` (with ``key``) a service had that day."""

    day = peewee.DateField()
    service_id = peewee.CharField(max_length=64)
    metric = peewee.CharField(max_length=32)
    key = peewee.CharField(max_length=64)
    count = peewee.IntegerField()

    class Meta:
        table_name = "statistics_daily"
        indexes = (
            (("day", "service_id", "metric", "key"), True),
            (("service_id", "day"), False),
        )


class StatisticsDuration(BaseModel):
    """A duration histogram per day: how many cases took ``bucket`` hours (lower bound)."""

    day = peewee.DateField()
    service_id = peewee.CharField(max_length=64)
    kind = peewee.CharField(max_length=16)
    bucket = peewee.IntegerField()
    count = peewee.IntegerField()

    class Meta:
        table_name = "statistics_duration"
        indexes = (
            (("day", "service_id", "kind", "bucket"), True),
            (("service_id", "day"), False),
        )


class StatisticsMonthly(BaseModel):
    """The daily aggregate summed per month (rebuilt with its days); ``service_id``
    ``*`` holds the sum over all services, so the dashboard reads few rows."""

    month = peewee.CharField(max_length=7)
    service_id = peewee.CharField(max_length=64)
    metric = peewee.CharField(max_length=32)
    key = peewee.CharField(max_length=64)
    count = peewee.IntegerField()

    class Meta:
        table_name = "statistics_monthly"
        indexes = ((("service_id", "month", "metric", "key"), True),)


class StatisticsMonthlyDuration(BaseModel):
    """The duration histograms summed per month (``service_id`` ``*``: all services)."""

    month = peewee.CharField(max_length=7)
    service_id = peewee.CharField(max_length=64)
    kind = peewee.CharField(max_length=16)
    bucket = peewee.IntegerField()
    count = peewee.IntegerField()

    class Meta:
        table_name = "statistics_monthly_duration"
        indexes = ((("service_id", "month", "kind", "bucket"), True),)


class StatisticsRun(BaseModel):
    """One run of the aggregation: when, up to which day, and how far it read."""

    started_at = peewee.DateTimeField()
    aggregated_at = peewee.DateTimeField()
    through_day = peewee.DateField()
    days = peewee.IntegerField()
    last_step_view_id = peewee.BigIntegerField()
    last_counter_case_id = peewee.BigIntegerField()

    class Meta:
        table_name = "statistics_run"


class Campaign(BaseModel):
    """A tag the city prints on flyers and posters (``?q=<tag>`` in their QR codes).

    ``service_id`` is the published service the flyer advertises, ``None`` for the
    portal as a whole. Archived campaigns are still counted (printed flyers stay in
    circulation) but offered for no new flyer."""

    tag = peewee.CharField(max_length=40, unique=True)
    name = peewee.CharField(max_length=120)
    service_id = peewee.CharField(max_length=64, null=True)
    created_at = now_default()
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    archived_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "campaign"


class CampaignEntry(BaseModel):
    """How many citizens landed through a campaign's tag on a service's page (``""``:
    the start page) on one Berlin day. Only counts: no device, account or address."""

    day = peewee.DateField()
    tag = peewee.CharField(max_length=40)
    service_id = peewee.CharField(max_length=64)
    count = peewee.IntegerField()
    updated_at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "campaign_entry"
        indexes = ((("day", "tag", "service_id"), True),)
