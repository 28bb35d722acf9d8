"""Rule sets for automatic decisions, by name (a definition's ``auto_decision.rule_set``).

A rule answers True to decide without a clerk, False to hand the case to a clerk (and
notes its reasons for the clerk on the application's history)::

    @register("registry_unique_match")
    class UniqueMatch(DecisionRule):
        def decide(self, application, definition): ...   # -> bool
"""

from __future__ import annotations

from typing import ClassVar

from app.models import Application
from app.service_definitions import ServiceDefinition, plugins

registry = plugins.rules
register = registry.register


class DecisionRule:
    """Base class of a rule set for automatic decisions."""

    name: ClassVar[str] = ""
    # What the console's pickers show: ``{de, en}`` each (the name when missing).
    label: ClassVar[dict[str, str] | None] = None
    description: ClassVar[dict[str, str] | None] = None

    def decide(self, application: Application, definition: ServiceDefinition) -> bool:
        """True to take the definition's automatic decision, False to hand over."""
        raise NotImplementedError


def get(name: str) -> DecisionRule:
    """The rule set called ``name`` (definitions are checked for it when loaded)."""
    return registry.get(name)
