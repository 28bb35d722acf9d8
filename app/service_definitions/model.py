"""A loaded service definition and the index of its fields."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class FieldInfo:
    """Where a field sits: its definition, JSON path, step, enclosing repeat group, order.

    ``order`` is the position in reading order (steps, then fields, a repeat group's
    own fields right after the group); conditions may only look backwards in it.
    """

    field: dict[str, Any]
    path: str
    step: str
    parent: str | None
    order: int


def iter_fields(data: dict[str, Any]) -> Iterator[FieldInfo]:
    """Yield every field of a definition dict in reading order, nested ones included."""
    order = 0
    for step_index, step in enumerate(data.get("steps") or []):
        if not isinstance(step, dict):
            continue
        for field_index, field in enumerate(step.get("fields") or []):
            if not isinstance(field, dict):
                continue
            path = f"steps[{step_index}].fields[{field_index}]"
            yield FieldInfo(field, path, step.get("id", ""), None, order)
            order += 1
            for sub_index, sub in enumerate(field.get("fields") or []):
                if isinstance(sub, dict):
                    sub_path = f"{path}.fields[{sub_index}]"
                    yield FieldInfo(sub, sub_path, step.get("id", ""), field.get("id"), order)
                    order += 1


@dataclass(frozen=True, eq=False)
class ServiceDefinition:
    """A validated service definition.

    ``data`` is the complete definition with defaults filled in; it is what clients
    receive to render the form. Treat it as read-only; ``as_dict`` gives a copy.
    """

    data: dict[str, Any] = dataclass_field(repr=False)
    source: str

    @property
    def id(self) -> str:
        """The service's slug, e.g. ``tree_felling``."""
        return self.data["id"]

    @property
    def version(self) -> int:
        """The definition's version; applications keep the version they started with."""
        return self.data["version"]

    @property
    def area(self) -> str:
        """The clerks' service area that works applications for this service."""
        return self.data["area"]

    @property
    def trust_level(self) -> str:
        """``basic`` (e-mail confirmed) or ``high`` (eID)."""
        return self.data["trust_level"]

    @property
    def payment_policy(self) -> str:
        """``none``, ``before_submission`` or ``after_decision``."""
        return self.data["payment"]["policy"]

    @cached_property
    def fields(self) -> dict[str, FieldInfo]:
        """All fields by id (ids are unique across the whole definition)."""
        return {info.field["id"]: info for info in iter_fields(self.data)}

    def field(self, field_id: str) -> dict[str, Any]:
        """Return the definition of field ``field_id``; ``KeyError`` if there is none."""
        return self.fields[field_id].field

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the definition's content, usable as an HTTP ETag."""
        canonical = json.dumps(self.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        """Return a deep copy of the definition data (safe to modify or serialise)."""
        return copy.deepcopy(self.data)
