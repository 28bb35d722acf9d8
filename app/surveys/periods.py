"""Whole periods for survey and satisfaction results.

Results are given only for whole calendar months (a month, a quarter, a year or a run of
whole months): two overlapping day ranges could otherwise be subtracted to isolate the
answers of a single day, which the privacy threshold is meant to prevent.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from app.errors import DomainError, FieldError

GROUPS = ("month", "quarter", "year")
_LABELS = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "year": re.compile(r"^(\d{4})$"),
}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def of_label(group: str, label: str) -> tuple[date, date]:
    """The first and last day of period ``label`` (``2026-03``, ``2026-Q1``, ``2026``)
    of ``group``; a label that does not fit is a field error on ``period``."""
    pattern = _LABELS.get(group)
    found = pattern.match(label) if pattern else None
    if found is None:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("period", "survey_period_label")]
        )
    year = int(found.group(1))
    if year < 1:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("period", "survey_period_label")]
        )
    if group == "month":
        month = int(found.group(2))
        return date(year, month, 1), _month_end(year, month)
    if group == "quarter":
        first = (int(found.group(2)) - 1) * 3 + 1
        return date(year, first, 1), _month_end(year, first + 2)
    return date(year, 1, 1), date(year, 12, 31)


def whole(
    start: date | None,
    end: date | None,
    group: str | None = None,
    label: str | None = None,
) -> tuple[date | None, date | None]:
    """The day range of a results request: ``group`` and ``label``, or ``start`` (first
    day of a month) and ``end`` (last day of a month); ``None`` ends are open (all
    answers before or after). Anything else is a field error (422)."""
    if group is not None or label is not None:
        if group is None or label is None or start is not None or end is not None:
            raise DomainError(
                "invalid_input", field_errors=[FieldError("period", "survey_period_label")]
            )
        return of_label(group, label)
    errors = []
    if start is not None and start.day != 1:
        errors.append(FieldError("from", "survey_period_start"))
    if end is not None and end != _month_end(end.year, end.month):
        errors.append(FieldError("to", "survey_period_end"))
    if start is not None and end is not None and start > end:
        errors.append(FieldError("to", "survey_period_reversed"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    return start, end
