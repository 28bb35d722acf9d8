"""The last day parents may accept an offer.

The deadline is ``days`` calendar days after the day of the offer. A deadline on a
Saturday or Sunday moves to the following Monday (as § 193 BGB does for a period that
ends on a weekend): parents who are told "two weeks" must not lose a weekend day.
"""

from __future__ import annotations

from datetime import date, timedelta

SATURDAY = 5


def deadline(offered_on: date, days: int) -> date:
    """The last day to accept an offer made on ``offered_on`` with ``days`` to answer."""
    if days < 1:
        raise ValueError("an offer needs at least one day to answer")
    last = offered_on + timedelta(days=days)
    while last.weekday() >= SATURDAY:
        last += timedelta(days=1)
    return last


def is_expired(last_day: date, today: date) -> bool:
    """Whether an offer with the deadline ``last_day`` has run out on ``today``."""
    return today > last_day
