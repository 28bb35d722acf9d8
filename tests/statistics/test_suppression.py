"""No hidden count can be worked out from what is shown: an attacker asks for every
range of whole months, every grouping, one service and all services, and the open-data
export, writes every shown number down as an equation over the true month counts, and
still cannot solve for a hidden one (nor for a hidden month's total)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest

from app.db import db
from app.statistics import aggregation, figures
from tests.statistics.helpers import application, citizen

MONTHS = ("2026-01", "2026-02", "2026-03")
LEVELS = ("email", "passkey", "eid")
SERVICES = ("waste_bins", "dog_tax_registration")
# The true counts: (service, month) → submissions by trust level.
SEED = {
    ("waste_bins", "2026-01"): {"email": 10},
    ("waste_bins", "2026-02"): {"email": 3, "eid": 1},  # four in all: hidden
    ("waste_bins", "2026-03"): {"email": 8, "passkey": 2},  # two by passkey: hidden
    ("dog_tax_registration", "2026-02"): {"email": 12},
}
VARIABLES = [(s, m, level) for s in SERVICES for m in MONTHS for level in LEVELS]


def _seed() -> None:
    user = citizen("many@example.org")
    for (service, month), levels in SEED.items():
        moment = datetime.fromisoformat(f"{month}-10T09:00:00")
        for level, count in levels.items():
            for number in range(count):
                created = moment + timedelta(minutes=number)
                application(
                    user,
                    created,
                    service_id=service,
                    submitted=created + timedelta(hours=1),
                    via=level,
                )


def _ranges() -> list[tuple[date, date, list[str]]]:
    ends = {
        "2026-01": date(2026, 1, 31),
        "2026-02": date(2026, 2, 28),
        "2026-03": date(2026, 3, 31),
    }
    found = []
    for first in range(3):
        for last in range(first, 3):
            start = date(2026, first + 1, 1)
            found.append((start, ends[MONTHS[last]], list(MONTHS[first : last + 1])))
    return found


def _equation(services, months, levels, value) -> tuple[list[Fraction], Fraction]:
    row = [
        Fraction(1 if (s in services and m in months and level in levels) else 0)
        for s, m, level in VARIABLES
    ]
    return row, Fraction(value)


def _everything_shown() -> list[tuple[list[Fraction], Fraction]]:
    equations = []
    for service in (*SERVICES, None):
        scope = [service] if service else list(SERVICES)
        for start, end, months in _ranges():
            for group in ("month", "quarter", "year"):
                result = figures.figures(service, start, end, group)
                for period in result["quote"]["periods"]:
                    # All three months lie in 2026-Q1: a quarter or the year is the range.
                    inside = [period["period"]] if group == "month" else months
                    if period["online"] is not None:
                        equations.append(_equation(scope, inside, LEVELS, period["online"]))
                total = result["quote"]["total"]["online"]
                if total is not None:
                    equations.append(_equation(scope, months, LEVELS, total))
                if result["funnel"]["submitted"] is not None:
                    equations.append(
                        _equation(scope, months, LEVELS, result["funnel"]["submitted"])
                    )
                for item in result["channels"]["trust_levels"]:
                    if item["count"] is not None:
                        equations.append(_equation(scope, months, [item["level"]], item["count"]))
    for row in figures.export_rows(date(2026, 1, 1), date(2026, 3, 31)):
        if row["submitted"] is not None:
            equations.append(
                _equation([row["service_id"]], [row["month"]], LEVELS, row["submitted"])
            )
    return equations


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [list(row) for row in rows]
    rank, columns = 0, len(VARIABLES)
    for column in range(columns):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column] != 0:
                factor = matrix[i][column] / matrix[rank][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def _derivable(equations, target: list[Fraction]) -> bool:
    """Whether ``target`` (a sum of true counts) is a combination of shown equations."""
    rows = [row for row, _value in equations]
    return _rank([*rows, target]) == _rank(rows)


@pytest.fixture
def shown(app):
    with db.connection_context():
        _seed()
        aggregation.run()
        yield _everything_shown()


def test_the_attack_sees_a_lot(shown):
    # Guards the test: the figures are not simply all hidden.
    january = _equation(["waste_bins"], ["2026-01"], LEVELS, 0)[0]
    dogs = _equation(["dog_tax_registration"], ["2026-02"], ["email"], 0)[0]
    assert _derivable(shown, january) and _derivable(shown, dogs)
    assert len(shown) > 50


@pytest.mark.parametrize(
    ("services", "months", "levels"),
    [
        (["waste_bins"], ["2026-02"], LEVELS),  # a hidden month's total (4)
        (["waste_bins"], ["2026-02"], ["eid"]),  # one eID sign-in
        (["waste_bins"], ["2026-02"], ["email"]),
        (["waste_bins"], ["2026-03"], ["passkey"]),  # two by passkey
        (["waste_bins"], ["2026-03"], ["email"]),  # with them, secondarily
    ],
)
def test_no_hidden_count_can_be_worked_out(shown, services, months, levels):
    target = _equation(services, months, levels, 0)[0]
    assert not _derivable(shown, target)


def test_every_equation_is_true(shown):
    truth = [SEED.get((s, m), {}).get(level, 0) for s, m, level in VARIABLES]
    for row, value in shown:
        assert sum(a * b for a, b in zip(row, truth, strict=True)) == value
