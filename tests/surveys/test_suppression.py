"""Primary and secondary suppression: an attacker who sees every shown figure (counts,
totals, all-services rows) and knows how they add up cannot work out a hidden one."""

from __future__ import annotations

import random
from typing import Any

import pytest

from app.db import db
from app.models import SurveyResponse
from app.surveys import MIN_CASES, city_today
from app.surveys.results import Table
from tests.surveys.support import publish

BOUND = 100


def _propagate(
    shown: list[int | None], lines: list[tuple[list[int], int]], values: dict[int, int]
) -> dict[int, int] | None:
    """``values`` completed by every line with one unknown entry left; ``None`` if a
    line cannot add up."""
    values = dict(values)
    changed = True
    while changed:
        changed = False
        for cells, margin in lines:
            known = {i: values.get(i, shown[i]) for i in [*cells, margin]}
            unknown = [i for i, value in known.items() if value is None]
            if known[margin] is not None:
                # Every unknown cell is at least 1.
                least = sum(1 if known[i] is None else known[i] for i in cells)
                if least > known[margin]:
                    return None
            if len(unknown) > 1:
                continue
            cell_sum = sum(known[i] or 0 for i in cells)
            if not unknown:
                if cell_sum != known[margin]:
                    return None
                continue
            (missing,) = unknown
            value = cell_sum if missing == margin else known[margin] - cell_sum
            if not 1 <= value <= BOUND:
                return None
            values[missing] = value
            changed = True
    return values


def _solve(
    shown: list[int | None],
    lines: list[tuple[list[int], int]],
    values: dict[int, int],
    avoid: tuple[int, int] | None = None,
) -> dict[int, int] | None:
    """One complete table that fits what is shown (and, with ``avoid`` = (entry,
    value), gives that entry another value)."""
    values = _propagate(shown, lines, values)
    if values is None:
        return None
    if avoid is not None and values.get(avoid[0]) == avoid[1]:
        return None
    open_entries = [i for i, value in enumerate(shown) if value is None and i not in values]
    if not open_entries:
        return values
    head = open_entries[0]
    if avoid is not None and avoid[0] in open_entries:
        head = avoid[0]
    for value in range(1, BOUND + 1):
        if avoid is not None and head == avoid[0] and value == avoid[1]:
            continue
        found = _solve(shown, lines, {**values, head: value}, avoid)
        if found is not None:
            return found
    return None


def possible_values(
    shown: list[int | None], lines: list[tuple[list[int], int]]
) -> dict[int, set[int]]:
    """For each hidden entry, up to two values it can take in some table that fits
    what is shown: hidden entries are 1..BOUND (a hidden count is never 0) and every
    line adds up."""
    first = _solve(shown, lines, {})
    assert first is not None, "what is shown must fit some table"
    seen: dict[int, set[int]] = {}
    for index, value in first.items():
        other = _solve(shown, lines, {}, avoid=(index, value))
        seen[index] = {value} | ({other[index]} if other is not None else set())
    return seen


def assert_not_reconstructable(shown: list[int | None], lines: list[tuple[list[int], int]]):
    for index, values in possible_values(shown, lines).items():
        assert len(values) >= 2, f"hidden entry {index} can only be {values}"


def distribution(counts: list[int]) -> tuple[Table, list[tuple[list[int], int]]]:
    table = Table()
    cells = [table.add(count) for count in counts]
    total = table.add(sum(counts))
    table.line(cells, total)
    table.suppress()
    return table, table.lines


def shown_values(table: Table) -> list[int | None]:
    return [table.value(i) for i in range(len(table.values))]


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([6, 1], [0, 1]),  # the one small cell and the other one
        ([0, 0, 3, 6, 0], [2, 3]),  # the next smallest shown cell, not a 0
        ([0, 0, 3, 0, 0], [2, 5]),  # no other cell: the total
        ([1, 1, 10, 7], [0, 1, 3]),  # 1 + 1 can only be split one way
        ([1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5]),  # five 1s: the total goes
        ([2, 3, 9, 8], [0, 1]),  # two small cells worth 5: enough
        ([5, 0, 7], []),
    ],
)
def test_secondary_suppression_of_one_distribution(counts, hidden):
    table, lines = distribution(counts)
    assert sorted(table.hidden) == hidden
    assert_not_reconstructable(shown_values(table), lines)


def build_grid(grid: list[list[int]]) -> Table:
    """Services × ratings with row totals, the all-services row and the grand total,
    linked as the satisfaction results link them."""
    table = Table()
    rows = [[table.add(v) for v in row] for row in grid]
    totals = [table.add(sum(row)) for row in grid]
    for row, total in zip(rows, totals, strict=True):
        table.line(row, total)
    columns = [table.add(sum(row[n] for row in grid)) for n in range(len(grid[0]))]
    grand = table.add(sum(map(sum, grid)))
    for n, column in enumerate(columns):
        table.line([row[n] for row in rows], column)
    table.line(columns, grand)
    table.line(totals, grand)
    table.suppress()
    return table


def test_random_grids_keep_every_hidden_cell_hidden():
    chance = random.Random(15)
    for _ in range(40):
        grid = [[chance.choice([0, 0, 1, 2, 3, 5, 6, 9]) for _ in range(3)] for _ in range(3)]
        table = build_grid(grid)
        for cells, margin in table.lines:
            hidden = [i for i in [*cells, margin] if i in table.hidden]
            assert len(hidden) != 1, grid
        assert_not_reconstructable(shown_values(table), table.lines)


# --- Through the API -------------------------------------------------------------------


def add(grades: list[str], visits: list[bool]) -> None:
    with db.connection_context():
        for grade, visit in zip(grades, visits, strict=True):
            SurveyResponse.create(
                service_id="park_survey",
                version=1,
                day=city_today(),
                answers={"grade": grade, "visits": visit},
            )


def survey_lines(body: dict[str, Any]) -> tuple[list[int | None], list[tuple[list[int], int]]]:
    """What the results show, as entries and sums: per question, the options and the
    unanswered (total minus answered, when both are shown) add up to the total."""
    shown: list[int | None] = [body["answers"]]
    lines = []
    for question in body["questions"]:
        cells = []
        for option in question["options"]:
            shown.append(option["count"])
            cells.append(len(shown) - 1)
        answered = question["answered"]["count"]
        shown.append(
            None if answered is None or body["answers"] is None else body["answers"] - answered
        )
        cells.append(len(shown) - 1)
        lines.append((cells, 0))
    return shown, lines


def test_a_hidden_survey_count_cannot_be_worked_out_from_everything_shown(signed_in):
    admin = signed_in("admin@example.org", "admin")
    publish()
    add(["good"] * 8 + ["bad"] * 2, [True] * 9 + [False])
    path = "/api/statistics/surveys/park_survey/results"
    body = admin.get(f"{path}?group=year&period={city_today().year}").get_json()
    grade, visits = body["questions"]
    assert body["answers"] == 10
    assert [o["count"] for o in grade["options"]] == [None, None]
    assert [o["count"] for o in visits["options"]] == [None, None]
    shown, lines = survey_lines(body)
    assert_not_reconstructable(shown, lines)
    # The CSV shows nothing more than the results.
    csv = admin.get(f"{path}.csv?group=year&period={city_today().year}").get_data(as_text=True)
    counts = [line.rsplit(";", 1)[1] for line in csv.strip().splitlines()[1:]]
    assert counts == ["10", "", "", "", ""]
    assert MIN_CASES == 5


def test_hidden_counts_that_could_only_be_ones_are_protected():
    # Without the check on reduced sums, rows, columns and totals add up to "two hidden
    # counts make 2", so both would be known to be 1.
    table = build_grid([[0, 1, 0, 3, 0], [6, 6, 12, 9, 3], [0, 0, 0, 5, 1]])
    assert_not_reconstructable(shown_values(table), table.lines)
