"""Results of the satisfaction question and of city surveys: counts, averages,
distributions, free texts and CSV files.

Privacy threshold: nothing is counted out from fewer than ``MIN_CASES`` answers. A
count below it (but above zero) is ``None`` with ``suppressed: True``; averages and
free texts are given only when the whole selection has at least ``MIN_CASES`` answers.
CSV files hold answers only, never an account, device or application.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from typing import Any

from peewee import fn

from app.applications import definitions
from app.models import SatisfactionAnswer, ServiceDefinitionRecord, SurveyResponse
from app.service_definitions import ServiceDefinition
from app.service_definitions.model import FieldInfo
from app.surveys import MIN_CASES, is_open, published
from app.surveys.satisfaction import RATINGS

CHOICE_TYPES = ("radio", "select", "checkbox")
TEXT_TYPES = ("text", "textarea")
MAX_TEXTS = 500


def small(count: int) -> bool:
    """Whether a count may not be shown: above zero, below the threshold."""
    return 0 < count < MIN_CASES


def shown(count: int) -> dict[str, Any]:
    """``{count, suppressed}`` for one count under the threshold rule."""
    return {"count": None if small(count) else count, "suppressed": small(count)}


def _between(column: Any, start: date | None, end: date | None) -> Any:
    condition = True
    if start is not None:
        condition = condition & (column >= start)
    if end is not None:
        condition = condition & (column <= end)
    return condition


# --- Satisfaction --------------------------------------------------------------------


def satisfaction(
    service_id: str | None, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """The satisfaction answers of one service (``None``: all) in a day range."""
    where = _between(SatisfactionAnswer.day, start, end)
    if service_id:
        where = where & (SatisfactionAnswer.service_id == service_id)
    counts = dict(
        SatisfactionAnswer.select(SatisfactionAnswer.rating, fn.COUNT(SatisfactionAnswer.id))
        .where(where)
        .group_by(SatisfactionAnswer.rating)
        .tuples()
    )
    total = sum(counts.values())
    hidden = small(total)
    comments: list[dict[str, Any]] = []
    if total >= MIN_CASES:
        comments = [
            {"day": day, "rating": rating, "text": text}
            for day, rating, text in SatisfactionAnswer.select(
                SatisfactionAnswer.day, SatisfactionAnswer.rating, SatisfactionAnswer.comment
            )
            .where(where & (SatisfactionAnswer.comment != ""))
            .order_by(SatisfactionAnswer.day.desc(), SatisfactionAnswer.id.desc())
            .limit(MAX_TEXTS)
            .tuples()
        ]
    average = (
        round(sum(rating * count for rating, count in counts.items()) / total, 2)
        if total >= MIN_CASES
        else None
    )
    return {
        "service_id": service_id,
        "from": start,
        "to": end,
        "min_cases": MIN_CASES,
        "answers": None if hidden else total,
        "average": average,
        "distribution": [{"rating": rating, **shown(counts.get(rating, 0))} for rating in RATINGS],
        "comments": comments,
        "suppressed": hidden,
    }


def satisfaction_csv(start: date | None = None, end: date | None = None) -> str:
    """One row per service: answers, average and the count per rating (suppressed cells
    empty)."""
    rows = (
        SatisfactionAnswer.select(SatisfactionAnswer.service_id)
        .where(_between(SatisfactionAnswer.day, start, end))
        .distinct()
        .order_by(SatisfactionAnswer.service_id)
        .tuples()
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["service_id", "answers", "average", *(f"rating_{r}" for r in RATINGS)])
    for (service_id,) in rows:
        found = satisfaction(service_id, start, end)
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


def survey_rows(today: date | None = None) -> list[dict[str, Any]]:
    """Every survey (any state) with its newest version's state, whether it is open and
    its number of answers (under the threshold rule)."""
    newest: dict[str, ServiceDefinitionRecord] = {}
    live: dict[str, ServiceDefinitionRecord] = {}
    for record in ServiceDefinitionRecord.select().order_by(
        ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version
    ):
        if not definitions.is_survey(record):
            continue
        newest[record.service_id] = record
        if record.state == "published":
            live[record.service_id] = record
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
                "open": bool(
                    published_record and is_open(definitions.definition_of(published_record), today)
                ),
                "answers": None if small(count) else count,
                "suppressed": small(count),
            }
        )
    return rows


def survey_results(
    service_id: str, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """Per question of the newest published version: the distribution of a choice
    question's answers and a text question's answers, under the threshold rule."""
    _record, definition = published(service_id)
    rows = [
        answers
        for (answers,) in SurveyResponse.select(SurveyResponse.answers)
        .where((SurveyResponse.service_id == service_id) & _between(SurveyResponse.day, start, end))
        .order_by(SurveyResponse.id)
        .tuples()
    ]
    total = len(rows)
    enough = total >= MIN_CASES
    questions = []
    texts = []
    for info in _questions(definition):
        field = info.field
        values = [row.get(field["id"]) for row in rows if row.get(field["id"]) not in (None, "")]
        if field["type"] in CHOICE_TYPES:
            counts = Counter(values)
            questions.append(
                {
                    "field_id": field["id"],
                    "type": field["type"],
                    "label": field["label"],
                    "answered": shown(len(values)),
                    "options": [
                        {
                            "value": str(value).lower(),
                            "label": label,
                            **shown(counts.get(value, 0)),
                        }
                        for value, label in _options(field)
                    ],
                }
            )
        elif field["type"] in TEXT_TYPES:
            texts.append(
                {
                    "field_id": field["id"],
                    "label": field["label"],
                    "answers": [str(value) for value in values][-MAX_TEXTS:] if enough else [],
                }
            )
    return {
        "service_id": service_id,
        "title": definition.data["title"],
        "from": start,
        "to": end,
        "min_cases": MIN_CASES,
        "answers": None if small(total) else total,
        "suppressed": small(total),
        "questions": questions,
        "texts": texts,
    }


def survey_csv(service_id: str, start: date | None = None, end: date | None = None) -> str:
    """Every answer as a row (number, day, version, one column per question); empty
    below the threshold except for the header."""
    _record, definition = published(service_id)
    columns = [info.field["id"] for info in _questions(definition)]
    query = (
        SurveyResponse.select(SurveyResponse.day, SurveyResponse.version, SurveyResponse.answers)
        .where((SurveyResponse.service_id == service_id) & _between(SurveyResponse.day, start, end))
        .order_by(SurveyResponse.id)
        .tuples()
    )
    rows = list(query)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["number", "day", "version", *columns])
    if len(rows) >= MIN_CASES:
        for number, (day, version, answers) in enumerate(rows, start=1):
            writer.writerow(
                [number, day, version, *(_csv_value(answers.get(column)) for column in columns)]
            )
    return out.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
