"""Service-specific checks at submission, beyond what a definition can express.

Most rules live in the definition; a few need data the form does not hold (the
parking zone of an address, plates on other permits). A service registers a check:

    @service_check("resident_parking")
    def parking_rules(application, answers) -> list[FieldError]: ...

Their field errors are reported together with the definition's own, and the
application stays a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.errors import FieldError
from app.models import Application

Check = Callable[[Application, dict[str, Any]], list[FieldError]]
_checks: dict[str, list[Check]] = {}


def service_check(service_id: str) -> Callable[[Check], Check]:
    """Decorator: run ``func`` whenever an application of ``service_id`` is submitted."""

    def register(func: Check) -> Check:
        registered = _checks.setdefault(service_id, [])
        if func not in registered:
            registered.append(func)
        return func

    return register


def problems(application: Application, answers: dict[str, Any]) -> list[FieldError]:
    """Field errors from every check registered for the application's service."""
    found: list[FieldError] = []
    for check in _checks.get(application.service_id, []):
        found.extend(check(application, answers))
    return found
