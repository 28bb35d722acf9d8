"""Yearly taxes charged by the month: the first year pro rata from the month the tax
starts, instalments only on due dates still ahead, and the end of the tax at a
month's end.

Pure functions on dates and cents; ``app.payments.tax_notices`` turns their results
into notices. Rounding: a period's amount is ``annual × months / 12`` rounded half up
to the cent (exact for rates divisible by 12, like 84 € and 96 €); an amount split
over several due dates puts the cents that do not divide evenly on the first one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTHS = 12


@dataclass(frozen=True)
class Period:
    """The tax for ``months`` months of ``year`` from ``first_month`` on."""

    year: int
    first_month: int
    months: int
    annual_cents: int
    amount_cents: int

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    @property
    def monthly_cents(self) -> int:
        """The monthly rate as shown on the notice (one twelfth, rounded half up)."""
        return months_amount(self.annual_cents, 1)

    def to_dict(self) -> dict[str, int]:
        return {
            "year": self.year,
            "first_month": self.first_month,
            "last_month": self.last_month,
            "months": self.months,
            "annual_cents": self.annual_cents,
            "monthly_cents": self.monthly_cents,
            "amount_cents": self.amount_cents,
        }

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> Period:
        return cls(
            data["year"],
            data["first_month"],
            data["months"],
            data["annual_cents"],
            data["amount_cents"],
        )


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount_cents: int


@dataclass(frozen=True)
class Schedule:
    """What a notice sets: the periods charged and the instalments that pay them."""

    periods: tuple[Period, ...]
    instalments: tuple[Instalment, ...]

    @property
    def total_cents(self) -> int:
        return sum(period.amount_cents for period in self.periods)


def months_amount(annual_cents: int, months: int) -> int:
    """``annual × months / 12`` in cents, rounded half up (integers only, so exact)."""
    return (annual_cents * months * 2 + MONTHS) // (2 * MONTHS)


def due_dates_in(year: int, due_dates: list[str] | tuple[str, ...]) -> list[date]:
    """The yearly due dates (``MM-DD``) of ``year`` in order."""
    return sorted(date(year, int(day[:2]), int(day[3:5])) for day in due_dates)


def split(amount_cents: int, days: list[date]) -> list[Instalment]:
    """``amount_cents`` over ``days``; the first takes the cents left over (85 € over
    four dates: 21,25 € each; 85,01 €: 21,26 € then three × 21,25 €)."""
    share, rest = divmod(amount_cents, len(days))
    return [Instalment(day, share + (rest if index == 0 else 0)) for index, day in enumerate(days)]


def _add(instalments: list[Instalment], extra: list[Instalment]) -> list[Instalment]:
    # Two amounts on the same due date become one instalment.
    by_day: dict[date, int] = {}
    for item in instalments + extra:
        by_day[item.due_date] = by_day.get(item.due_date, 0) + item.amount_cents
    return [Instalment(day, cents) for day, cents in sorted(by_day.items())]


def first_year_schedule(
    annual_cents: int,
    starts_on: date,
    issued_on: date,
    due_dates: list[str] | tuple[str, ...],
) -> Schedule:
    """The notice for a tax that starts on ``starts_on`` and is assessed on ``issued_on``.

    The tax runs from the first of the start month to the end of the year. Its amount
    falls on the due dates of that year still ahead of ``issued_on``. Where none is left
    (an assessment in December), the rest of the year falls on the first due date of
    the next year, and the next year's full tax is scheduled over its due dates too.
    A start in an earlier year counts from January of the assessment year: earlier
    years are assessed by the treasury on their own.
    """
    if annual_cents <= 0 or not due_dates:
        raise ValueError("a schedule needs a positive yearly amount and due dates")
    start = max(starts_on.replace(day=1), date(issued_on.year, 1, 1))
    months = MONTHS - start.month + 1
    first = Period(
        start.year, start.month, months, annual_cents, months_amount(annual_cents, months)
    )
    ahead = [day for day in due_dates_in(start.year, due_dates) if day > issued_on]
    if ahead:
        return Schedule((first,), tuple(split(first.amount_cents, ahead)))
    following = start.year + 1
    next_year = Period(following, 1, MONTHS, annual_cents, annual_cents)
    next_dates = due_dates_in(following, due_dates)
    instalments = _add(
        [Instalment(next_dates[0], first.amount_cents)], split(annual_cents, next_dates)
    )
    return Schedule((first, next_year), tuple(instalments))


def periods_until(
    periods: list[Period] | tuple[Period, ...], ends_on: date, annual_after_cents: int = 0
) -> tuple[Period, ...]:
    """The periods once the tax ends with the month of ``ends_on`` (or, with
    ``annual_after_cents``, goes on at that lower yearly rate, e.g. one dog fewer)."""
    result = []
    for period in periods:
        if period.year < ends_on.year:
            result.append(period)
            continue
        before = 0 if period.year > ends_on.year else ends_on.month - period.first_month + 1
        before = max(0, min(before, period.months))
        if before:
            result.append(
                Period(
                    period.year,
                    period.first_month,
                    before,
                    period.annual_cents,
                    months_amount(period.annual_cents, before),
                )
            )
        after = period.months - before
        if after and annual_after_cents > 0:
            result.append(
                Period(
                    period.year,
                    period.first_month + before,
                    after,
                    annual_after_cents,
                    months_amount(annual_after_cents, after),
                )
            )
    return tuple(result)


@dataclass(frozen=True)
class EndPlan:
    """What an end of the tax does to a notice's instalments.

    ``amounts``: the new amount of each instalment in order (paid ones keep theirs;
    0 means cancelled); ``refund_cents``: paid for months after the end.
    """

    amounts: tuple[int, ...]
    refund_cents: int


def plan_end(owed_cents: int, instalments: list[tuple[int, bool]]) -> EndPlan:
    """Bring the instalments (amount, paid?) in due order down to ``owed_cents``.

    What is paid stays paid; open instalments are kept in due order as far as still
    owed and reduced or cancelled after that; paid beyond what is owed is refunded.
    """
    paid = sum(amount for amount, is_paid in instalments if is_paid)
    still_owed = max(owed_cents - paid, 0)
    amounts = []
    for amount, is_paid in instalments:
        if is_paid:
            amounts.append(amount)
            continue
        kept = min(amount, still_owed)
        still_owed -= kept
        amounts.append(kept)
    return EndPlan(tuple(amounts), max(paid - owed_cents, 0))
