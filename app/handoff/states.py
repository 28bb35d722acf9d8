"""The states of a hand-off delivery and the moves allowed between them.

::

    pending ─► sending ─► delivered                 (the receiver has it; done)
                  │   ├─► sent ─► accepted | rejected   (acknowledged later: follow-up)
                  │   │     └─► failed              (no acknowledgement will come)
                  │   ├─► accepted | rejected       (a receiver that answers at once)
                  │   ├─► waiting ─► sending        (retry after a pause)
                  │   └─► failed                    (not retryable, or the last attempt)
    failed | rejected ─► pending                    (staff: "send again", a new round)

A worker whose lease ran out (it died while sending) leaves ``sending``: the sweep
moves the row to ``waiting`` and it is tried again with the same key.
"""

from __future__ import annotations

TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"sending"}),
    "sending": frozenset({"delivered", "sent", "accepted", "rejected", "waiting", "failed"}),
    "waiting": frozenset({"sending", "failed"}),
    "sent": frozenset({"accepted", "rejected", "failed"}),
    "delivered": frozenset(),
    "accepted": frozenset(),
    "failed": frozenset({"pending"}),
    "rejected": frozenset({"pending"}),
}
STATES = tuple(TRANSITIONS)

# Where a worker may claim a row to send it.
CLAIMABLE = ("pending", "waiting")
# Where staff may start a new round.
RETRYABLE = ("failed", "rejected")
# Where nothing more happens unless staff send again.
FINISHED = ("delivered", "accepted", "failed", "rejected")
# Still on their way: the console's "open" deliveries.
OPEN = ("pending", "sending", "waiting", "sent")


class TransitionRefused(Exception):
    """A move the table does not allow."""


def allowed(from_state: str, to_state: str) -> bool:
    """Whether a delivery may move from ``from_state`` to ``to_state``."""
    return to_state in TRANSITIONS.get(from_state, frozenset())


def require(from_state: str, to_state: str) -> None:
    """Raise :class:`TransitionRefused` unless the move is allowed."""
    if not allowed(from_state, to_state):
        raise TransitionRefused(f"hand-off delivery cannot move from {from_state} to {to_state}")


def sources(to_state: str) -> tuple[str, ...]:
    """Every state a delivery may reach ``to_state`` from (the ``WHERE`` of a move)."""
    return tuple(state for state, targets in TRANSITIONS.items() if to_state in targets)
