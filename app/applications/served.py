"""A definition as the PWA receives it: the options of ``options_from`` fields resolved.

Forms must open offline once loaded, so a field whose options come from data
(``options_from``, ``plugins.OptionSource``) is served with the source's current options
written into it, not fetched separately. Its ETag is the version's fingerprint together
with the stamps of the sources it names: when a facility changes, the definition the
PWA holds is no longer current and the next request (or catalogue check) brings the new
one. A definition without option sources is served as stored, under its fingerprint.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from app.service_definitions import ServiceDefinition
from app.service_definitions.model import iter_fields
from app.service_definitions.plugins import option_sources

# Resolved definitions by fingerprint, with the ETag they were resolved under; a new ETag
# replaces the entry, so there is at most one per version.
_resolved: dict[str, tuple[str, dict[str, Any]]] = {}


def source_names(data: dict[str, Any]) -> list[str]:
    """The option sources a definition's fields name, each once, sorted."""
    return sorted(
        {info.field["options_from"] for info in iter_fields(data) if info.field.get("options_from")}
    )


def _stamps(names: list[str]) -> str:
    return "|".join(f"{name}={option_sources.get(name).stamp()}" for name in names)


def served_etag(data: dict[str, Any], fingerprint: str) -> str:
    """The ETag of the served form of a definition whose content is ``data`` (one small
    query per option source it names, none without)."""
    names = source_names(data)
    if not names:
        return fingerprint
    return hashlib.sha256(f"{fingerprint}|{_stamps(names)}".encode()).hexdigest()[:32]


def resolve(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` in which every ``options_from`` field carries the source's
    current ``options`` (``options_from`` stays, so a client can tell them apart)."""
    resolved = copy.deepcopy(data)
    for info in iter_fields(resolved):
        name = info.field.get("options_from")
        if name:
            info.field["options"] = option_sources.get(name).options()
    return resolved


def served(definition: ServiceDefinition, fingerprint: str) -> tuple[dict[str, Any], str]:
    """``(data, etag)`` of a definition as served to clients (see the module's text)."""
    etag = served_etag(definition.data, fingerprint)
    if etag == fingerprint:
        return definition.data, etag
    cached = _resolved.get(fingerprint)
    if cached is None or cached[0] != etag:
        cached = _resolved[fingerprint] = (etag, resolve(definition.data))
    return cached[1], etag
