"""The report lifecycle is a table: what a clerk may set after what, and how it maps to
Open311's open/closed."""

from __future__ import annotations

import pytest

from app.errors import DomainError
from app.reports import lifecycle


def test_the_table_names_only_known_statuses_and_every_status_has_a_row():
    assert set(lifecycle.TRANSITIONS) == set(lifecycle.STATUSES)
    for targets in lifecycle.TRANSITIONS.values():
        assert set(targets) <= set(lifecycle.STAFF_STATUSES)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("new", "received", True),
        ("new", "done", True),
        ("received", "in_progress", True),
        ("in_progress", "done", True),
        ("done", "in_progress", True),
        ("in_progress", "received", False),
        ("done", "done", False),
        ("done", "not_responsible", False),
        ("merged", "received", False),
        ("new", "merged", False),
    ],
)
def test_allowed_changes(current, target, allowed):
    assert lifecycle.allowed(current, target) is allowed
    if not allowed:
        with pytest.raises(DomainError) as refused:
            lifecycle.require(current, target)
        assert refused.value.kind == "conflict"


def test_open311_sees_open_or_closed():
    assert [lifecycle.open311_status(s) for s in lifecycle.STATUSES] == [
        "open",
        "open",
        "open",
        "closed",
        "closed",
        "closed",
    ]
