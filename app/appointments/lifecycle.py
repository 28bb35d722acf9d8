"""A booking's lifecycle as a table of allowed transitions.

Moving a booking is not a status change: the booking stays ``booked`` and gets a new
time (the old one is released in the same transaction, see ``app.appointments.booking``).
"""

from __future__ import annotations

from app.errors import DomainError

STATUSES = ("booked", "arrived", "done", "no_show", "cancelled")
# (status, action) → new status. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("booked", "arrive"): "arrived",
    ("arrived", "finish"): "done",
    ("booked", "no_show"): "no_show",
    ("booked", "cancel"): "cancelled",
}
# Actions staff mark at the counter (cancelling is the citizen's, or staff's by phone).
STAFF_MARKS = ("arrive", "finish", "no_show")
ACTIONS = ("arrive", "finish", "no_show", "cancel")
# States whose time is still taken (a cancelled booking frees its slots).
HOLDS_TIME = ("booked", "arrived", "done", "no_show")


def next_status(status: str, action: str) -> str:
    """The status after ``action``; a DomainError (409) when the table does not allow it."""
    found = TRANSITIONS.get((status, action))
    if found is None:
        raise DomainError("appointment_transition", kind="conflict", current=status, action=action)
    return found


def allowed_actions(status: str) -> list[str]:
    """The actions the table allows from ``status``, in the order of ``ACTIONS``."""
    return [a for a in ACTIONS if (status, a) in TRANSITIONS]
