"""The first year of a yearly tax pro rata by month, instalments on due dates still
ahead, and the end of the tax at a month's end."""

from __future__ import annotations

from datetime import date

import pytest

from app.payments.pro_rata import (
    Instalment,
    Period,
    first_year_schedule,
    months_amount,
    periods_until,
    plan_end,
    split,
)

DUE = ["02-15", "05-15", "08-15", "11-15"]
DOG = 8400  # 84 € a year: 7 € a month


def _dates(schedule):
    return [(i.due_date.isoformat(), i.amount_cents) for i in schedule.instalments]


# Intake on the 1st and on the last day of each month, assessed on the intake day:
# months charged, and the instalments on the due dates still ahead of the assessment.
INTAKE_MONTHS = [
    # intake month, months charged, instalments (due date, cents) in 2026 (+ 2027)
    (
        1,
        12,
        [("2026-02-15", 2100), ("2026-05-15", 2100), ("2026-08-15", 2100), ("2026-11-15", 2100)],
    ),
    (
        2,
        11,
        [("2026-02-15", 1925), ("2026-05-15", 1925), ("2026-08-15", 1925), ("2026-11-15", 1925)],
    ),
    (3, 10, [("2026-05-15", 2334), ("2026-08-15", 2333), ("2026-11-15", 2333)]),
    (4, 9, [("2026-05-15", 2100), ("2026-08-15", 2100), ("2026-11-15", 2100)]),
    (5, 8, [("2026-05-15", 1868), ("2026-08-15", 1866), ("2026-11-15", 1866)]),
    (6, 7, [("2026-08-15", 2450), ("2026-11-15", 2450)]),
    (7, 6, [("2026-08-15", 2100), ("2026-11-15", 2100)]),
    (8, 5, [("2026-08-15", 1750), ("2026-11-15", 1750)]),
    (9, 4, [("2026-11-15", 2800)]),
    (10, 3, [("2026-11-15", 2100)]),
    (11, 2, [("2026-11-15", 1400)]),
    (
        12,
        1,
        [
            ("2027-02-15", 700 + 2100),
            ("2027-05-15", 2100),
            ("2027-08-15", 2100),
            ("2027-11-15", 2100),
        ],
    ),
]


@pytest.mark.parametrize(("month", "months", "expected"), INTAKE_MONTHS)
def test_every_intake_month_assessed_on_the_first(month, months, expected):
    day = date(2026, month, 1)
    schedule = first_year_schedule(DOG, day, day, DUE)
    assert schedule.periods[0] == Period(2026, month, months, DOG, months * 700)
    assert _dates(schedule) == expected
    assert sum(i.amount_cents for i in schedule.instalments) == schedule.total_cents


@pytest.mark.parametrize("month", range(1, 13))
def test_month_ends_count_the_whole_month(month):
    last = (
        date(2026, month + 1, 1).toordinal() - 1 if month < 12 else date(2026, 12, 31).toordinal()
    )
    end_of_month = date.fromordinal(last)
    first = first_year_schedule(DOG, date(2026, month, 1), date(2026, 1, 1), DUE)
    late = first_year_schedule(DOG, end_of_month, date(2026, 1, 1), DUE)
    assert late.periods == first.periods
    assert late.periods[0].months == 13 - month


# Assessed some time after the intake: only due dates after the assessment day.
LATE_ASSESSMENTS = [
    # intake, assessed on, expected instalments
    (date(2026, 10, 3), date(2026, 10, 20), [("2026-11-15", 2100)]),
    (date(2026, 2, 10), date(2026, 6, 1), [("2026-08-15", 3850), ("2026-11-15", 3850)]),
    (date(2026, 5, 15), date(2026, 5, 15), [("2026-08-15", 2800), ("2026-11-15", 2800)]),
    # December approvals: the rest of this year on next year's first due date, plus
    # next year's whole schedule.
    (
        date(2026, 10, 3),
        date(2026, 12, 5),
        [
            ("2027-02-15", 2100 + 2100),
            ("2027-05-15", 2100),
            ("2027-08-15", 2100),
            ("2027-11-15", 2100),
        ],
    ),
    (
        date(2026, 11, 30),
        date(2026, 12, 31),
        [
            ("2027-02-15", 1400 + 2100),
            ("2027-05-15", 2100),
            ("2027-08-15", 2100),
            ("2027-11-15", 2100),
        ],
    ),
    # An intake next January, approved in December, starts with that year.
    (
        date(2027, 1, 2),
        date(2026, 12, 20),
        [("2027-02-15", 2100), ("2027-05-15", 2100), ("2027-08-15", 2100), ("2027-11-15", 2100)],
    ),
    # An intake years ago counts from January of the assessment year.
    (
        date(2019, 4, 1),
        date(2026, 3, 1),
        [("2026-05-15", 2800), ("2026-08-15", 2800), ("2026-11-15", 2800)],
    ),
]


@pytest.mark.parametrize(("intake", "issued", "expected"), LATE_ASSESSMENTS)
def test_assessed_after_the_intake(intake, issued, expected):
    schedule = first_year_schedule(DOG, intake, issued, DUE)
    assert _dates(schedule) == expected
    assert sum(c for _, c in expected) == schedule.total_cents


def test_december_approval_shows_both_years():
    schedule = first_year_schedule(DOG, date(2026, 10, 1), date(2026, 12, 5), DUE)
    assert [p.to_dict() for p in schedule.periods] == [
        {
            "year": 2026,
            "first_month": 10,
            "last_month": 12,
            "months": 3,
            "annual_cents": 8400,
            "monthly_cents": 700,
            "amount_cents": 2100,
        },
        {
            "year": 2027,
            "first_month": 1,
            "last_month": 12,
            "months": 12,
            "annual_cents": 8400,
            "monthly_cents": 700,
            "amount_cents": 8400,
        },
    ]


@pytest.mark.parametrize(
    ("annual", "months", "cents"),
    [
        (8400, 3, 2100),
        (9600, 5, 4000),
        (40000, 1, 3333),
        (40000, 2, 6667),
        (40000, 12, 40000),
        (1, 6, 1),
    ],
)
def test_months_amount_rounds_half_up(annual, months, cents):
    assert months_amount(annual, months) == cents


def test_split_puts_the_remainder_first():
    days = [date(2026, 5, 15), date(2026, 8, 15), date(2026, 11, 15)]
    assert [i.amount_cents for i in split(10001, days)] == [3335, 3333, 3333]
    assert split(10001, days)[0] == Instalment(date(2026, 5, 15), 3335)


def test_a_schedule_needs_an_amount_and_due_dates():
    with pytest.raises(ValueError):
        first_year_schedule(0, date(2026, 1, 1), date(2026, 1, 1), DUE)
    with pytest.raises(ValueError):
        first_year_schedule(DOG, date(2026, 1, 1), date(2026, 1, 1), [])


YEAR = (Period(2026, 1, 12, DOG, DOG),)


@pytest.mark.parametrize(
    ("ends_on", "owed"),
    [
        (date(2026, 1, 1), 700),
        (date(2026, 1, 31), 700),
        (date(2026, 3, 15), 2100),
        (date(2026, 6, 30), 4200),
        (date(2026, 12, 31), 8400),
        (date(2027, 2, 1), 8400),
        (date(2025, 12, 31), 0),
    ],
)
def test_the_tax_ends_at_the_end_of_the_month(ends_on, owed):
    assert sum(p.amount_cents for p in periods_until(YEAR, ends_on)) == owed


def test_a_lower_rate_after_the_end_of_the_month():
    # Two dogs (2 × 96 €), one leaves in April: 4 months at 192 €, 8 at 84 €.
    periods = periods_until((Period(2026, 1, 12, 19200, 19200),), date(2026, 4, 10), 8400)
    assert [(p.first_month, p.months, p.amount_cents) for p in periods] == [
        (1, 4, 6400),
        (5, 8, 5600),
    ]


END_CASES = [
    # owed, instalments (amount, paid), new amounts, refund
    (2100, [(2100, True), (2100, False), (2100, False), (2100, False)], (2100, 0, 0, 0), 0),
    (3500, [(2100, True), (2100, False), (2100, False), (2100, False)], (2100, 1400, 0, 0), 0),
    (1400, [(2100, True), (2100, True), (2100, False), (2100, False)], (2100, 2100, 0, 0), 2800),
    (8400, [(2100, False)] * 4, (2100, 2100, 2100, 2100), 0),
    (0, [(2100, True), (2100, False)], (2100, 0), 2100),
    (4200, [(2100, False), (2100, True), (2100, False)], (2100, 2100, 0), 0),
]


@pytest.mark.parametrize(("owed", "rows", "amounts", "refund"), END_CASES)
def test_plan_end_reduces_open_and_refunds_paid(owed, rows, amounts, refund):
    plan = plan_end(owed, rows)
    assert plan.amounts == amounts
    assert plan.refund_cents == refund
    # What stays charged, less the refund, is exactly what is owed.
    assert sum(plan.amounts) - refund == owed
