"""The plugin registries a definition names: checks, decision rules, document generators,
decision proposals, option sources.

A definition says by name what runs for its service::

    checks: [protected_trees]                        # at submission, beyond the form
    auto_decision: {enabled: true, rule_set: registry_unique_match, status: approved}
    documents: [{id: permit, kind: permit, generator: permit, ...}]
    decision_proposals: housing_benefit_estimate     # prefills the decision fields
    fields: [{id: facility, type: select, options_from: kita_facilities, ...}]

Every name must be registered before definitions are loaded (``app.builtin_plugins``
registers the portal's own). An unknown name makes loading fail with the file and the
path inside it, so nothing a definition asks for is ever skipped silently. The
registries only hold plugins by name; the interfaces plugins implement live with the
engine (``app.applications.checks``, ``decision_rules``, ``decisions`` and
``decision_values``); option sources, which the field types ask while cleaning an
answer, have theirs here (``OptionSource``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from app.service_definitions.model import iter_fields
from app.service_definitions.problems import Problem, problem

Plugin = TypeVar("Plugin")

# Documents without a ``generator`` use the engine's generator for their kind.
DEFAULT_GENERATORS = {
    "receipt": "receipt",
    "decision": "notice",
    "tax_notice": "notice",
    "certificate": "notice",
    "confirmation": "notice",
}


class Registry(Generic[Plugin]):
    """Plugins of one kind by name (``kind`` names them in error messages)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._plugins: dict[str, Plugin] = {}
        # Counts changes, so that what is worked out from the plugins can be kept.
        self.version = 0

    def register(self, name: str) -> Callable[[type[Plugin]], type[Plugin]]:
        """Class decorator: register one instance of the class under ``name``."""

        def decorate(cls: type[Plugin]) -> type[Plugin]:
            cls.name = name  # type: ignore[attr-defined]
            self.add(name, cls())
            return cls

        return decorate

    def add(self, name: str, plugin: Plugin) -> None:
        """Register ``plugin`` as ``name``; a second plugin of the same name is a mistake."""
        known = self._plugins.get(name)
        if known is not None and type(known) is not type(plugin):
            raise ValueError(f"{self.kind} {name!r} is registered already ({type(known)!r})")
        self._plugins[name] = plugin
        self.version += 1

    def remove(self, name: str) -> None:
        """Forget ``name`` (tests that register a plugin of their own)."""
        self._plugins.pop(name, None)
        self.version += 1

    @contextmanager
    def registered(self, name: str, plugin: Plugin) -> Iterator[Plugin]:
        """Register ``plugin`` as ``name`` for the duration of a ``with`` block (in place
        of the one registered before, which comes back afterwards)."""
        previous = self._plugins.get(name)
        self._plugins[name] = plugin
        self.version += 1
        try:
            yield plugin
        finally:
            if previous is None:
                self.remove(name)
            else:
                self._plugins[name] = previous
                self.version += 1

    def get(self, name: str) -> Plugin:
        """The plugin called ``name``; ``KeyError`` naming the kind if there is none."""
        try:
            return self._plugins[name]
        except KeyError:
            raise KeyError(f"unknown {self.kind} {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._plugins

    def names(self) -> list[str]:
        """Every registered name, sorted."""
        return sorted(self._plugins)


checks: Registry[Any] = Registry("check")
rules: Registry[Any] = Registry("rule")
generators: Registry[Any] = Registry("document generator")
# Service-specific data a hand-off document carries beside the answers (a plugin with
# ``build(application, definition, options) -> dict`` and ``option_problems(options)``,
# checked at load), named under ``plugin_options``.
handoff_data: Registry[Any] = Registry("hand-off data mapper")
# What a clerk's decision fields start with (``decision_proposals``): a plugin with
# ``propose(application, definition, status) -> {field id: value}``.
proposals: Registry[Any] = Registry("decision proposal")


class OptionSource:
    """Where a ``select`` or ``radio`` field with ``options_from: <name>`` gets its
    options: data that changes while the definition does not (the facilities of the
    Kita table). Register a subclass with ``option_sources.register(name)``.

    The engine checks an answer against ``options()`` as they are at that moment; the
    definition served to the PWA carries them resolved (``app.applications.served``),
    under an ETag that moves with ``stamp()``.
    """

    name: str = ""

    def options(self) -> list[dict[str, Any]]:
        """The options that may be chosen now, in the order shown:
        ``[{value, label: {de, en}, hint?: {de, en}}]`` with string values."""
        raise NotImplementedError

    def label(self, value: str) -> dict[str, str] | None:
        """The ``{de, en}`` label of ``value``, also of one that may no longer be chosen
        (a stored answer keeps its name in summaries and receipts); ``None`` if unknown.
        This default looks among the current options only."""
        for option in self.options():
            if option["value"] == value:
                return option["label"]
        return None

    def stamp(self) -> str:
        """A short value that changes whenever ``options()`` may have changed (one cheap
        query: it is asked on every catalogue request)."""
        raise NotImplementedError


option_sources: Registry[OptionSource] = Registry("option source")

# Changes to option sources committed by this process; a source calls ``options_changed``
# after a change, so caches of this process that hold resolved options see it at once
# (other processes see it through ``stamp()``).
_option_changes = 0


def options_changed() -> None:
    """Note that an option source's data changed in this process (call after commit)."""
    global _option_changes
    _option_changes += 1


def option_changes() -> int:
    """How many option-source changes this process has committed."""
    return _option_changes


def generator_name(document: dict[str, Any]) -> str:
    """The generator that produces ``document``: its own, else the default for its kind."""
    if document.get("generator"):
        return document["generator"]
    if document.get("channel") == "post":
        return "post"
    return DEFAULT_GENERATORS.get(document["kind"], document["kind"])


# The problem code of an unknown name, by registry kind.
_UNKNOWN_CODES = {
    "check": "unknown_check",
    "rule": "unknown_rule",
    "document generator": "unknown_generator",
    "decision proposal": "unknown_proposals",
    "option source": "unknown_option_source",
}


def _unknown(registry: Registry[Any], path: str, name: str) -> Problem:
    code = _UNKNOWN_CODES.get(registry.kind)
    text = f"unknown {registry.kind} {name!r}; registered: {registry.names()}"
    if code is None:
        return Problem(path, "other", {"problem": text}, text)
    return problem(path, code, text, name=name, registered=registry.names())


def unknown_names(data: dict[str, Any]) -> list[Problem]:
    """A problem for every check, rule, document generator or decision proposal the
    definition names that is not registered."""
    problems = [
        _unknown(checks, f"checks[{index}]", name)
        for index, name in enumerate(data.get("checks") or [])
        if name not in checks
    ]
    rule_set = (data.get("auto_decision") or {}).get("rule_set")
    if rule_set and rule_set not in rules:
        problems.append(_unknown(rules, "auto_decision.rule_set", rule_set))
    for index, document in enumerate(data.get("documents") or []):
        name = generator_name(document)
        if name not in generators:
            problems.append(_unknown(generators, f"documents[{index}].generator", name))
    proposer = data.get("decision_proposals")
    if proposer and proposer not in proposals:
        problems.append(_unknown(proposals, "decision_proposals", proposer))
    for info in iter_fields(data):
        source = info.field.get("options_from")
        if isinstance(source, str) and source not in option_sources:
            problems.append(_unknown(option_sources, f"{info.path}.options_from", source))
    return problems + _unknown_options(data)


def _unknown_options(data: dict[str, Any]) -> list[Problem]:
    # Options only mean something to a registered plugin, and the fields they name
    # must be the definition's own.
    known = (
        set(checks.names())
        | set(rules.names())
        | set(generators.names())
        | set(handoff_data.names())
        | set(proposals.names())
    )
    field_ids = {info.field["id"] for info in iter_fields(data)}
    problems = []
    for name, options in (data.get("plugin_options") or {}).items():
        if name not in known:
            problems.append(problem(f"plugin_options.{name}", "unknown_plugin", name=name))
        if name in handoff_data:
            # A mapper checks its own options, so a wrong one fails at load, not at
            # the first hand-off.
            for text in handoff_data.get(name).option_problems(options):
                path = f"plugin_options.{name}"
                problems.append(Problem(path, "other", {"problem": text}, text))
        for role, field_id in (options.get("fields") or {}).items():
            if field_id not in field_ids:
                path = f"plugin_options.{name}.fields.{role}"
                problems.append(problem(path, "unknown_field", id=field_id))
    return problems


def options(definition: Any, name: str) -> dict[str, Any]:
    """The options the definition gives the plugin ``name`` (empty if it gives none)."""
    return (definition.data.get("plugin_options") or {}).get(name) or {}


def field_ids(definition: Any, name: str, roles: tuple[str, ...]) -> dict[str, str]:
    """The definition's field id for each of the plugin's ``roles`` (the role's own name
    where the definition names none)."""
    named = options(definition, name).get("fields") or {}
    return {role: named.get(role, role) for role in roles}
