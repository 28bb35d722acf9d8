"""The dashboard's figures and the open-data export, read only from the daily aggregate.

Counts are summed per month in SQL (the aggregate's index on day, or on service and
day, serves the range) and grouped into periods here. Every count between 1 and
``MIN_CASES - 1`` is shown as ``None`` with ``suppressed``; ratios and percentiles from
fewer than ``MIN_CASES`` cases are ``None``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import peewee

from app import statistics as stats
from app.db import db
from app.models import CounterMonth
from app.statistics import records
from app.statistics.aggregation import last_run

FUNNEL = ("started", "submitted", "paid", "decided", "completed", "abandoned")
TRUST_LEVELS = ("email", "passkey", "eid", "unknown")


def _month_sql(column: str) -> str:
    if isinstance(db.obj, peewee.PostgresqlDatabase):
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def _monthly(
    table: str, kind_column: str, key_column: str, start: date, end: date, service_id: str | None
) -> list[tuple]:
    """(month, service_id, kind, key, count) summed over the range."""
    where = "day >= ? AND day <= ?"
    params: list[Any] = [start, end]
    if service_id:
        # Sign-ins belong to no service (``""``): they count for every service's view.
        where += " AND service_id IN (?, '')"
        params.append(service_id)
    sql = (
        f"SELECT {_month_sql('day')}, service_id, {kind_column}, {key_column}, SUM(count)"  # noqa: S608
        f" FROM {table} WHERE {where} GROUP BY 1, 2, 3, 4"
    )
    return list(db.execute_sql(sql.replace("?", db.param), tuple(params)).fetchall())


class _Sums:
    """The aggregate of a range, as per-month sums for every metric and service."""

    def __init__(self, start: date, end: date, service_id: str | None) -> None:
        self.counts: dict[tuple[str, str, str, str], int] = {}
        for month, service, metric, key, count in _monthly(
            "statistics_daily", "metric", "key", start, end, service_id
        ):
            self.counts[(month, service, metric, key)] = int(count)
        self.durations: dict[tuple[str, str, str], dict[int, int]] = defaultdict(dict)
        for month, service, kind, bucket, count in _monthly(
            "statistics_duration", "kind", "bucket", start, end, service_id
        ):
            self.durations[(month, service, kind)][int(bucket)] = int(count)
        typed = CounterMonth.select(
            CounterMonth.service_id, CounterMonth.month, CounterMonth.count
        ).where(CounterMonth.month.between(stats.month_of(start), stats.month_of(end)))
        if service_id:
            typed = typed.where(CounterMonth.service_id == service_id)
        self.typed = {(month, service): count for service, month, count in typed.tuples()}

    def services(self) -> list[str]:
        """The services with any count in the range (not the sign-ins' ``""``)."""
        found = {service for (_month, service, _metric, _key) in self.counts}
        return sorted((found | {service for (_month, service) in self.typed}) - {""})

    def total(
        self,
        metric: str,
        months: set[str] | None = None,
        key: str | None = None,
        service: str | None = None,
    ) -> int:
        return sum(
            count
            for (month, item_service, name, item_key), count in self.counts.items()
            if name == metric
            and (months is None or month in months)
            and (key is None or item_key == key)
            and (service is None or item_service == service)
        )

    def keys(self, metric: str) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for (_month, _service, name, key), count in self.counts.items():
            if name == metric:
                found[key] += count
        return dict(found)

    def histogram(
        self, kind: str, months: set[str] | None = None, service: str | None = None
    ) -> dict[int, int]:
        return stats.merge(
            histogram
            for (month, item_service, name), histogram in self.durations.items()
            if name == kind
            and (months is None or month in months)
            and (service is None or item_service == service)
        )

    def counter(self, months: set[str] | None = None, service: str | None = None) -> int:
        """Counter cases: per service and month, recorded + max(typed, imported)."""
        pairs = {
            (month, item_service)
            for (month, item_service, metric, _key) in self.counts
            if metric in ("counter_recorded", "counter_imported")
        } | set(self.typed)
        total = 0
        for month, item_service in pairs:
            if months is not None and month not in months:
                continue
            if service is not None and item_service != service:
                continue
            total += stats.counter_total(
                self.counts.get((month, item_service, "counter_recorded", ""), 0),
                self.typed.get((month, item_service)),
                self.counts.get((month, item_service, "counter_imported", ""), 0),
            )
        return total


def _months_by_period(start: date, end: date, group: str) -> dict[str, set[str]]:
    months: dict[str, set[str]] = {label: set() for label in stats.periods(start, end, group)}
    for month in stats.periods(start, end, "month"):
        months[stats.month_period(month, group)].add(month)
    return months


def _quote_entry(online: int, counter: int) -> dict[str, Any]:
    return {
        "online": stats.shown(online),
        "counter": stats.shown(counter),
        "quote": stats.quote(online, counter),
        "suppressed": stats.is_suppressed(online, counter),
    }


def _counted(items: dict[str, int], order: tuple[str, ...] = ()) -> list[tuple[str, int | None]]:
    ranked = sorted(items.items(), key=lambda pair: (-pair[1], pair[0]))
    if order:
        ranked = [(key, items.get(key, 0)) for key in order if key in items] + [
            pair for pair in ranked if pair[0] not in order
        ]
    return [(key, stats.shown(count)) for key, count in ranked]


def figures(service_id: str | None, start: date, end: date, group: str) -> dict[str, Any]:
    """Everything the dashboard shows for a service (or all) and a range of days."""
    sums = _Sums(start, end, service_id)
    by_period = _months_by_period(start, end, group)
    run = last_run()

    quote_periods = []
    for label, months in by_period.items():
        entry = _quote_entry(sums.total("submitted", months), sums.counter(months))
        quote_periods.append({"period": label, **entry})
    target = None
    if service_id:
        target = records.target_view(records.targets().get(service_id))

    funnel_counts = {name: sums.total(name) for name in FUNNEL}
    steps = {}
    if service_id:
        steps = next(
            (item["steps"] for item in records.services() if item["service_id"] == service_id), {}
        )
    gave_up = [
        {
            "step": step,
            "title": {
                "de": (steps.get(step) or {}).get("de") or step,
                "en": (steps.get(step) or {}).get("en") or step,
            },
            "count": count,
        }
        for step, count in _counted(sums.keys("gave_up"))
    ]
    start_submit = sums.histogram("start_submit")
    funnel = {
        **{name: stats.shown(count) for name, count in funnel_counts.items()},
        "median_start_to_submit_hours": stats.percentile(start_submit, 0.5),
        "suppressed": stats.is_suppressed(*funnel_counts.values())
        or any(item["count"] is None for item in gave_up),
        "gave_up_at": gave_up,
    }

    decided = sums.total("decided")
    automatic = sums.total("decided_auto")
    overdue = sums.total("overdue")
    processing_all = sums.histogram("processing")
    processing_periods = []
    for label, months in by_period.items():
        histogram = sums.histogram("processing", months)
        count = sum(histogram.values())
        processing_periods.append(
            {
                "period": label,
                "decided": stats.shown(count),
                "median_hours": stats.percentile(histogram, 0.5),
                "p90_hours": stats.percentile(histogram, 0.9),
            }
        )
    processing = {
        "decided": stats.shown(decided),
        "median_hours": stats.percentile(processing_all, 0.5),
        "p90_hours": stats.percentile(processing_all, 0.9),
        "auto_share": stats.share(automatic, decided),
        "overdue": stats.shown(overdue),
        "suppressed": stats.is_suppressed(decided, overdue),
        "periods": processing_periods,
    }

    submitted = funnel_counts["submitted"]
    push = sums.total("push_opt_in")
    email = sums.total("email_opt_in")
    sessions = sums.keys("sessions")
    installed = sessions.get("standalone", 0)
    all_sessions = sum(sessions.values())
    methods = _counted(sums.keys("payment_method"))
    levels = _counted(sums.keys("trust_level"), TRUST_LEVELS)
    channels = {
        "payment_methods": [{"method": key, "count": count} for key, count in methods],
        "push_opt_in": {"share": stats.share(push, submitted), "count": stats.shown(push)},
        "email_opt_in": {"share": stats.share(email, submitted), "count": stats.shown(email)},
        "installed_app": {
            "share": stats.share(installed, all_sessions),
            "count": stats.shown(installed),
        },
        "trust_levels": [{"level": key, "count": count} for key, count in levels],
        "suppressed": stats.is_suppressed(push, email, installed)
        or any(count is None for _key, count in (*methods, *levels)),
    }
    online, counter = sums.total("submitted"), sums.counter()
    return {
        "service_id": service_id,
        "from": start,
        "to": end,
        "group": group,
        "min_cases": stats.MIN_CASES,
        "aggregated_at": run.aggregated_at if run else None,
        "quote": {
            "periods": quote_periods,
            "total": _quote_entry(online, counter),
            "target": target,
        },
        "funnel": funnel,
        "processing": processing,
        "channels": channels,
    }


def year_quote(service_id: str, year: int) -> float | None:
    """A service's online quote over a whole year (``None`` below the threshold)."""
    sums = _Sums(date(year, 1, 1), date(year, 12, 31), service_id)
    return stats.quote(sums.total("submitted"), sums.counter())


EXPORT_COLUMNS = (
    "service_id",
    "month",
    "online",
    "counter",
    "quote",
    "started",
    "submitted",
    "decided",
    "median_processing_hours",
)


def export_rows(start: date, end: date) -> list[dict[str, Any]]:
    """Open data: one row per service and month with any count, suppressed cells
    ``None``. Only aggregate counts: no names, addresses, free text or case numbers."""
    sums = _Sums(start, end, None)
    rows = []
    for service in sums.services():
        for month in stats.periods(start, end, "month"):
            months = {month}
            online = sums.total("submitted", months, service=service)
            counter = sums.counter(months, service=service)
            started = sums.total("started", months, service=service)
            decided = sums.total("decided", months, service=service)
            if not any((online, counter, started, decided)):
                continue
            histogram = sums.histogram("processing", months, service=service)
            rows.append(
                {
                    "service_id": service,
                    "month": month,
                    "online": stats.shown(online),
                    "counter": stats.shown(counter),
                    "quote": stats.quote(online, counter),
                    "started": stats.shown(started),
                    "submitted": stats.shown(online),
                    "decided": stats.shown(decided),
                    "median_processing_hours": stats.percentile(histogram, 0.5),
                }
            )
    return rows
