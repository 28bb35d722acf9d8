"""A JSON column reads back what it stored: the common documents through the fast
reader, and what only the standard library writes (NaN, integers beyond 64 bits) too."""

from __future__ import annotations

import math

import pytest

from app.models.base import JSONField


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"periods": [{"year": 2026, "amount_cents": 2100}], "ended_on": "2026-05-31"},
        {"text": "Straße ÄÖÜ € \u2028", "nested": {"list": [1, 2.5, None, True]}},
        2**70,
        -(2**65),
    ],
)
def test_a_stored_document_reads_back_as_it_was(value):
    field = JSONField()
    assert field.python_value(field.db_value(value)) == value


def test_not_a_number_reads_back():
    field = JSONField()
    assert math.isnan(field.python_value(field.db_value({"x": float("nan")}))["x"])


def test_null_stays_none():
    field = JSONField()
    assert field.db_value(None) is None and field.python_value(None) is None
