"""The offer life cycle is the table: every pair and actor is either allowed or refused."""

from __future__ import annotations

import itertools

import pytest

from app.errors import DomainError
from app.kita import offers_table

ALLOWED = {
    ("offered", "accepted", "parent"),
    ("offered", "declined", "parent"),
    ("offered", "expired", "system"),
    ("offered", "withdrawn", "staff"),
    ("accepted", "withdrawn", "staff"),
}
ACTORS = ("parent", "staff", "system")


@pytest.mark.parametrize(
    ("source", "target", "actor"),
    list(itertools.product(offers_table.STATUSES, offers_table.STATUSES, ACTORS)),
)
def test_every_change(source, target, actor):
    expected = (source, target, actor) in ALLOWED
    assert offers_table.allowed(source, target, actor) is expected
    if expected:
        offers_table.check(source, target, actor)
    else:
        with pytest.raises(DomainError) as refused:
            offers_table.check(source, target, actor)
        assert refused.value.code == "transition_not_allowed"


def test_final_statuses_have_no_way_out():
    assert set(offers_table.FINAL_STATUSES) == {"declined", "expired", "withdrawn"}
