"""Named counters in the database: permit numbers per year, the revocation list version.

``next_value`` increments inside the caller's transaction. On PostgreSQL the UPDATE
holds the row lock until commit, so concurrent callers get distinct values and commit
in counter order (what the revocation list's versions rely on); SQLite serialises
writers anyway.
"""

from __future__ import annotations

import peewee

from app.db import db
from app.models import ParkingCounter
from app.prepared import PreparedSelect

# Asked on every server-side verification (the revocation list's version).
_VALUE_OF = PreparedSelect(
    lambda name: (
        ParkingCounter.select(ParkingCounter.value).where(ParkingCounter.name == name).limit(1)
    ),
    "name",
)


def current_value(name: str, default: int = 0) -> int:
    """The counter's committed value, ``default`` if it was never used."""
    row = _VALUE_OF.first(name=name)
    return int(row.value) if row is not None else default


def _bump(name: str) -> int:
    return (
        ParkingCounter.update(value=ParkingCounter.value + 1)
        .where(ParkingCounter.name == name)
        .execute()
    )


def next_value(name: str, start: int = 0) -> int:
    """Increment counter ``name`` (created at ``start`` on first use) and return the new value."""
    with db.atomic():
        if _bump(name) == 0:
            try:
                with db.atomic():
                    ParkingCounter.create(name=name, value=start + 1)
            except peewee.IntegrityError:
                _bump(name)
        return int(ParkingCounter.get_by_id(name).value)
