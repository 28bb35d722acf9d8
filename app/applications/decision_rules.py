"""Rule sets for automatic decisions, by name (a definition's ``auto_decision.rule_set``).

A rule returns True to decide without a clerk, False to hand the case to a clerk.
Services register their rules here (e.g. the resident parking permit).
"""

from __future__ import annotations

from collections.abc import Callable

from app.models import Application
from app.service_definitions import ServiceDefinition

Rule = Callable[[Application, ServiceDefinition], bool]
_rules: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Decorator: register a rule set under ``name``."""

    def register(func: Rule) -> Rule:
        _rules[name] = func
        return func

    return register


def get(name: str | None) -> Rule | None:
    """The rule set called ``name``, if registered."""
    return _rules.get(name or "")
