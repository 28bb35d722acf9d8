"""Statistics: the arithmetic behind the dashboard, as pure functions.

Everything the dashboard shows is computed from the daily aggregate (see
``app.statistics.aggregation``); these functions turn its counts into periods, quotes,
percentiles and the privacy threshold. They touch no database, so they are tested on
fixed data.

Calendar days are Europe/Berlin days. Durations are kept as histograms of whole hours
(see :func:`bucket`): a percentile is the middle of the bucket it falls into, so it is
exact to ±0.5 h below three days, ±3 h below 30 days and ±12 h above.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# No count below this (but above zero) is shown, nor anything computed from fewer cases.
MIN_CASES = 5
TIMEZONE = ZoneInfo("Europe/Berlin")
GROUPS = ("month", "quarter", "year")
# The calendar the statistics know: typed months, imported days and queried ranges lie
# within it, and the aggregation never looks outside it (dates near year 1 or 9999
# would overflow the time-zone arithmetic).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
# Histogram buckets: hourly below 3 days, six-hourly below 30 days, daily below a year,
# one bucket for everything longer.
_HOURLY_UNTIL = 72
_SIX_HOURLY_UNTIL = 720
_DAILY_UNTIL = 8760


def berlin_day(moment: datetime) -> date:
    """The Berlin calendar day of a naive UTC timestamp (as the database stores them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TIMEZONE).date()


def day_start_utc(day: date) -> datetime:
    """When the Berlin day ``day`` begins, as a naive UTC timestamp."""
    # Outside the statistics' calendar the bounds stand in (no OverflowError near the
    # years 1 and 9999, whatever a stored row says).
    day = min(max(day, FIRST_DAY), LAST_DAY + timedelta(days=1))
    local = datetime.combine(day, time.min, tzinfo=TIMEZONE)
    return local.astimezone(UTC).replace(tzinfo=None)


def period_of(day: date, group: str) -> str:
    """The label of the period ``day`` falls into: ``2026-01``, ``2026-Q1`` or ``2026``."""
    if group == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if group == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if group == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown group {group!r}")


def periods(start: date, end: date, group: str) -> list[str]:
    """Every period label from ``start`` to ``end`` (both included), in order, also
    across year boundaries; empty when ``end`` is before ``start``."""
    labels: list[str] = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        label = period_of(cursor, group)
        if not labels or labels[-1] != label:
            labels.append(label)
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return labels


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    after = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return after - timedelta(days=1)


def month_of(day: date) -> str:
    """``YYYY-MM`` of a day."""
    return period_of(day, "month")


def month_period(month: str, group: str) -> str:
    """The period of a ``YYYY-MM`` month label."""
    year, number = (int(part) for part in month.split("-"))
    return period_of(date(year, number, 1), group)


def shown(count: int | None) -> int | None:
    """A count as it may be shown: ``None`` when between 1 and ``MIN_CASES - 1``."""
    if count is None:
        return None
    return None if 0 < count < MIN_CASES else count


def is_suppressed(*counts: int | None) -> bool:
    """Whether any of these counts is hidden by the threshold."""
    return any(count is not None and 0 < count < MIN_CASES for count in counts)


def share(part: int | None, whole: int | None) -> float | None:
    """``part / whole``; ``None`` when either is hidden, ``whole`` has fewer than
    ``MIN_CASES`` cases, or ``part`` or the rest (``whole - part``) is between 1 and
    ``MIN_CASES - 1`` (a share of a shown total would give that count away)."""
    if part is None or whole is None or whole < MIN_CASES:
        return None
    if is_suppressed(part, whole - part):
        return None
    return round(part / whole, 4)


def quote(online: int | None, counter: int | None) -> float | None:
    """The online quote: online / (online + counter); ``None`` when either count is
    hidden or between 1 and ``MIN_CASES - 1``, or there are fewer than ``MIN_CASES``."""
    if online is None or counter is None:
        return None
    return share(online, online + counter)


def protect(parts: Mapping[str, int]) -> set[str]:
    """Which cells of a distribution that sums to a shown total must be hidden.

    Primary: every count from 1 to ``MIN_CASES - 1``. Secondary: while anything is
    hidden, the next smallest counts too, until at least two cells with together at
    least ``MIN_CASES`` cases are hidden — the total minus the shown cells then gives
    only a sum no single small count can be read from. (When the total is the sum of
    the parts and at least ``MIN_CASES``, that is always reachable.)"""
    hidden = {key for key, count in parts.items() if 0 < count < MIN_CASES}
    if not hidden:
        return hidden
    candidates = sorted(
        ((count, key) for key, count in parts.items() if key not in hidden and count > 0),
        reverse=True,
    )
    while candidates and (len(hidden) < 2 or sum(parts[key] for key in hidden) < MIN_CASES):
        hidden.add(candidates.pop()[1])
    return hidden


def counter_total(recorded: int, typed: int | None, imported: int) -> int:
    """A month's counter cases: recorded ones plus the larger of typed and imported (a
    typed monthly count and an imported file usually describe the same cases)."""
    return recorded + max(typed or 0, imported)


def target_quote(baseline_quote: float, points: float) -> float:
    """The target: the baseline quote plus ``points`` percentage points, within 0..1."""
    return round(min(1.0, max(0.0, baseline_quote + points / 100)), 4)


def bucket(hours: float) -> int:
    """The histogram bucket (its lower bound in whole hours) of a duration."""
    whole = max(0, int(hours))
    if whole < _HOURLY_UNTIL:
        return whole
    if whole < _SIX_HOURLY_UNTIL:
        return whole - whole % 6
    if whole < _DAILY_UNTIL:
        return whole - whole % 24
    return _DAILY_UNTIL


def bucket_width(lower: int) -> int:
    """How many hours the bucket starting at ``lower`` spans."""
    if lower < _HOURLY_UNTIL:
        return 1
    if lower < _SIX_HOURLY_UNTIL:
        return 6
    if lower < _DAILY_UNTIL:
        return 24
    return 0  # open-ended: reported at its lower bound


def bucket_sql(hours: str) -> str:
    """SQL computing :func:`bucket` from an integer expression of whole hours (integer
    division rounds down on both databases; no ``%``, which the PostgreSQL driver reads
    as a parameter mark)."""
    return (
        f"CASE WHEN {hours} < {_HOURLY_UNTIL} THEN {hours}"
        f" WHEN {hours} < {_SIX_HOURLY_UNTIL} THEN ({hours} / 6) * 6"
        f" WHEN {hours} < {_DAILY_UNTIL} THEN ({hours} / 24) * 24"
        f" ELSE {_DAILY_UNTIL} END"
    )


def percentile(histogram: Mapping[int, int], fraction: float) -> float | None:
    """The ``fraction`` percentile (0.5 = median) of a bucket histogram, in hours: the
    middle of the bucket holding the case at that rank (nearest-rank method); ``None``
    for fewer than ``MIN_CASES`` cases."""
    total = sum(histogram.values())
    if total < MIN_CASES:
        return None
    rank = max(1, -(-int(fraction * total * 1_000_000) // 1_000_000))  # ceil, no float drift
    seen = 0
    for lower in sorted(histogram):
        seen += histogram[lower]
        if seen >= rank:
            return lower + bucket_width(lower) / 2
    raise AssertionError("unreachable: rank within total")


def merge(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    """The sum of several histograms."""
    merged: dict[int, int] = {}
    for histogram in histograms:
        for lower, count in histogram.items():
            merged[lower] = merged.get(lower, 0) + count
    return merged


def days_between(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
