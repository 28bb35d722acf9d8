"""Domain errors: a code, an HTTP-agnostic kind and optional field errors.

The API layer turns these into the one error format; the domain never formats text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    """One problem with one input field; ``code`` is a message key without namespace."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    # Texts already rendered per locale (e.g. by the definition engine, whose messages
    # may come from the definition itself); otherwise the catalogue key fields.<code>.
    messages: dict[str, str] | None = None


class DomainError(Exception):
    """A request that the domain refuses, e.g. a wrong code or a forbidden change.

    ``kind`` is one of: invalid, unauthorized, forbidden, not_found, conflict, gone,
    precondition_failed, too_many.
    """

    def __init__(
        self,
        code: str,
        kind: str = "invalid",
        field_errors: list[FieldError] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.kind = kind
        self.field_errors = field_errors or []
        self.params = params
