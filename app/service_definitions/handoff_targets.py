"""Checks of a definition's ``handoff`` targets against the registered backends.

The schema knows the shape of a target; only the backend knows its settings. So a
target naming an unregistered backend, a target id used twice, or settings the backend
refuses (``Backend.check_target``) make loading fail with the path inside the
definition, like an unknown check or generator does.
"""

from __future__ import annotations

import re
from typing import Any

from app.handoff.base import REGISTRY
from app.service_definitions.problems import Problem, problem
from app.tasks import config as portal_config

# A backend's problem that starts with a settings key ("url: must be https") is shown
# at that key, so the service builder puts it next to the input.
_KEYED = re.compile(r"^([a-z_][a-z0-9_]*)(:|\s)")


def _settings_path(base: str, settings: dict[str, Any], text: str) -> str:
    match = _KEYED.match(text)
    if match and (match.group(2) == ":" or match.group(1) in settings):
        return f"{base}.{match.group(1)}"
    return base


def _unknown(path: str, name: str) -> Problem:
    return problem(f"{path}.backend", "unknown_backend", name=name, registered=REGISTRY.names())


def unknown_backends(data: dict[str, Any]) -> list[Problem]:
    """A problem for every target naming a backend that is not registered (what a
    stored definition is checked for when the portal starts)."""
    return [
        _unknown(f"handoff[{index}]", target["backend"])
        for index, target in enumerate(data.get("handoff") or [])
        if REGISTRY.find(target["backend"]) is None
    ]


def problems(data: dict[str, Any]) -> list[Problem]:
    """Every problem of the definition's hand-off targets (empty without ``handoff``)."""
    found: list[Problem] = []
    seen: set[str] = set()
    for index, target in enumerate(data.get("handoff") or []):
        path = f"handoff[{index}]"
        if target["id"] in seen:
            found.append(problem(f"{path}.id", "duplicate_target_id", id=target["id"]))
        seen.add(target["id"])
        cls = REGISTRY.find(target["backend"])
        if cls is None:
            found.append(_unknown(path, target["backend"]))
            continue
        settings = target.get("settings") or {}
        for text in cls(portal_config()).check_target(settings, definition=data):
            found.append(
                problem(
                    _settings_path(f"{path}.settings", settings, text),
                    "handoff_settings",
                    backend=target["backend"],
                    problem=text,
                )
            )
    return found
