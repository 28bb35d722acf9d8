"""Fees from a definition's rules, in integer cents.

Rule kinds:

* ``fixed``: one line of ``amount_cents`` (if ``when`` holds).
* ``per_item``: ``amount_cents`` for each item of a repeat group matching ``where``, or
  for each unit of a number field.
* ``tiered``: unit prices from tiers ``{from, to, unit_cents}``.

  - ``mode: volume``: the tier reached by the count decides the unit price of every
    billed item. The count is the number of items matching ``count_where`` (default:
    all items); billed are the items matching ``where``. Dog tax: 84 € for one dog,
    96 € per dog for two or more, where dangerous dogs count towards the number of
    dogs but are billed by their own rule.
  - ``mode: graduated``: the n-th billed unit costs the price of the tier holding n.
    Certificates: 12 € for the first copy, 6 € for each further copy.

Pass cleaned answers (from ``validate_answers``); malformed values count as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.service_definitions import conditions
from app.service_definitions.model import ServiceDefinition
from app.service_definitions.relative_dates import local_today


@dataclass(frozen=True)
class FeeLine:
    """One line of the fee statement."""

    rule: str
    label: dict[str, str]
    quantity: int
    unit_cents: int
    amount_cents: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "rule": self.rule,
            "label": self.label,
            "quantity": self.quantity,
            "unit_cents": self.unit_cents,
            "amount_cents": self.amount_cents,
        }


@dataclass(frozen=True)
class FeeResult:
    """All fee lines, their total and the period they cover (``once`` or ``yearly``)."""

    lines: tuple[FeeLine, ...]
    total_cents: int
    period: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "lines": [line.to_dict() for line in self.lines],
            "total_cents": self.total_cents,
            "period": self.period,
        }


def compute_fees(
    definition: ServiceDefinition, answers: dict[str, Any], today: date | None = None
) -> FeeResult:
    """Apply the definition's fee rules to ``answers``; a service without fees costs 0."""
    fees = definition.data.get("fees")
    if not fees:
        return FeeResult((), 0, "once")
    today = today or local_today()
    lines: list[FeeLine] = []
    for rule in fees["rules"]:
        if not conditions.evaluate(rule.get("when"), answers.get, today):
            continue
        if rule["kind"] == "fixed":
            lines.append(_line(rule, rule["label"], 1, rule["amount_cents"]))
        elif rule["kind"] == "per_item":
            billed = _count(definition, rule, answers, rule.get("where"), today)
            if billed:
                lines.append(_line(rule, rule["label"], billed, rule["amount_cents"]))
        else:
            lines.extend(_tiered(definition, rule, answers, today))
    return FeeResult(tuple(lines), sum(line.amount_cents for line in lines), fees["period"])


def _line(rule: dict[str, Any], label: dict[str, str], quantity: int, unit: int) -> FeeLine:
    return FeeLine(rule["id"], dict(label), quantity, unit, quantity * unit)


def _count(
    definition: ServiceDefinition,
    rule: dict[str, Any],
    answers: dict[str, Any],
    where: dict[str, Any] | None,
    today: date,
) -> int:
    value = answers.get(rule["over"])
    if definition.field(rule["over"])["type"] == "number":
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
    items = (
        [item for item in value or [] if isinstance(item, dict)] if isinstance(value, list) else []
    )

    def matches(item: dict[str, Any]) -> bool:
        def lookup(name: str) -> Any:
            return item[name] if name in item else answers.get(name)

        return conditions.evaluate(where, lookup, today)

    return sum(1 for item in items if matches(item))


def _tiered(
    definition: ServiceDefinition, rule: dict[str, Any], answers: dict[str, Any], today: date
) -> list[FeeLine]:
    billed = _count(definition, rule, answers, rule.get("where"), today)
    if not billed:
        return []
    tiers = rule["tiers"]
    if rule["mode"] == "volume":
        # At least one item is billed here, so the count is at least 1 even if
        # count_where leaves the billed items out.
        counted = max(_count(definition, rule, answers, rule.get("count_where"), today), 1)
        tier = next(t for t in tiers if t["from"] <= counted <= (t.get("to") or counted))
        return [_line(rule, tier.get("label") or rule["label"], billed, tier["unit_cents"])]
    lines = []
    for tier in tiers:
        last = min(billed, tier.get("to") or billed)
        units = last - tier["from"] + 1
        if units > 0:
            lines.append(_line(rule, tier.get("label") or rule["label"], units, tier["unit_cents"]))
    return lines
