"""Free appointment times, computed from plain data (no database): opening hours, closing
days, the counters that serve the chosen services and the slots already taken.

Opening hours are local wall-clock times in Europe/Berlin; the results are UTC. A local
time that does not exist (the hour skipped when summer time starts) is never offered; a
local time that exists twice (when it ends) is offered once, at its first occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.appointments.settings import SLOT_MINUTES, START_EVERY_MINUTES, TIMEZONE


@dataclass(frozen=True)
class Opening:
    """One opening interval on a weekday (0 = Monday), local time."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Free:
    """A bookable start (UTC, naive) and the counters free for the whole duration."""

    starts_at: datetime
    counter_ids: tuple[int, ...]


def parse_hhmm(text: str) -> time:
    """``"08:30"`` → ``time(8, 30)``; a ValueError for anything else."""
    hours, _, minutes = text.partition(":")
    if len(hours) != 2 or len(minutes) != 2:
        raise ValueError(text)
    return time(int(hours), int(minutes))


def to_utc(day: date, at: time) -> datetime | None:
    """The UTC instant (naive) of the local wall-clock time, or None if it does not exist."""
    local = datetime.combine(day, at, tzinfo=TIMEZONE)
    instant = local.astimezone(UTC)
    # A non-existent local time does not survive the round trip.
    if instant.astimezone(TIMEZONE).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant.replace(tzinfo=None)


def local_day(instant: datetime) -> date:
    """The city's calendar day of a UTC instant (naive)."""
    return instant.replace(tzinfo=UTC).astimezone(TIMEZONE).date()


def slot_starts(starts_at: datetime, minutes: int) -> list[datetime]:
    """The slot starts a booking of ``minutes`` from ``starts_at`` occupies."""
    return [starts_at + timedelta(minutes=m) for m in range(0, minutes, SLOT_MINUTES)]


def _candidates(day: date, openings: Iterable[Opening], minutes: int) -> list[datetime]:
    found: list[datetime] = []
    step = timedelta(minutes=START_EVERY_MINUTES)
    for opening in openings:
        if opening.weekday != day.weekday():
            continue
        start = datetime.combine(day, opening.opens)
        last = datetime.combine(day, opening.closes) - timedelta(minutes=minutes)
        while start <= last:
            instant = to_utc(day, start.time())
            end = to_utc(day, (start + timedelta(minutes=minutes)).time())
            # Both ends must exist, and the span must be as long in real time as asked.
            if instant and end and end - instant == timedelta(minutes=minutes):
                found.append(instant)
            start += step
    return sorted(set(found))


def free_starts(
    day: date,
    openings: Iterable[Opening],
    closed_days: set[date],
    minutes: int,
    counter_ids: Iterable[int],
    taken: Mapping[int, set[datetime]],
    not_before: datetime,
) -> list[Free]:
    """Every start on ``day`` where at least one of ``counter_ids`` is free for ``minutes``.

    ``taken``: per counter, the UTC starts of its occupied slots. ``not_before``: the
    earliest bookable instant (now plus the lead time).
    """
    if day in closed_days or minutes <= 0:
        return []
    counters = sorted(set(counter_ids))
    result: list[Free] = []
    for start in _candidates(day, openings, minutes):
        if start < not_before:
            continue
        needed = slot_starts(start, minutes)
        free = tuple(c for c in counters if not any(s in taken.get(c, set()) for s in needed))
        if free:
            result.append(Free(start, free))
    return result


def open_minutes(day: date, openings: Iterable[Opening], closed_days: set[date]) -> int:
    """How many minutes one counter is open on ``day`` (real minutes, across DST)."""
    if day in closed_days:
        return 0
    total = 0
    for opening in openings:
        if opening.weekday != day.weekday():
            continue
        begin, end = to_utc(day, opening.opens), to_utc(day, opening.closes)
        if begin and end and end > begin:
            total += int((end - begin).total_seconds() // 60)
    return total
