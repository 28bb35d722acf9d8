"""The guided first visit: a short tour of the portal a citizen sees once, after their
first sign-in, on whichever device. The account keeps when it ended (finished or
skipped); from then on it is never due again, on any device (docs/guides.md)."""

from __future__ import annotations

from app.db import db, utcnow
from app.models import User

# What a citizen can do at the end of the tour; ``existing`` marks accounts that signed
# in before the tour existed (migration v0046).
OUTCOMES = ("finished", "skipped")


def is_due(user: User) -> bool:
    """True while a citizen's account has neither finished nor skipped the tour."""
    return user.role == "citizen" and user.closed_at is None and user.tour_done_at is None


def record(user: User, outcome: str) -> User:
    """Remember that ``user`` finished or skipped the tour. The first answer stays:
    recording again (a second device, the tour seen once more) changes nothing."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown tour outcome {outcome!r}")
    with db.atomic():
        changed = (
            User.update(tour_done_at=utcnow(), tour_outcome=outcome)
            .where((User.id == user.id) & User.tour_done_at.is_null())
            .execute()
        )
    if changed:
        user = User.get_by_id(user.id)
    return user
