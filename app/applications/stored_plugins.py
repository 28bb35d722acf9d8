"""Stored definitions checked against the registered plugins when the portal starts.

Admins publish definitions into the database; each names checks, rule sets and
document generators by name. A stored version (draft or published) naming a plugin
this installation does not register would fail at the first submission or decision,
so the start is refused instead, naming service, version and the path in the
definition, in the loader's words.
"""

from __future__ import annotations

from app.models import ServiceDefinitionRecord
from app.service_definitions import DefinitionError, plugins

# Retired versions are never started again; applications that use one were
# decided with the plugins of their day.
CHECKED_STATES = ("draft", "published")


class UnknownPlugins(RuntimeError):
    """Stored definitions name plugins that are not registered; one line per problem."""


def problems() -> list[str]:
    """One ``<service> version <n> (<state>): <path>: <problem>`` line per unknown name."""
    lines: list[str] = []
    records = (
        ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.state.in_(CHECKED_STATES))
        .order_by(ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version)
    )
    for record in records:
        found = plugins.unknown_names(record.data)
        if found:
            source = f"{record.service_id} version {record.version} ({record.state})"
            lines.extend(str(DefinitionError(source, found)).splitlines())
    return lines


def check() -> None:
    """Raise :class:`UnknownPlugins` when a stored definition names an unknown plugin."""
    found = problems()
    if found:
        raise UnknownPlugins(
            "Refusing to start: stored service definitions name plugins that are not "
            "registered:\n" + "\n".join(found)
        )
