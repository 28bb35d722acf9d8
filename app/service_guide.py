"""What a service's guide needs from the server beyond the definition the PWA keeps.

The guide page (``/leistungen/<id>/anleitung``) renders the form's steps from the
definition with the example answers of its ``guide``. This module resolves what only the
server knows or decides: the examples with relative dates counted from today and the
city's example address put in, the fee the fee rules give for them (the same engine as
the application's), and how long a case usually takes: the median processing time of
the last twelve months from the statistics where enough cases were decided (the
statistics' threshold for small counts), otherwise the definition's processing target.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from typing import Any

from app.applications.deadlines import target_days
from app.cities import active_city
from app.service_definitions.fees import compute_fees
from app.service_definitions.field_types.choice import current_options
from app.service_definitions.guide import resolved_examples
from app.service_definitions.model import ServiceDefinition
from app.service_definitions.relative_dates import add_months, local_today
from app.service_definitions.validation import validate_answers
from app.statistics.figures import median_processing_hours

HOURS_PER_DAY = 24


def guide_data(definition: ServiceDefinition, today: date | None = None) -> dict[str, Any]:
    """The guide's server part for ``definition`` (the current published version)."""
    today = today or local_today()
    city_address = active_city().data.get("guide_example_address")
    examples = _offered(definition, resolved_examples(definition.data, today, city_address))
    return {
        "service_id": definition.id,
        "version": definition.version,
        "examples": examples,
        "fee": example_fee(definition, examples, today),
        "duration": typical_duration(definition, today),
    }


def _offered(definition: ServiceDefinition, examples: dict[str, Any]) -> dict[str, Any]:
    """The examples without a choice from data (``options_from``) no longer offered: the
    guide shows what a citizen could choose today."""
    kept = dict(examples)
    for step in definition.data["steps"]:
        for field in step["fields"]:
            if field.get("options_from") and field["id"] in kept:
                values = {option["value"] for option in current_options(field)}
                if kept[field["id"]] not in values:
                    del kept[field["id"]]
    return kept


def guide_etag(body: dict[str, Any]) -> str:
    """A tag that moves with anything the guide shows (a new version, a new day's
    dates, new statistics, the city's example address)."""
    text = json.dumps(body, sort_keys=True, default=str)
    return "guide-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def fee_inputs(definition: ServiceDefinition) -> list[str]:
    """The top-level fields the fee rules read, in form order (a field of a repeat
    group counts as its group)."""
    data = definition.data
    read: set[str] = set()
    for rule in (data.get("fees") or {}).get("rules") or []:
        if "over" in rule:
            read.add(rule["over"])
        for key in ("when", "where", "count_where"):
            _condition_fields(rule.get(key), read)
    top: dict[str, str] = {}
    for step in data["steps"]:
        for field in step["fields"]:
            top[field["id"]] = field["id"]
            for member in field.get("fields") or []:
                top[member["id"]] = field["id"]
    wanted = {top[name] for name in read if name in top}
    return [
        field["id"] for step in data["steps"] for field in step["fields"] if field["id"] in wanted
    ]


def _condition_fields(condition: dict[str, Any] | None, out: set[str]) -> None:
    if not condition:
        return
    for key in ("all", "any"):
        for part in condition.get(key) or []:
            _condition_fields(part, out)
    if "not" in condition:
        _condition_fields(condition["not"], out)
    if "field" in condition:
        out.add(condition["field"].split(".")[0])


def example_fee(
    definition: ServiceDefinition, examples: dict[str, Any], today: date
) -> dict[str, Any]:
    """The fee for the example answers, or the fields it depends on that have no example
    (then ``total_cents`` is ``None``)."""
    period = (definition.data.get("fees") or {}).get("period", "once")
    missing = [field_id for field_id in fee_inputs(definition) if field_id not in examples]
    if missing:
        return {"total_cents": None, "lines": [], "period": period, "depends_on": missing}
    answers = validate_answers(definition, examples, today).answers
    result = compute_fees(definition, answers, today)
    return {**result.to_dict(), "depends_on": []}


def typical_duration(definition: ServiceDefinition, today: date) -> dict[str, Any]:
    """How long a case usually takes, in days, and where the number comes from:
    ``statistics`` (the median of the last twelve months) or ``target``."""
    start = add_months(today, -12) + timedelta(days=1)
    hours = median_processing_hours(definition.id, start, today)
    if hours is None:
        return {"source": "target", "days": target_days(definition), "median_hours": None}
    days = max(1, round(hours / HOURS_PER_DAY))
    return {"source": "statistics", "days": days, "median_hours": hours}
