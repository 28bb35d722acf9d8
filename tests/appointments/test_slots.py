"""Free start times from opening hours, closing days and taken slots (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from app.appointments.holidays import easter_sunday, nrw_holidays
from app.appointments.settings import TIMEZONE
from app.appointments.slots import Opening, free_starts, open_minutes, slot_starts, to_utc

WEEKDAYS = [Opening(d, time(8, 0), time(9, 0)) for d in range(5)]
SUNDAY_NIGHT = [Opening(6, time(1, 0), time(4, 0))]
EARLY = datetime(2000, 1, 1)


def _starts(day, openings=WEEKDAYS, closed=(), minutes=20, taken=None, counters=(1,)):
    found = free_starts(day, openings, set(closed), minutes, counters, taken or {}, EARLY)
    return [f.starts_at for f in found]


@pytest.mark.parametrize(
    ("day", "first_utc", "count"),
    [
        # Winter time: 08:00 in Düren is 07:00 UTC; starts every 10 minutes up to 08:40.
        (date(2026, 3, 27), datetime(2026, 3, 27, 7, 0), 5),
        # Summer time from 29 March 2026: the Monday after, 08:00 is 06:00 UTC.
        (date(2026, 3, 30), datetime(2026, 3, 30, 6, 0), 5),
        # And back to winter time on 25 October 2026.
        (date(2026, 10, 26), datetime(2026, 10, 26, 7, 0), 5),
        # Saturday: no opening hours.
        (date(2026, 3, 28), None, 0),
    ],
)
def test_starts_follow_local_opening_hours_across_dst(day, first_utc, count):
    starts = _starts(day)
    assert len(starts) == count
    if count:
        assert starts[0] == first_utc


def test_the_hour_skipped_in_spring_is_never_offered():
    # 29 March 2026: 02:00–03:00 does not exist in Europe/Berlin.
    starts = _starts(date(2026, 3, 29), SUNDAY_NIGHT, minutes=10)
    local_hours = {to_hour(s) for s in starts}
    assert to_utc(date(2026, 3, 29), time(2, 30)) is None
    assert 2 not in local_hours
    # Every start is an instant that lasts the full ten minutes in real time.
    assert len(starts) == len(set(starts))
    # 01:00–02:00 (00:00–01:00 UTC) and 03:00–04:00 (01:00–02:00 UTC), minus the ends.
    assert starts[0] == datetime(2026, 3, 29, 0, 0) and starts[-1] == datetime(2026, 3, 29, 1, 50)
    # 01:50 local would end at 02:00 local, which does not exist.
    assert datetime(2026, 3, 29, 0, 50) not in starts


def to_hour(instant: datetime) -> int:
    return instant.replace(tzinfo=UTC).astimezone(TIMEZONE).hour


def test_the_hour_repeated_in_autumn_is_offered_once():
    starts = _starts(date(2026, 10, 25), SUNDAY_NIGHT, minutes=10)
    assert len(starts) == len(set(starts))
    # 01:00 local (CEST) is 23:00 UTC the day before.
    assert starts[0] == datetime(2026, 10, 24, 23, 0)


@pytest.mark.parametrize(
    ("closed", "expected"),
    [((), 5), ((date(2026, 12, 7),), 0), ((date(2026, 12, 8),), 5)],
)
def test_closing_days_have_no_starts(closed, expected):
    assert len(_starts(date(2026, 12, 7), closed=closed)) == expected


def test_taken_slots_remove_every_start_that_would_overlap():
    day = date(2026, 12, 7)
    first = datetime(2026, 12, 7, 7, 0)
    taken = {1: set(slot_starts(datetime(2026, 12, 7, 7, 20), 10))}  # 08:20–08:30 local
    starts = _starts(day, taken=taken)
    # 20 minutes: 08:00 fits (ends 08:20), 08:10 / 08:20 overlap, 08:30 and 08:40 fit.
    assert starts == [first, first.replace(minute=30), first.replace(minute=40)]


def test_a_start_is_free_while_any_capable_counter_is():
    day = date(2026, 12, 7)
    taken = {1: set(slot_starts(datetime(2026, 12, 7, 7, 0), 60))}
    found = free_starts(day, WEEKDAYS, set(), 20, (1, 2), taken, EARLY)
    assert len(found) == 5 and all(f.counter_ids == (2,) for f in found)
    assert _starts(day, taken=taken, counters=(1,)) == []


def test_nothing_before_the_earliest_bookable_instant():
    day = date(2026, 12, 7)
    found = free_starts(day, WEEKDAYS, set(), 20, (1,), {}, datetime(2026, 12, 7, 7, 25))
    assert [f.starts_at.minute for f in found] == [30, 40]


def test_a_visit_longer_than_the_opening_fits_nowhere():
    assert _starts(date(2026, 12, 7), minutes=65) == []


def test_open_minutes_count_real_minutes():
    assert open_minutes(date(2026, 12, 7), WEEKDAYS, set()) == 60
    assert open_minutes(date(2026, 12, 7), WEEKDAYS, {date(2026, 12, 7)}) == 0
    # 01:00–04:00 on the night summer time starts lasts two real hours.
    assert open_minutes(date(2026, 3, 29), SUNDAY_NIGHT, set()) == 120


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
    ],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_nrw_holidays_2026():
    days = {d: name for d, name, _ in nrw_holidays(2026)}
    assert len(days) == 11
    assert days[date(2026, 4, 3)] == "Karfreitag"
    assert days[date(2026, 6, 4)] == "Fronleichnam"
    assert days[date(2026, 11, 1)] == "Allerheiligen"
