"""Relative date bounds: days, working days, weeks, months, years."""

from __future__ import annotations

from datetime import date

import pytest

from app.service_definitions.relative_dates import add_months, is_valid_spec, resolve

from .support import TODAY


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("today", date(2024, 6, 12)),
        ("-14d", date(2024, 5, 29)),
        ("+0d", date(2024, 6, 12)),
        ("+2w", date(2024, 6, 26)),
        ("+5wd", date(2024, 6, 19)),
        ("+2wd", date(2024, 6, 14)),
        ("+3wd", date(2024, 6, 17)),
        ("-3wd", date(2024, 6, 7)),
        ("+1m", date(2024, 7, 12)),
        ("-30y", date(1994, 6, 12)),
        ("2020-02-29", date(2020, 2, 29)),
    ],
)
def test_resolve(spec, expected):
    assert resolve(spec, TODAY) == expected


def test_working_days_skip_weekends_from_a_friday():
    assert resolve("+1wd", date(2024, 6, 14)) == date(2024, 6, 17)
    assert resolve("+5wd", date(2024, 6, 14)) == date(2024, 6, 21)
    assert resolve("+1wd", date(2024, 6, 15)) == date(2024, 6, 17)


def test_months_clamp_to_the_end_of_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert resolve("-1y", date(2024, 2, 29)) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 15), -13) == date(2022, 12, 15)


@pytest.mark.parametrize("spec", ["yesterday", "-14", "14d", "+1x", "2024-13-01", "", None, 5])
def test_invalid_specs(spec):
    assert is_valid_spec(spec) is False
    if isinstance(spec, str):
        with pytest.raises(ValueError):
            resolve(spec, TODAY)
