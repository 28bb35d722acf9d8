"""The dashboard's figures and the open-data export, read only from the daily aggregate.

Counts are summed per month in SQL (the aggregate's index on day, or on service and
day, serves the range) and grouped into periods here. Every count between 1 and
``MIN_CASES - 1`` is shown as ``None`` with ``suppressed``; ratios and percentiles from
fewer than ``MIN_CASES`` cases are ``None``.
"""

# The SQL below is put together from constant fragments only (column names, the
# dialect's functions, the scope's condition); every value goes in as a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
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


def _query(sql: str, params: list[Any]) -> list[tuple]:
    return list(db.execute_sql(sql.replace("?", db.param), tuple(params)).fetchall())


def _scope(service_id: str | None, per_service: bool) -> tuple[str, list[Any]]:
    """Which services' rows to read: one service (and the sign-ins' ``""``), every
    service one by one, or the sum over all (``*``) with the sign-ins in it."""
    if service_id:
        return "service_id IN (?, '')", [service_id]
    if per_service:
        return "service_id <> '*'", []
    return "service_id = '*'", []


def _split(start: date, end: date) -> tuple[tuple[str, str] | None, list[tuple[date, date]]]:
    """The whole months within ``start``..``end`` (first and last label) and the days
    at either edge that do not fill a month."""
    first_full = start if start.day == 1 else _next_month(start)
    if _next_month(end) - timedelta(days=1) == end:
        last_full = end
    else:
        last_full = _month_start(end) - timedelta(days=1)
    if first_full > last_full:
        return None, [(start, end)]
    edges = []
    if start < first_full:
        edges.append((start, first_full - timedelta(days=1)))
    if last_full < end:
        edges.append((last_full + timedelta(days=1), end))
    return (stats.month_of(first_full), stats.month_of(last_full)), edges


def _month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


COUNTER_METRICS = ("counter_recorded", "counter_imported")


class _Sums:
    """The aggregate of a range, as per-month sums for every metric and service.

    Whole months come from the monthly sums, the days at the edges from the daily
    aggregate. Without a service the sums over all services (``*``) are read, and the
    counter metrics per service (the counter total takes a maximum per service).
    """

    def __init__(
        self, start: date, end: date, service_id: str | None, per_service: bool = False
    ) -> None:
        self.counts: dict[tuple[str, str, str, str], int] = defaultdict(int)
        self.durations: dict[tuple[str, str, str], dict[int, int]] = defaultdict(dict)
        scope, scope_params = _scope(service_id, per_service)
        months, edges = _split(start, end)
        counters = ", ".join(f"'{name}'" for name in COUNTER_METRICS)
        count_rows: list[tuple] = []
        duration_rows: list[tuple] = []
        if months:
            count_rows += _query(
                "SELECT month, service_id, metric, key, count FROM statistics_monthly"
                f" WHERE {scope} AND month >= ? AND month <= ?",
                [*scope_params, *months],
            )
            if not service_id and not per_service:
                count_rows += _query(
                    "SELECT month, service_id, metric, key, count FROM statistics_monthly"
                    f" WHERE metric IN ({counters}) AND service_id NOT IN ('*', '')"
                    " AND month >= ? AND month <= ?",
                    list(months),
                )
            duration_rows += _query(
                "SELECT month, service_id, kind, bucket, count FROM statistics_monthly_duration"
                f" WHERE {scope} AND month >= ? AND month <= ?",
                [*scope_params, *months],
            )
        # The edges: per service from the daily aggregate (it has no ``*`` rows).
        edge_scope, edge_params = _scope(service_id, True)
        month = _month_sql("day")
        for low, high in edges:
            count_rows += _query(
                f"SELECT {month}, service_id, metric, key, SUM(count) FROM statistics_daily"
                f" WHERE {edge_scope} AND day >= ? AND day <= ? GROUP BY 1, 2, 3, 4",
                [*edge_params, low, high],
            )
            duration_rows += _query(
                f"SELECT {month}, service_id, kind, bucket, SUM(count) FROM statistics_duration"
                f" WHERE {edge_scope} AND day >= ? AND day <= ? GROUP BY 1, 2, 3, 4",
                [*edge_params, low, high],
            )
        for label, service, metric, key, count in count_rows:
            self.counts[(label, service, metric, key)] += int(count)
        for label, service, kind, bucket, count in duration_rows:
            histogram = self.durations[(label, service, kind)]
            histogram[int(bucket)] = histogram.get(int(bucket), 0) + int(count)
        typed = CounterMonth.select(
            CounterMonth.service_id, CounterMonth.month, CounterMonth.count
        ).where(CounterMonth.month.between(stats.month_of(start), stats.month_of(end)))
        if service_id:
            typed = typed.where(CounterMonth.service_id == service_id)
        self.typed = {(month, service): count for service, month, count in typed.tuples()}
        self._index()

    def _index(self) -> None:
        """Sums by metric (and month, key) built once: the figures ask many times."""
        self.by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.by_service: dict[tuple[str, str], dict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        # (month, service) pairs with counter cases of any kind, for the counter total.
        self.counter_pairs = set(self.typed)
        for (month, service, metric, key), count in self.counts.items():
            self.by_service[(service, metric)][month] += count
            if metric in COUNTER_METRICS and service != "*":
                self.counter_pairs.add((month, service))
            if metric in COUNTER_METRICS and service == "*":
                continue  # counted per service
            self.by_month[metric][month] += count
            self.by_key[metric][key] += count
        self.counter_months: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for month, service in self.counter_pairs:
            self.counter_months[service].add((month, service))

    def services(self) -> list[str]:
        """The services with any count in the range (not the sign-ins' ``""``)."""
        found = {service for (_month, service, _metric, _key) in self.counts}
        return sorted((found | {service for (_month, service) in self.typed}) - {"", "*"})

    def total(
        self,
        metric: str,
        months: set[str] | None = None,
        service: str | None = None,
    ) -> int:
        if service is None:
            by_month = self.by_month.get(metric, {})
            if months is None:
                return sum(by_month.values())
            return sum(count for month, count in by_month.items() if month in months)
        by_month = self.by_service.get((service, metric), {})
        return sum(count for month, count in by_month.items() if months is None or month in months)

    def keys(self, metric: str) -> dict[str, int]:
        return dict(self.by_key.get(metric, {}))

    def histogram(
        self, kind: str, months: set[str] | None = None, service: str | None = None
    ) -> dict[int, int]:
        if service is not None and months is not None and len(months) == 1:
            return self.durations.get((next(iter(months)), service, kind), {})
        return stats.merge(
            histogram
            for (month, item_service, name), histogram in self.durations.items()
            if name == kind
            and (months is None or month in months)
            and (service is None or item_service == service)
        )

    def counter(self, months: set[str] | None = None, service: str | None = None) -> int:
        """Counter cases: per service and month, recorded + max(typed, imported)."""
        pairs = self.counter_pairs if service is None else self.counter_months.get(service, set())
        total = 0
        for month, item_service in pairs:
            if months is not None and month not in months:
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
    sums = _Sums(start, end, None, per_service=True)
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
