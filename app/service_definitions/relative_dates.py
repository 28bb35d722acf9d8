"""Date bounds written relative to today, as definitions use them.

Grammar: ``today``; an offset ``[+-]N`` followed by ``d`` (days), ``wd`` (working days,
Monday to Friday), ``w`` (weeks), ``m`` (months) or ``y`` (years), e.g. ``-14d``,
``+5wd``, ``-30y``; or an absolute ISO date ``YYYY-MM-DD``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^([+-])(\d{1,5})(d|wd|w|m|y)$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CITY_TIMEZONE = "Europe/Berlin"


def local_today() -> date:
    """Today in the city's time zone (a server on UTC would be a day off around midnight)."""
    try:
        return datetime.now(ZoneInfo(CITY_TIMEZONE)).date()
    except ZoneInfoNotFoundError:
        return date.today()


def is_valid_spec(spec: object) -> bool:
    """Tell whether ``spec`` is a well-formed relative or absolute date."""
    if not isinstance(spec, str):
        return False
    try:
        resolve(spec, date(2000, 1, 3))
    except ValueError:
        return False
    return True


def resolve(spec: str, today: date) -> date:
    """Turn ``spec`` into a date, counting from ``today``; raise ``ValueError`` if malformed."""
    if spec == "today":
        return today
    if _ISO.match(spec):
        return date.fromisoformat(spec)
    match = _OFFSET.match(spec)
    if not match:
        raise ValueError(f"not a date or offset: {spec!r}")
    sign = -1 if match.group(1) == "-" else 1
    amount = int(match.group(2)) * sign
    unit = match.group(3)
    if unit == "d":
        return today + timedelta(days=amount)
    if unit == "w":
        return today + timedelta(weeks=amount)
    if unit == "wd":
        return add_working_days(today, amount)
    if unit == "m":
        return add_months(today, amount)
    return add_months(today, 12 * amount)


def add_working_days(start: date, days: int) -> date:
    """Move ``days`` working days (Monday to Friday) from ``start``; negative goes back."""
    step = 1 if days >= 0 else -1
    current = start
    remaining = abs(days)
    while remaining:
        current += timedelta(days=step)
        if current.weekday() < 5:
            remaining -= 1
    return current


def add_months(start: date, months: int) -> date:
    """Move ``months`` calendar months, clamping to the month's end (31 Jan + 1m = 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, monthrange(year, month)[1])
    return date(year, month, day)
