"""``money``: an amount in whole cents (decision fields only, e.g. a granted amount).

The value is an integer number of cents, as every amount of the portal is stored; the
clerk's screen turns what the clerk types in euros into cents. ``min`` and ``max`` are
cents too.
"""

from __future__ import annotations

from typing import Any

from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import (
    NUMBER_OPERATORS,
    Context,
    FieldType,
    Problem,
    operators_for,
    ordered,
)
from app.service_definitions.field_types.number import bounded
from app.service_definitions.model import FieldInfo


def euro(cents: int, locale: str) -> str:
    """An amount as people write it: ``1.234,50 €`` in German, ``€1,234.50`` in English."""
    if locale == "en":
        return f"€{cents / 100:,.2f}"
    return f"{cents / 100:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def clean_money(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """Whole cents (an integer; a float without fraction is accepted), within bounds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, [issue(path, "money.invalid")]
    if isinstance(value, float) and (value != value or value != int(value)):
        return None, [issue(path, "money.invalid")]
    cents = int(value)
    # Bounds are cents; messages say them in euros (1 → "0,01").
    if "min" in field and cents < field["min"]:
        return None, [issue(path, "money.too_small", min=field["min"] / 100)]
    if "max" in field and cents > field["max"]:
        return None, [issue(path, "money.too_large", max=field["max"] / 100)]
    return cents, []


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return euro(value, locale)
    return str(value)


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    return bounded({"type": "integer", "description": "cents"}, field)


def _check(info: FieldInfo) -> list[Problem]:
    return ordered(info.field, info.path, "min", "max")


MONEY = FieldType(
    name="money",
    # The same shape as ``number``'s bounds: one option name means one thing.
    options={"min": {"type": "number"}, "max": {"type": "number"}},
    cleaner=clean_money,
    answer_schema=_answer_schema,
    check=_check,
    condition_check=operators_for(NUMBER_OPERATORS),
    display=_display,
)
