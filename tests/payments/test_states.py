"""The transition table: idempotent, never back from finished, late success wins."""

from __future__ import annotations

import pytest

from app.payments import states
from app.payments.states import INTERNAL_STATES, TRANSITIONS

SUCCESS = {states.PAID, states.DEBIT_SCHEDULED}
UNSUCCESSFUL = {states.FAILED, states.EXPIRED, states.ERROR, states.CANCELLED}


def test_every_state_has_a_public_state_and_a_row():
    assert set(states.PUBLIC) == set(INTERNAL_STATES) == set(TRANSITIONS)
    assert set(states.PUBLIC.values()) == set(states.PUBLIC_STATES)


@pytest.mark.parametrize("state", INTERNAL_STATES)
def test_a_state_never_moves_to_itself(state):
    assert not states.allowed(state, state)


@pytest.mark.parametrize("state", INTERNAL_STATES)
def test_finished_never_moves_back_to_unfinished(state):
    if not states.is_finished(state):
        return
    for target in TRANSITIONS[state]:
        assert states.is_finished(target), (state, target)


@pytest.mark.parametrize("state", sorted(UNSUCCESSFUL))
def test_late_success_wins(state):
    assert states.allowed(state, states.PAID)
    assert TRANSITIONS[state] == {states.PAID}


@pytest.mark.parametrize("state", sorted(SUCCESS))
def test_success_only_moves_to_refunded(state):
    assert TRANSITIONS[state] == {states.REFUNDED}
    assert states.is_success(state) and states.public_state(state) == "succeeded"


def test_refunded_is_the_end():
    assert TRANSITIONS[states.REFUNDED] == frozenset()


def test_reason_codes():
    assert states.DEFAULT_REASON == {
        states.FAILED: "P0010",
        states.EXPIRED: "P0020",
        states.ERROR: "P0050",
        states.CANCELLED: "P0030",
    }


def test_events_only_for_final_public_states():
    assert set(states.EVENTS) == {"succeeded", "failed", "cancelled", "refunded"}
