"""The order of a facility's line and the age group on the start date (table-driven)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.kita import answers, ranking


def _candidate(ref: str, choice: int, submitted: str) -> ranking.Candidate:
    return ranking.Candidate(
        application=None,  # type: ignore[arg-type]  (the order does not read it)
        choice=choice,
        age_group="over_3",
        hours=35,
        submitted_at=datetime.fromisoformat(submitted),
        reference=ref,
    )


# (candidates as (reference, choice, submitted at), expected order of references)
ORDER_CASES = [
    # A first choice comes before a second choice, however early the second came.
    ([("B", 2, "2026-01-01T08:00"), ("A", 1, "2026-02-01T08:00")], ["A", "B"]),
    # Same choice: the earlier submission first.
    ([("B", 1, "2026-01-02T08:00"), ("A", 1, "2026-01-01T08:00")], ["A", "B"]),
    # Same choice and time: the reference decides (stable, not random).
    ([("K2", 1, "2026-01-01T08:00"), ("K1", 1, "2026-01-01T08:00")], ["K1", "K2"]),
    # Three ranks mixed.
    (
        [
            ("C", 3, "2026-01-01T08:00"),
            ("B", 2, "2026-01-01T09:00"),
            ("A", 1, "2026-01-03T08:00"),
            ("D", 1, "2026-01-02T08:00"),
        ],
        ["D", "A", "B", "C"],
    ),
]


@pytest.mark.parametrize(("given", "expected"), ORDER_CASES)
def test_line_order(given, expected):
    line = sorted((_candidate(*row) for row in given), key=ranking.rank_key)
    assert [c.reference for c in line] == expected


@pytest.mark.parametrize(
    ("birth", "start", "group"),
    [
        (date(2024, 5, 1), date(2026, 8, 1), "under_3"),
        (date(2023, 8, 1), date(2026, 8, 1), "over_3"),  # third birthday on the start day
        (date(2023, 8, 2), date(2026, 8, 1), "under_3"),  # one day short
        (date(2020, 2, 29), date(2023, 2, 28), "under_3"),  # leap-day child: 1 March counts
        (date(2020, 2, 29), date(2023, 3, 1), "over_3"),
    ],
)
def test_age_group_on_the_start_date(birth, start, group):
    assert answers.age_group(birth, start) == group


def test_read_drops_repeats_and_keeps_the_order():
    ids = {role: role for role in answers.ROLES}
    request = answers.read(
        {"first_choice": "7", "second_choice": "7", "third_choice": "3", "weekly_hours": "35"},
        ids,
    )
    assert request.choices == (7, 3) and request.weekly_hours == 35
