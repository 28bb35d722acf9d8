"""Free times for a choice of counter services, read from the database."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from app.appointments import catalogue
from app.appointments.settings import HORIZON_DAYS, LEAD_MINUTES
from app.appointments.slots import Free, free_starts, local_day, to_utc
from app.db import utcnow
from app.models import AppointmentService, AppointmentSlot


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC instants (naive) from the start of ``first`` to the end of ``last``, local days."""
    start = to_utc(first, time(0, 0)) or datetime.combine(first, time(0, 0))
    end = to_utc(last + timedelta(days=1), time(0, 0)) or datetime.combine(last, time(23, 59))
    return start, end


def taken(counter_ids: list[int], first: date, last: date) -> dict[int, set[datetime]]:
    """Per counter, the occupied slot starts between the two local days."""
    start, end = day_bounds(first, last)
    rows = (
        AppointmentSlot.select(AppointmentSlot.counter, AppointmentSlot.starts_at)
        .where(
            AppointmentSlot.counter.in_(counter_ids or [0])
            & (AppointmentSlot.starts_at >= start)
            & (AppointmentSlot.starts_at < end)
        )
        .tuples()
    )
    found: dict[int, set[datetime]] = defaultdict(set)
    for counter_id, starts_at in rows:
        found[counter_id].add(starts_at)
    return found


def not_before(now: datetime | None = None) -> datetime:
    """The earliest bookable instant (UTC, naive)."""
    return (now or utcnow()) + timedelta(minutes=LEAD_MINUTES)


def bookable_days(today: date) -> tuple[date, date]:
    """The first and last day citizens can book."""
    return today, today + timedelta(days=HORIZON_DAYS)


def free_by_day(
    chosen: list[AppointmentService], first: date, last: date, now: datetime | None = None
) -> dict[date, list[Free]]:
    """The free starts of every day from ``first`` to ``last`` for the chosen services."""
    counter_ids = catalogue.counters_for(chosen)
    minutes = catalogue.duration(chosen)
    openings = catalogue.openings()
    closed = catalogue.closed_days(first, last)
    occupied = taken(counter_ids, first, last)
    earliest = not_before(now)
    result: dict[date, list[Free]] = {}
    day = first
    while day <= last:
        result[day] = free_starts(day, openings, closed, minutes, counter_ids, occupied, earliest)
        day += timedelta(days=1)
    return result


def free_at(chosen: list[AppointmentService], starts_at: datetime) -> Free | None:
    """The free counters at exactly ``starts_at`` (UTC, naive), if that is an offered start."""
    day = local_day(starts_at)
    for free in free_by_day(chosen, day, day)[day]:
        if free.starts_at == starts_at:
            return free
    return None


def is_offered(chosen: list[AppointmentService], starts_at: datetime) -> bool:
    """Whether ``starts_at`` is a start the Bürgerbüro offers at all (taken or not)."""
    day = local_day(starts_at)
    openings = catalogue.openings()
    closed = catalogue.closed_days(day, day)
    minutes = catalogue.duration(chosen)
    everything = free_starts(day, openings, closed, minutes, [0], {}, datetime.min)
    return any(f.starts_at == starts_at for f in everything)
