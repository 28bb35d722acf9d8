"""Checks at submission beyond what a definition can express, named by the definition.

Most rules live in the definition; a few need data the form does not hold (the parking
zone of an address, plates on other permits). A plugin registers a check by name and a
definition lists the names it wants (``checks: [protected_trees]``)::

    @register("protected_trees")
    class ProtectedTreesCheck(Check):
        def problems(self, application, answers): ...   # -> list[FieldError]

Their field errors are reported together with the definition's own, and the
application stays a draft.
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.errors import FieldError
from app.models import Application
from app.service_definitions import ServiceDefinition, plugins

registry = plugins.checks
register = registry.register


class Check:
    """Base class of a submission check."""

    name: ClassVar[str] = ""
    # What the console's pickers show: ``{de, en}`` each (the name when missing).
    label: ClassVar[dict[str, str] | None] = None
    description: ClassVar[dict[str, str] | None] = None

    def problems(self, application: Application, answers: dict[str, Any]) -> list[FieldError]:
        """Field errors that keep ``application`` (with cleaned ``answers``) a draft."""
        raise NotImplementedError


def problems(
    application: Application, definition: ServiceDefinition, answers: dict[str, Any]
) -> list[FieldError]:
    """Field errors from every check the definition names, in its order."""
    found: list[FieldError] = []
    for name in definition.data.get("checks") or []:
        found.extend(registry.get(name).problems(application, answers))
    return found
