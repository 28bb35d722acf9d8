"""Conditions used by ``visible_if``, fee rules and warnings.

A condition is a small JSON object. Leaves name a ``field`` and exactly one operator:

* ``equals`` / ``not_equals``: the answer equals (or differs from) a value
* ``in``: the answer is one of a list of values
* ``is_true``: the answer is truthy (``true``) or falsy (``false``); absent counts as falsy
* ``before`` / ``after``: a date answer lies strictly before / after a date bound such as
  ``"-14d"`` (see ``relative_dates``)
* ``contains``: a text answer contains the value (ignoring case); for a field inside a
  repeat group, named ``group.field`` (``dogs.breed``), true when any item's answer
  equals the value
* ``greater_than`` / ``less_than``: a number answer, or the number of items of a repeat
  group, is strictly greater / less than the value

Combinations: ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from app.service_definitions import relative_dates

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEAF_OPERATORS = (
    "equals",
    "not_equals",
    "in",
    "is_true",
    "before",
    "after",
    "contains",
    "greater_than",
    "less_than",
)
GROUP_OPERATORS = ("all", "any", "not")
# The operators that read a field inside a repeat group (``group.field``, any item)…
ITEM_OPERATORS = ("contains",)
# … and those that read a repeat group itself (its number of items).
COUNT_OPERATORS = ("greater_than", "less_than")

Lookup = Callable[[str], Any]


def evaluate(condition: dict[str, Any] | None, lookup: Lookup, today: date) -> bool:
    """Evaluate ``condition`` with ``lookup`` resolving a field id to its answer.

    A missing condition is true. Answers that are absent (hidden or not given) make
    every leaf false except ``not_equals`` and ``is_true: false``.
    """
    if condition is None:
        return True
    if "all" in condition:
        return all(evaluate(part, lookup, today) for part in condition["all"])
    if "any" in condition:
        return any(evaluate(part, lookup, today) for part in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], lookup, today)
    name = condition["field"]
    if "." in name:
        return _any_item(condition, lookup, name)
    value = lookup(name)
    if "contains" in condition:
        expected = condition["contains"]
        return (
            isinstance(value, str)
            and isinstance(expected, str)
            and expected.lower() in value.lower()
        )
    if "greater_than" in condition or "less_than" in condition:
        number = _as_number(value)
        if number is None:
            return False
        if "greater_than" in condition:
            return number > condition["greater_than"]
        return number < condition["less_than"]
    if "equals" in condition:
        return _same(value, condition["equals"])
    if "not_equals" in condition:
        return not _same(value, condition["not_equals"])
    if "in" in condition:
        return any(_same(value, candidate) for candidate in condition["in"])
    if "is_true" in condition:
        return bool(value) is bool(condition["is_true"])
    answer = _as_date(value)
    if answer is None:
        return False
    if "before" in condition:
        return answer < relative_dates.resolve(condition["before"], today)
    return answer > relative_dates.resolve(condition["after"], today)


def _any_item(condition: dict[str, Any], lookup: Lookup, name: str) -> bool:
    # ``group.field`` with ``contains``: some item of the group answered the value. Only
    # ``contains`` reads items (the loader refuses the others); any other operator is
    # false, never a comparison with a value that is not there.
    if "contains" not in condition:
        return False
    group, _, inner = name.partition(".")
    items = lookup(group)
    if not isinstance(items, list):
        return False
    expected = condition["contains"]
    return any(isinstance(item, dict) and _same(item.get(inner), expected) for item in items)


def _as_number(value: Any) -> int | float | None:
    # A repeat group counts its items; a number is itself; anything else is no number.
    if isinstance(value, list):
        return len(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def leaves(condition: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    """Yield every leaf of ``condition`` (the parts that name a field)."""
    if condition is None:
        return
    for key in ("all", "any"):
        if key in condition:
            for part in condition[key]:
                yield from leaves(part)
            return
    if "not" in condition:
        yield from leaves(condition["not"])
        return
    yield condition


def referenced_fields(condition: dict[str, Any] | None) -> list[str]:
    """Return the field ids ``condition`` reads, in order of appearance (for
    ``group.field`` the group's id: its answer holds the items)."""
    return [leaf["field"].partition(".")[0] for leaf in leaves(condition) if "field" in leaf]


def _same(value: Any, expected: Any) -> bool:
    # Numbers arrive as int or float and must compare by value; bools never equal numbers.
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected
    return value == expected


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    # Cleaned date answers are YYYY-MM-DD; fromisoformat alone would also read other
    # ISO forms ("20240601", "2024-W22-6") that no date field stores.
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
