"""The deadline to accept an offer: calendar days, weekends move to Monday."""

from __future__ import annotations

from datetime import date

import pytest

from app.kita import deadlines, settings

# (offered on, days, last day to accept)
CASES = [
    # The default: 14 days from a Monday is a Monday.
    (date(2026, 3, 2), 14, date(2026, 3, 16)),
    # Ends on a Saturday: Monday.
    (date(2026, 3, 6), 15, date(2026, 3, 23)),
    # Ends on a Sunday: Monday.
    (date(2026, 3, 8), 14, date(2026, 3, 23)),
    # Across a month end (January has 31 days).
    (date(2026, 1, 20), 14, date(2026, 2, 3)),
    # Across February in a common year, ending on a weekday.
    (date(2026, 2, 20), 14, date(2026, 3, 6)),
    # Across February in a leap year: 5 March 2028 is a Sunday, so Monday 6 March.
    (date(2028, 2, 20), 14, date(2028, 3, 6)),
    # Across the year end, ending on a Saturday (2 Jan 2027) → Monday 4 Jan.
    (date(2026, 12, 19), 14, date(2027, 1, 4)),
    # A configured deadline of 7 days.
    (date(2026, 3, 4), 7, date(2026, 3, 11)),
    # A configured deadline of 30 days ending on a month end Tuesday.
    (date(2026, 2, 28), 30, date(2026, 3, 30)),
    # One day, offered on a Friday: Saturday → Monday.
    (date(2026, 3, 6), 1, date(2026, 3, 9)),
]


@pytest.mark.parametrize(("offered", "days", "expected"), CASES)
def test_deadline(offered, days, expected):
    assert deadlines.deadline(offered, days) == expected
    assert expected.weekday() < 5


@pytest.mark.parametrize(
    ("last_day", "today", "expired"),
    [
        (date(2026, 3, 16), date(2026, 3, 16), False),  # the last day still counts
        (date(2026, 3, 16), date(2026, 3, 17), True),
        (date(2026, 3, 16), date(2026, 3, 1), False),
    ],
)
def test_is_expired(last_day, today, expired):
    assert deadlines.is_expired(last_day, today) is expired


@pytest.mark.parametrize(
    ("config", "days"),
    [
        ({}, 14),
        ({"KITA_OFFER_DAYS": 14}, 14),
        ({"KITA_OFFER_DAYS": 7}, 7),
        ({"KITA_OFFER_DAYS": "21"}, 21),
    ],
)
def test_offer_days_default_and_configured(config, days):
    assert settings.offer_days(config) == days


@pytest.mark.parametrize("bad", [0, -1, 91])
def test_offer_days_out_of_range_fails_loudly(bad):
    with pytest.raises(ValueError):
        settings.offer_days({"KITA_OFFER_DAYS": bad})


def test_no_deadline_without_days():
    with pytest.raises(ValueError):
        deadlines.deadline(date(2026, 3, 2), 0)
