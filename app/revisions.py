"""Which revisions of a versioned record a client's change may replace (its ``If-Match``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Revisions:
    """The revisions a change was made against: some numbers, or any existing one."""

    numbers: frozenset[int] = frozenset()
    any_revision: bool = False

    @classmethod
    def of(cls, number: int) -> Revisions:
        """Exactly ``number``."""
        return cls(frozenset({number}))

    def matches(self, revision: int) -> bool:
        """Whether the stored ``revision`` is one the client named."""
        return self.any_revision or revision in self.numbers
