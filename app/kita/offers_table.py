"""The life cycle of an offer, as a table of allowed transitions.

::

    offered ──accept (parent)──────▶ accepted
            ──decline (parent)─────▶ declined
            ──expire (system)──────▶ expired
            ──withdraw (staff)─────▶ withdrawn
    accepted ──withdraw (staff)────▶ withdrawn

``declined``, ``expired`` and ``withdrawn`` are final; the place goes to the next in
line. An accepted place can still be withdrawn by staff (e.g. the family moved away).
"""

from __future__ import annotations

from app.errors import DomainError

STATUSES = ("offered", "accepted", "declined", "expired", "withdrawn")
# (from, to) -> the actor who may make the change
TRANSITIONS: dict[tuple[str, str], str] = {
    ("offered", "accepted"): "parent",
    ("offered", "declined"): "parent",
    ("offered", "expired"): "system",
    ("offered", "withdrawn"): "staff",
    ("accepted", "withdrawn"): "staff",
}
# Offers that hold a place.
LIVE_STATUSES = ("offered", "accepted")
FINAL_STATUSES = tuple(s for s in STATUSES if not any(f == s for f, _ in TRANSITIONS))


def allowed(from_status: str, to_status: str, actor: str) -> bool:
    """Whether ``actor`` may move an offer from ``from_status`` to ``to_status``."""
    return TRANSITIONS.get((from_status, to_status)) == actor


def check(from_status: str, to_status: str, actor: str) -> None:
    """Refuse a change the table does not allow (``transition_not_allowed``, 409)."""
    if not allowed(from_status, to_status, actor):
        raise DomainError(
            "transition_not_allowed", kind="conflict", from_status=from_status, to=to_status
        )
