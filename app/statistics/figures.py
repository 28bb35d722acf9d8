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
from app.models import Campaign, CounterMonth
from app.statistics import records
from app.statistics.aggregation import last_run

FUNNEL = ("started", "submitted", "paid", "decided", "completed", "abandoned")
TRUST_LEVELS = ("email", "passkey", "eid", "bundid", "unknown")


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
# Metrics whose keys add up to a shown count (trust levels to submissions, payment
# methods to payments) or are shown side by side (the steps where citizens give up).
DISTRIBUTIONS = ("trust_level", "payment_method", "gave_up")


class _Sums:
    """The aggregate of a range, as per-month sums for every metric and service.

    Whole months come from the monthly sums, the days at the edges from the daily
    aggregate. Without a service the sums over all services (``*``) are read, and the
    counter metrics per service (the counter total takes a maximum per service).
    """

    def __init__(
        self,
        start: date,
        end: date,
        service_id: str | None,
        per_service: bool = False,
        kinds: tuple[str, ...] = ("processing", "start_submit"),
        durations_over_all: bool = False,
    ) -> None:
        self.counts: dict[tuple[str, str, str, str], int] = defaultdict(int)
        self.durations: dict[tuple[str, str, str], dict[int, int]] = defaultdict(dict)
        scope, scope_params = _scope(service_id, per_service)
        months, edges = _split(start, end)
        counters = ", ".join(f"'{name}'" for name in COUNTER_METRICS)
        kind_marks = ", ".join("?" for _kind in kinds)
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
            # Durations give percentiles only (no counts to protect): over all services
            # the sums over all (``*``) serve.
            duration_scope, duration_params = (
                _scope(None, False) if durations_over_all else (scope, scope_params)
            )
            duration_rows += _query(
                "SELECT month, service_id, kind, bucket, count FROM statistics_monthly_duration"
                f" WHERE {duration_scope} AND month >= ? AND month <= ? AND kind IN ({kind_marks})",
                [*duration_params, *months, *kinds],
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
                f" WHERE {edge_scope} AND day >= ? AND day <= ? AND kind IN ({kind_marks})"
                " GROUP BY 1, 2, 3, 4",
                [*edge_params, low, high, *kinds],
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
        """Month cells per service, suppressed once, the same for every query.

        A cell is one count of one service in one month (``counter`` is the month's
        counter total). Small counts are hidden (and, within a distribution that sums
        to a shown count, the next smallest too, see ``stats.protect``); a sum over
        months or services is shown only when none of its cells is hidden. So every
        shown figure is a sum of shown cells, and no two answers (other ranges, other
        periods, one service against all) can be subtracted to learn a hidden one."""
        cells: dict[tuple[str, str, str, str], int] = {}
        for (month, service, metric, key), count in self.counts.items():
            if service == "*" or metric in COUNTER_METRICS:
                continue  # sums over services are rebuilt from the cells below
            cells[(service, month, metric, key)] = count
        pairs = set(self.typed)
        for (month, service, metric, _key), _count in self.counts.items():
            if metric in COUNTER_METRICS and service != "*":
                pairs.add((month, service))
        for month, service in pairs:
            cells[(service, month, "counter", "")] = stats.counter_total(
                self.counts.get((month, service, "counter_recorded", ""), 0),
                self.typed.get((month, service)),
                self.counts.get((month, service, "counter_imported", ""), 0),
            )
        hidden = {cell for cell, count in cells.items() if 0 < count < stats.MIN_CASES}
        groups: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
        for (service, month, metric, key), count in cells.items():
            if metric in DISTRIBUTIONS:
                groups[(service, month, metric)][key] = count
        for (service, month, metric), parts in groups.items():
            for key in stats.protect(parts):
                hidden.add((service, month, metric, key))
        # metric → [(service, month, key, count, hidden)], and sums by month (over all
        # services and per service) and by key, for the sums asked below.
        self.cells: dict[str, list[tuple[str, str, str, int, bool]]] = defaultdict(list)
        self._months: dict[tuple[str, str | None], dict[str, list]] = defaultdict(dict)
        self._keys: dict[tuple[str, str | None, str], list] = {}
        for (service, month, metric, key), count in cells.items():
            is_hidden = (service, month, metric, key) in hidden
            self.cells[metric].append((service, month, key, count, is_hidden))
            for scope in (None, service):
                entry = self._months[(metric, scope)].setdefault(month, [0, False])
                entry[0] += count
                entry[1] = entry[1] or is_hidden
                total = self._keys.setdefault((metric, scope, key), [0, False])
                total[0] += count
                total[1] = total[1] or is_hidden

    def services(self) -> list[str]:
        """The services with any count in the range (not the sign-ins' ``""``)."""
        found = {service for (_month, service, _metric, _key) in self.counts}
        return sorted((found | {service for (_month, service) in self.typed}) - {"", "*"})

    def value(
        self,
        metric: str,
        months: set[str] | None = None,
        service: str | None = None,
        key: str | None = None,
    ) -> tuple[int, bool]:
        """The sum of a metric's cells (of a key, months, a service) and whether any of
        them is hidden (then the sum must not be shown)."""
        if key is None:
            by_month = self._months.get((metric, service), {})
            total, hidden = 0, False
            for month, (count, month_hidden) in by_month.items():
                if months is None or month in months:
                    total += count
                    hidden = hidden or month_hidden
            return total, hidden
        if months is None:
            count, key_hidden = self._keys.get((metric, service, key), (0, False))
            return count, key_hidden
        total, hidden = 0, False
        for item_service, month, item_key, count, item_hidden in self.cells.get(metric, ()):
            if months is not None and month not in months:
                continue
            if service is not None and item_service != service:
                continue
            if key is not None and item_key != key:
                continue
            total += count
            hidden = hidden or item_hidden
        return total, hidden

    def shown(
        self,
        metric: str,
        months: set[str] | None = None,
        service: str | None = None,
        key: str | None = None,
    ) -> int | None:
        """The sum as it may be shown: ``None`` when a cell of it is hidden."""
        total, hidden = self.value(metric, months, service, key)
        return None if hidden else stats.shown(total)

    def keys(self, metric: str) -> dict[str, int | None]:
        """A distribution over the whole range, each key as it may be shown."""
        found = {key for _service, _month, key, _count, _hidden in self.cells.get(metric, ())}
        return {key: self.shown(metric, key=key) for key in found}

    def raw_keys(self, metric: str) -> dict[str, int]:
        """A distribution's true sums (for shares only, never shown as counts)."""
        totals: dict[str, int] = defaultdict(int)
        for _service, _month, key, count, _hidden in self.cells.get(metric, ()):
            totals[key] += count
        return dict(totals)

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


def _months_by_period(start: date, end: date, group: str) -> dict[str, set[str]]:
    months: dict[str, set[str]] = {label: set() for label in stats.periods(start, end, group)}
    for month in stats.periods(start, end, "month"):
        months[stats.month_period(month, group)].add(month)
    return months


def _quote_entry(online: int | None, counter: int | None) -> dict[str, Any]:
    return {
        "online": online,
        "counter": counter,
        "quote": stats.quote(online, counter),
        "suppressed": online is None or counter is None,
    }


def _ordered(
    items: dict[str, int | None], order: tuple[str, ...] = ()
) -> list[tuple[str, int | None]]:
    ranked = sorted(items.items(), key=lambda pair: (-(pair[1] or 0), pair[0]))
    if order:
        ranked = [(key, items[key]) for key in order if key in items] + [
            pair for pair in ranked if pair[0] not in order
        ]
    return ranked


def _sums(service_id: str | None, start: date, end: date, **options: Any) -> _Sums:
    # Over all services the cells are read per service: a sum over services is shown
    # only when no service's cell in it is hidden (see ``_Sums._index``).
    return _Sums(
        start,
        end,
        service_id,
        per_service=service_id is None,
        durations_over_all=service_id is None,
        **options,
    )


def figures(service_id: str | None, start: date, end: date, group: str) -> dict[str, Any]:
    """Everything the dashboard shows for a service (or all) and a range of whole months."""
    sums = _sums(service_id, start, end)
    by_period = _months_by_period(start, end, group)
    run = last_run()

    quote_periods = []
    for label, months in by_period.items():
        entry = _quote_entry(sums.shown("submitted", months), sums.shown("counter", months))
        quote_periods.append({"period": label, **entry})
    target = None
    if service_id:
        target = records.target_view(records.targets().get(service_id))

    funnel_counts = {name: sums.shown(name) for name in FUNNEL}
    gave_up = _gave_up(service_id, sums)
    start_submit = sums.histogram("start_submit")
    funnel = {
        **funnel_counts,
        "median_start_to_submit_hours": stats.percentile(start_submit, 0.5),
        "suppressed": any(count is None for count in funnel_counts.values())
        or any(item["count"] is None for item in gave_up),
        "gave_up_at": gave_up,
    }

    decided = sums.shown("decided")
    overdue = sums.shown("overdue")
    processing_all = sums.histogram("processing")
    processing_periods = []
    for label, months in by_period.items():
        histogram = sums.histogram("processing", months)
        processing_periods.append(
            {
                "period": label,
                "decided": sums.shown("decided", months),
                "median_hours": stats.percentile(histogram, 0.5),
                "p90_hours": stats.percentile(histogram, 0.9),
            }
        )
    processing = {
        "decided": decided,
        "median_hours": stats.percentile(processing_all, 0.5),
        "p90_hours": stats.percentile(processing_all, 0.9),
        "auto_share": stats.share(sums.shown("decided_auto"), decided),
        "overdue": overdue,
        "suppressed": decided is None
        or overdue is None
        or any(item["decided"] is None for item in processing_periods),
        "periods": processing_periods,
    }

    submitted = funnel_counts["submitted"]
    push = sums.shown("push_opt_in")
    email = sums.shown("email_opt_in")
    installed, all_sessions = _sessions(sums)
    methods = _ordered(sums.keys("payment_method"))
    levels = _ordered(sums.keys("trust_level"), TRUST_LEVELS)
    channels = {
        "payment_methods": [{"method": key, "count": count} for key, count in methods],
        "push_opt_in": {"share": stats.share(push, submitted), "count": push},
        "email_opt_in": {"share": stats.share(email, submitted), "count": email},
        "installed_app": {
            "share": stats.share(installed, all_sessions),
            "count": stats.shown(installed),
        },
        "trust_levels": [{"level": key, "count": count} for key, count in levels],
        "suppressed": push is None
        or email is None
        or stats.is_suppressed(installed)
        or any(count is None for _key, count in (*methods, *levels)),
    }
    return {
        "service_id": service_id,
        "from": start,
        "to": end,
        "group": group,
        "min_cases": stats.MIN_CASES,
        "aggregated_at": run.aggregated_at if run else None,
        "quote": {
            "periods": quote_periods,
            "total": _quote_entry(sums.shown("submitted"), sums.shown("counter")),
            "target": target,
        },
        "funnel": funnel,
        "processing": processing,
        "channels": channels,
        "campaigns": campaigns(sums, service_id),
    }


def _campaign_names() -> dict[str, str]:
    return {tag: name for tag, name in Campaign.select(Campaign.tag, Campaign.name).tuples()}


def campaigns(sums: _Sums, service_id: str | None) -> dict[str, Any]:
    """ "Zugänge über Kampagnen": per campaign tag the landings (``entry``) and the
    applications sent from them (``entry_submitted``) in the range, on the service's
    page when a service is chosen (else everywhere, the start page included). Each
    count is a sum of month cells and hidden like every other count."""
    names = _campaign_names()
    tags = {
        key
        for metric in ("entry", "entry_submitted")
        for item_service, _month, key, _count, _hidden in sums.cells.get(metric, ())
        if service_id is None or item_service == service_id
    }
    rows = []
    for tag in tags:
        entries = sums.shown("entry", service=service_id, key=tag)
        submitted = sums.shown("entry_submitted", service=service_id, key=tag)
        rows.append(
            {
                "tag": tag,
                "name": names.get(tag, tag),
                "entries": entries,
                "submitted": submitted,
                "suppressed": entries is None or submitted is None,
            }
        )
    rows.sort(key=lambda row: (-(row["entries"] or 0), row["tag"]))
    return {"tags": rows, "suppressed": any(row["suppressed"] for row in rows)}


def _gave_up(service_id: str | None, sums: _Sums) -> list[dict[str, Any]]:
    """The steps where citizens give up, each with its title (over all services: per
    service and step, a step id means something only within its service)."""
    titles: dict[tuple[str, str], dict[str, str]] = {}
    names: dict[str, dict[str, str]] = {}
    for item in records.services():
        if service_id in (None, item["service_id"]):
            names[item["service_id"]] = item["title"]
            for step, title in item["all_steps"].items():
                titles[(item["service_id"], step)] = title
    found: dict[tuple[str, str], int | None] = {}
    for service, _month, step, _count, _hidden in sums.cells.get("gave_up", ()):
        if (service, step) not in found:
            found[(service, step)] = sums.shown("gave_up", service=service, key=step)
    ranked = sorted(found.items(), key=lambda pair: (-(pair[1] or 0), pair[0]))
    result = []
    for (service, step), count in ranked:
        title = titles.get((service, step)) or {}
        de, en = title.get("de") or step, title.get("en") or title.get("de") or step
        if service_id is None:
            service_name = names.get(service) or {}
            de = f"{service_name.get('de') or service}: {de}"
            en = f"{service_name.get('en') or service_name.get('de') or service}: {en}"
        result.append(
            {
                "step": step if service_id else f"{service}/{step}",
                "title": {"de": de, "en": en},
                "count": count,
            }
        )
    return result


def _sessions(sums: _Sums) -> tuple[int, int]:
    """Sign-ins of citizens in the installed app, and of citizens whose display mode is
    known (``unknown`` is left out: it would count toward neither)."""
    sessions = sums.raw_keys("sessions")
    installed = sessions.get("standalone", 0)
    return installed, installed + sessions.get("browser", 0)


def year_quote(service_id: str, year: int) -> float | None:
    """A service's online quote over a whole year (``None`` below the threshold)."""
    sums = _sums(service_id, date(year, 1, 1), date(year, 12, 31))
    return stats.quote(sums.shown("submitted"), sums.shown("counter"))


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
CAMPAIGN_EXPORT_COLUMNS = ("tag", "name", "service_id", "month", "entries", "submitted")


def export_rows(start: date, end: date) -> list[dict[str, Any]]:
    """Open data: one row per service and month with any count, suppressed cells
    ``None`` (the same month cells as the dashboard's). Only aggregate counts: no
    names, addresses, free text or case numbers."""
    sums = _Sums(start, end, None, per_service=True, kinds=("processing",))
    rows = []
    for service in sums.services():
        for month in stats.periods(start, end, "month"):
            months = {month}
            values = {
                name: sums.value(name, months, service=service)
                for name in ("submitted", "counter", "started", "decided")
            }
            if not any(total for total, _hidden in values.values()):
                continue
            online, counter, started, decided = (
                sums.shown(name, months, service=service)
                for name in ("submitted", "counter", "started", "decided")
            )
            histogram = sums.histogram("processing", months, service=service)
            rows.append(
                {
                    "service_id": service,
                    "month": month,
                    "online": online,
                    "counter": counter,
                    "quote": stats.quote(online, counter),
                    "started": started,
                    "submitted": online,
                    "decided": decided,
                    "median_processing_hours": stats.percentile(histogram, 0.5),
                }
            )
    return rows


def median_processing_hours(service_id: str, start: date, end: date) -> float | None:
    """The median time from submission to decision of one service's cases decided from
    ``start`` to ``end``, in hours; ``None`` for fewer than ``MIN_CASES`` cases (the
    statistics' suppression of small counts)."""
    sums = _Sums(start, end, service_id, kinds=("processing",))
    return stats.percentile(sums.histogram("processing"), 0.5)


def campaign_export_rows(start: date, end: date) -> list[dict[str, Any]]:
    """Open data on campaigns: per tag, page (service, ``""`` for the start page) and
    month the landings and the applications sent from them, suppressed cells ``None``."""
    sums = _Sums(start, end, None, per_service=True, kinds=("processing",))
    names = _campaign_names()
    found: set[tuple[str, str, str]] = set()
    for metric in ("entry", "entry_submitted"):
        for service, month, key, count, _hidden in sums.cells.get(metric, ()):
            if count:
                found.add((key, service, month))
    rows = []
    for tag, service, month in sorted(found):
        months = {month}
        rows.append(
            {
                "tag": tag,
                "name": names.get(tag, tag),
                "service_id": service,
                "month": month,
                "entries": sums.shown("entry", months, service=service, key=tag),
                "submitted": sums.shown("entry_submitted", months, service=service, key=tag),
            }
        )
    return rows


def campaign_totals(start: date, end: date) -> dict[str, tuple[int | None, int | None]]:
    """Per campaign tag the landings and the applications sent from them over the whole
    months ``start``..``end``, everywhere: sums of the same month cells the dashboard
    shows, so a total never gives away a cell the dashboard hides."""
    sums = _Sums(start, end, None, per_service=True, kinds=("processing",))
    tags = {
        key
        for metric in ("entry", "entry_submitted")
        for _service, _month, key, _count, _hidden in sums.cells.get(metric, ())
    }
    return {
        tag: (sums.shown("entry", key=tag), sums.shown("entry_submitted", key=tag)) for tag in tags
    }
