"""Results of the satisfaction question and of city surveys: counts, averages,
distributions, free texts and CSV files.

Privacy threshold: nothing is counted out from fewer than ``MIN_CASES`` answers. A
count below it (but above zero) is ``None`` with ``suppressed: True``, and so is every
count from which a hidden one could be worked out (``Table``); averages only without a
hidden rating; free texts only when the whole selection has at least ``MIN_CASES``
answers. CSV files hold counts and free texts only, never an account, device,
application, day or a single answer's row.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Hashable
from datetime import date
from fractions import Fraction
from typing import Any

from peewee import fn

from app.applications import definitions
from app.errors import DomainError
from app.models import SatisfactionAnswer, ServiceDefinitionRecord, SurveyResponse
from app.service_definitions import ServiceDefinition
from app.service_definitions.model import FieldInfo
from app.surveys import MIN_CASES, is_open
from app.surveys.satisfaction import RATINGS

CHOICE_TYPES = ("radio", "select", "checkbox")
TEXT_TYPES = ("text", "textarea")
MAX_TEXTS = 500
# How many shown counts secondary suppression tries before it simply hides the smallest.
TRIALS = 8


def small(count: int) -> bool:
    """Whether a count may not be shown: above zero, below the threshold."""
    return 0 < count < MIN_CASES


def _between(column: Any, start: date | None, end: date | None) -> Any:
    condition = True
    if start is not None:
        condition = condition & (column >= start)
    if end is not None:
        condition = condition & (column <= end)
    return condition


# --- Suppression ------------------------------------------------------------------------


class Table:
    """Counts linked by sums, for primary and secondary suppression.

    Each *line* is a set of cells and the shown margin they add up to (a distribution
    and its total; a column of services and the all-services count). A count below the
    threshold is hidden (primary); then, until nothing changes, a line whose hidden
    entries could still be worked out from what it shows gets its smallest shown
    positive entry hidden too (secondary): exactly one hidden entry in a line, or
    hidden cells whose sum (margin minus shown cells) is below the threshold or so small
    that every hidden cell must be 1.
    """

    def __init__(self) -> None:
        self.values: list[int] = []
        self.lines: list[tuple[list[int], int]] = []
        self.hidden: set[int] = set()

    def add(self, value: int) -> int:
        """A new entry; returns its index."""
        self.values.append(value)
        return len(self.values) - 1

    def line(self, cells: list[int], margin: int) -> None:
        """``cells`` add up to ``margin``."""
        self.lines.append((cells, margin))

    def suppress(self) -> None:
        """Hide the small counts and whatever would give them away: first line by line,
        then until no hidden entry follows from the shown ones by adding and
        subtracting lines (e.g. a service's row, the all-services row and a column)."""
        self.hidden = {i for i, value in enumerate(self.values) if small(value)}
        while True:
            self._by_lines()
            determined = self._determined()
            if determined is None:
                return
            # The smallest shown count whose hiding leaves that entry open (first
            # among the lines it is in).
            near = {
                i
                for line in self.lines
                if determined in (*line[0], line[1])
                for i in (*line[0], line[1])
            }
            candidates = sorted(
                (i not in near, self.values[i], i)
                for i in range(len(self.values))
                if i not in self.hidden and self.values[i] > 0
            )
            if not candidates:
                return
            chosen = candidates[0][2]
            # A few trials suffice in practice; otherwise the loop hides one more and
            # checks again, so it always ends.
            for _far, _value, i in candidates[:TRIALS]:
                self.hidden.add(i)
                still = self._determined() == determined
                self.hidden.discard(i)
                if not still:
                    chosen = i
                    break
            self.hidden.add(chosen)

    def _by_lines(self) -> None:
        changed = True
        while changed:
            changed = False
            for cells, margin in self.lines:
                if self._exposed(cells, margin):
                    candidates = [
                        (self.values[i], position, i)
                        for position, i in enumerate([*cells, margin])
                        if i not in self.hidden and self.values[i] > 0
                    ]
                    if candidates:
                        self.hidden.add(min(candidates)[2])
                        changed = True

    def _determined(self) -> int | None:
        """A hidden entry whose value follows from the lines and the shown entries, or
        ``None``: its unit vector lies in the row space of the lines over the hidden
        entries, or a reduced line of positive terms adds up to its least possible
        value (every hidden count is at least 1, so each of them must be 1)."""
        order = sorted(self.hidden)
        column = {entry: n for n, entry in enumerate(order)}
        width = len(order)
        rows: list[list[Fraction]] = []
        for cells, margin in self.lines:
            # Hidden cells minus a hidden margin = shown margin minus shown cells.
            row = [Fraction(0)] * (width + 1)
            for i in cells:
                if i in column:
                    row[column[i]] += 1
                else:
                    row[width] -= self.values[i]
            if margin in column:
                row[column[margin]] -= 1
            else:
                row[width] += self.values[margin]
            if any(row[:width]):
                rows.append(row)
        pivots: list[tuple[int, list[Fraction]]] = []
        for row in rows:
            for pivot, basis in pivots:
                if row[pivot]:
                    factor = row[pivot]
                    row = [a - factor * b for a, b in zip(row, basis, strict=True)]
            lead = next((n for n, value in enumerate(row[:width]) if value), None)
            if lead is None:
                continue
            row = [value / row[lead] for value in row]
            pivots = [
                (pivot, [a - basis[lead] * b for a, b in zip(basis, row, strict=True)])
                for pivot, basis in pivots
            ]
            pivots.append((lead, row))
        for pivot, basis in pivots:
            terms = [value for value in basis[:width] if value]
            if len(terms) == 1:
                return order[pivot]
            for sign in (1, -1):
                if (
                    all(sign * value > 0 for value in terms)
                    and sign * sum(terms) == sign * basis[width]
                ):
                    return order[pivot]
        return None

    def _exposed(self, cells: list[int], margin: int) -> bool:
        hidden = [i for i in [*cells, margin] if i in self.hidden]
        if not hidden:
            return False
        if len(hidden) == 1:
            return True
        if margin in self.hidden:
            return False
        hidden_cells = [i for i in cells if i in self.hidden]
        rest = sum(self.values[i] for i in hidden_cells)
        return rest < MIN_CASES or rest <= len(hidden_cells)

    def shown(self, index: int) -> dict[str, Any]:
        """``{count, suppressed}`` of one entry after ``suppress``."""
        hidden = index in self.hidden
        return {"count": None if hidden else self.values[index], "suppressed": hidden}

    def value(self, index: int) -> int | None:
        """The count of one entry, ``None`` when hidden."""
        return None if index in self.hidden else self.values[index]


# --- Satisfaction --------------------------------------------------------------------


def _satisfaction_table(
    start: date | None, end: date | None
) -> tuple[Table, dict[str, list[int]], dict[str, int], list[int], int]:
    """Every service's counts per rating in the period, suppressed together: one
    service's row, the all-services row and the CSV show the same hidden cells, so no
    view can be subtracted from another."""
    counts: dict[str, dict[int, int]] = {}
    for service_id, rating, count in (
        SatisfactionAnswer.select(
            SatisfactionAnswer.service_id,
            SatisfactionAnswer.rating,
            fn.COUNT(SatisfactionAnswer.id),
        )
        .where(_between(SatisfactionAnswer.day, start, end))
        .group_by(SatisfactionAnswer.service_id, SatisfactionAnswer.rating)
        .tuples()
    ):
        counts.setdefault(service_id, {})[rating] = count
    table = Table()
    rows: dict[str, list[int]] = {}
    row_totals: dict[str, int] = {}
    for service_id in sorted(counts):
        rows[service_id] = [table.add(counts[service_id].get(r, 0)) for r in RATINGS]
        row_totals[service_id] = table.add(sum(counts[service_id].values()))
        table.line(rows[service_id], row_totals[service_id])
    columns = [table.add(sum(found.get(r, 0) for found in counts.values())) for r in RATINGS]
    grand = table.add(sum(sum(found.values()) for found in counts.values()))
    for position, column in enumerate(columns):
        table.line([row[position] for row in rows.values()], column)
    table.line(columns, grand)
    table.line(list(row_totals.values()), grand)
    table.suppress()
    return table, rows, row_totals, columns, grand


def satisfaction(
    service_id: str | None, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """The satisfaction answers of one service (``None``: all) in a period.

    Counts are suppressed together with every other service's (see ``Table``); the
    average only when no rating count is hidden; comments (month and text, never the
    rating) only from ``MIN_CASES`` answers.
    """
    table, rows, row_totals, columns, grand = _satisfaction_table(start, end)
    return _satisfaction_view(table, rows, row_totals, columns, grand, service_id, start, end)


def _satisfaction_view(
    table: Table,
    rows: dict[str, list[int]],
    row_totals: dict[str, int],
    columns: list[int],
    grand: int,
    service_id: str | None,
    start: date | None,
    end: date | None,
) -> dict[str, Any]:
    if service_id is None:
        cells, total_index = columns, grand
    elif service_id in rows:
        cells, total_index = rows[service_id], row_totals[service_id]
    else:
        cells, total_index = [], None
    values = [table.values[i] for i in cells] or [0] * len(RATINGS)
    total = table.values[total_index] if total_index is not None else 0
    hidden = total_index is not None and total_index in table.hidden
    complete = total >= MIN_CASES and not hidden and not any(i in table.hidden for i in cells)
    comments: list[dict[str, Any]] = []
    if total >= MIN_CASES and not hidden:
        where = _between(SatisfactionAnswer.day, start, end) & (SatisfactionAnswer.comment != "")
        if service_id:
            where = where & (SatisfactionAnswer.service_id == service_id)
        comments = [
            {"month": day.strftime("%Y-%m"), "text": text}
            for day, text in SatisfactionAnswer.select(
                SatisfactionAnswer.day, SatisfactionAnswer.comment
            )
            .where(where)
            .order_by(SatisfactionAnswer.day.desc(), SatisfactionAnswer.id.desc())
            .limit(MAX_TEXTS)
            .tuples()
        ]
    average = (
        round(sum(r * count for r, count in zip(RATINGS, values, strict=True)) / total, 2)
        if complete
        else None
    )
    distribution = [
        {
            "rating": rating,
            **(table.shown(cells[n]) if cells else {"count": 0, "suppressed": False}),
        }
        for n, rating in enumerate(RATINGS)
    ]
    return {
        "service_id": service_id,
        "from": start,
        "to": end,
        "min_cases": MIN_CASES,
        "answers": None if hidden else total,
        "average": average,
        "distribution": distribution,
        "comments": comments,
        "suppressed": hidden,
    }


def satisfaction_csv(start: date | None = None, end: date | None = None) -> str:
    """One row per service: answers, average and the count per rating (suppressed cells
    empty, the same cells as in every other view of the period)."""
    table, rows, row_totals, columns, grand = _satisfaction_table(start, end)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["service_id", "answers", "average", *(f"rating_{r}" for r in RATINGS)])
    for service_id in rows:
        found = _satisfaction_view(table, rows, row_totals, columns, grand, service_id, start, end)
        writer.writerow(
            [
                service_id,
                _cell(found["answers"]),
                _cell(found["average"]),
                *(_cell(item["count"]) for item in found["distribution"]),
            ]
        )
    return out.getvalue()


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


# --- City surveys ---------------------------------------------------------------------


def _questions(definition: ServiceDefinition) -> list[FieldInfo]:
    # Top-level fields only: a survey's repeat groups are listed in the CSV, not counted.
    return [info for info in definition.fields.values() if info.parent is None]


def _options(field: dict[str, Any]) -> list[tuple[Any, dict[str, str]]]:
    if field["type"] == "checkbox":
        return [(True, {"de": "Ja", "en": "Yes"}), (False, {"de": "Nein", "en": "No"})]
    return [(option["value"], option["label"]) for option in field.get("options") or []]


def reported(service_id: str) -> tuple[ServiceDefinitionRecord, ServiceDefinition]:
    """The version whose questions the results show: the newest published or retired
    (once published) version of survey ``service_id``; otherwise ``survey_not_found``."""
    record = (
        ServiceDefinitionRecord.select()
        .where(
            (ServiceDefinitionRecord.service_id == service_id)
            & (
                (ServiceDefinitionRecord.state == "published")
                | (
                    (ServiceDefinitionRecord.state == "retired")
                    & ServiceDefinitionRecord.published_at.is_null(False)
                )
            )
        )
        .order_by(ServiceDefinitionRecord.version.desc())
        .first()
    )
    if record is None or not definitions.is_survey(record):
        raise DomainError("survey_not_found", kind="not_found")
    return record, definitions.definition_of(record)


def survey_rows(today: date | None = None) -> list[dict[str, Any]]:
    """Every survey (any state) with its newest version's state, whether it is open,
    the version its results show (newest published or retired one) and its number of
    answers (under the threshold rule)."""
    newest: dict[str, ServiceDefinitionRecord] = {}
    live: dict[str, ServiceDefinitionRecord] = {}
    shown_version: dict[str, int] = {}
    for record in ServiceDefinitionRecord.select().order_by(
        ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version
    ):
        if not definitions.is_survey(record):
            continue
        newest[record.service_id] = record
        if record.state == "published":
            live[record.service_id] = record
        if record.state == "published" or (
            record.state == "retired" and record.published_at is not None
        ):
            shown_version[record.service_id] = record.version
    counts = dict(
        SurveyResponse.select(SurveyResponse.service_id, fn.COUNT(SurveyResponse.id))
        .where(SurveyResponse.service_id.in_(list(newest) or [""]))
        .group_by(SurveyResponse.service_id)
        .tuples()
    )
    rows = []
    for service_id, record in newest.items():
        published_record = live.get(service_id)
        count = counts.get(service_id, 0)
        rows.append(
            {
                "service_id": service_id,
                "title": record.data["title"],
                "state": record.state,
                "published_version": published_record.version if published_record else None,
                "results_version": shown_version.get(service_id),
                "open": bool(
                    published_record and is_open(definitions.definition_of(published_record), today)
                ),
                **{"answers": None if small(count) else count, "suppressed": small(count)},
            }
        )
    return rows


def _choice_values(field: dict[str, Any]) -> list[Any]:
    return [value for value, _label in _options(field)]


def _survey_counts(
    service_id: str, start: date | None, end: date | None
) -> tuple[ServiceDefinition, Table, int, list[dict[str, Any]], list[dict[str, Any]]]:
    """The suppressed counts per question and option of the reported version: each
    question's options and its "no answer" add up to the number of answers. Values that
    are no option of the reported version (a question whose type or options changed)
    count as no answer."""
    _record, definition = reported(service_id)
    rows = [
        answers
        for (answers,) in SurveyResponse.select(SurveyResponse.answers)
        .where((SurveyResponse.service_id == service_id) & _between(SurveyResponse.day, start, end))
        .order_by(SurveyResponse.id)
        .tuples()
    ]
    table = Table()
    total = table.add(len(rows))
    questions: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    for info in _questions(definition):
        field = info.field
        if field["type"] in CHOICE_TYPES:
            valid = _choice_values(field)
            # Compared by kind too: True is not the option value 1.
            counts = Counter(
                (type(value), value)
                for value in (row.get(field["id"]) for row in rows)
                if isinstance(value, Hashable)
                and any(type(value) is type(option) and value == option for option in valid)
            )
            cells = [table.add(counts.get((type(value), value), 0)) for value in valid]
            unanswered = table.add(len(rows) - sum(counts.values()))
            table.line([*cells, unanswered], total)
            questions.append({"field": field, "cells": cells, "unanswered": unanswered})
        elif field["type"] in TEXT_TYPES:
            values = [row.get(field["id"]) for row in rows]
            texts.append(
                {"field": field, "answers": [v for v in values if isinstance(v, str) and v]}
            )
    table.suppress()
    return definition, table, total, questions, texts


def survey_results(
    service_id: str, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """Per question of the reported version: the distribution of a choice question's
    answers (primary and secondary suppression) and a text question's answers (from
    ``MIN_CASES`` answers, without day)."""
    definition, table, total, questions, texts = _survey_counts(service_id, start, end)
    enough = table.value(total) is not None and table.values[total] >= MIN_CASES
    return {
        "service_id": service_id,
        "title": definition.data["title"],
        "from": start,
        "to": end,
        "min_cases": MIN_CASES,
        "answers": table.value(total),
        "suppressed": total in table.hidden,
        "questions": [
            {
                "field_id": item["field"]["id"],
                "type": item["field"]["type"],
                "label": item["field"]["label"],
                "answered": _answered(table, total, item["unanswered"]),
                "options": [
                    {"value": str(value).lower(), "label": label, **table.shown(cell)}
                    for (value, label), cell in zip(
                        _options(item["field"]), item["cells"], strict=True
                    )
                ],
            }
            for item in questions
        ],
        "texts": [
            {
                "field_id": item["field"]["id"],
                "label": item["field"]["label"],
                "answers": item["answers"][-MAX_TEXTS:] if enough else [],
            }
            for item in texts
        ],
    }


def _answered(table: Table, total: int, unanswered: int) -> dict[str, Any]:
    # Answers minus "no answer": shown only when both are, else the one hidden count
    # would follow from it.
    hidden = total in table.hidden or unanswered in table.hidden
    count = table.values[total] - table.values[unanswered]
    return {"count": None if hidden else count, "suppressed": hidden}


def survey_csv(service_id: str, start: date | None = None, end: date | None = None) -> str:
    """The results as CSV: the number of answers, one row per question and option
    (suppressed counts empty, as in ``survey_results``) and the free texts (from
    ``MIN_CASES`` answers; no day, no account, no single answer's other values)."""
    found = survey_results(service_id, start, end)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["kind", "field_id", "question", "value", "answer", "count"])
    writer.writerow(["answers", "", "", "", "", _cell(found["answers"])])
    for question in found["questions"]:
        for option in question["options"]:
            writer.writerow(
                [
                    "option",
                    question["field_id"],
                    question["label"]["de"],
                    option["value"],
                    option["label"]["de"],
                    _cell(option["count"]),
                ]
            )
    for text in found["texts"]:
        for value in text["answers"]:
            writer.writerow(["text", text["field_id"], text["label"]["de"], "", value, ""])
    return out.getvalue()
