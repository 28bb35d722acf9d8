"""The booking lifecycle is a table: every pair of status and action is either in it or
refused."""

from __future__ import annotations

import pytest

from app.appointments import lifecycle
from app.errors import DomainError

EXPECTED = {
    ("booked", "arrive"): "arrived",
    ("booked", "no_show"): "no_show",
    ("booked", "cancel"): "cancelled",
    ("arrived", "finish"): "done",
}


@pytest.mark.parametrize("status", lifecycle.STATUSES)
@pytest.mark.parametrize("action", lifecycle.ACTIONS)
def test_every_transition(status, action):
    if (status, action) in EXPECTED:
        assert lifecycle.next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(DomainError) as refused:
            lifecycle.next_status(status, action)
        assert refused.value.kind == "conflict" and refused.value.code == "appointment_transition"


def test_allowed_actions_follow_the_table():
    assert lifecycle.allowed_actions("booked") == ["arrive", "no_show", "cancel"]
    assert lifecycle.allowed_actions("arrived") == ["finish"]
    assert lifecycle.allowed_actions("done") == []
    assert lifecycle.allowed_actions("cancelled") == []


def test_only_cancelled_bookings_free_their_time():
    assert set(lifecycle.STATUSES) - set(lifecycle.HOLDS_TIME) == {"cancelled"}
