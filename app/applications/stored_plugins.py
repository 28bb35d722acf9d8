"""Stored definitions checked against the registered plugins when the portal starts.

Admins publish definitions into the database; each names checks, rule sets, document
generators and hand-off backends by name. A stored version (draft or published) naming
a plugin this installation does not register would fail at the first submission or
decision, so the start is refused instead, naming service, version and the path in the
definition, in the loader's words. A retired version counts while applications
started on it are still under way.
"""

from __future__ import annotations

from app.models import Application, ServiceDefinitionRecord
from app.service_definitions import (
    DefinitionError,
    ServiceDefinition,
    handoff_targets,
    plugins,
    workflow,
)

# Drafts and published versions may be used at any moment.
CHECKED_STATES = ("draft", "published")


class UnknownPlugins(RuntimeError):
    """Stored definitions name plugins that are not registered; one line per problem."""


def _in_use(record: ServiceDefinitionRecord) -> bool:
    """Whether a retired version still has applications under way: their checks,
    decisions and documents still run through its plugins."""
    # Stored data is complete (the loader filled in every default before it was
    # stored), but parsing would refuse it for the very names that are unknown.
    stored = ServiceDefinition(data=record.data, source=record.source)
    try:
        open_statuses = workflow.open_statuses(stored)
    except (KeyError, TypeError):
        return True
    return (
        Application.select(Application.id)
        .where((Application.definition == record) & Application.status.in_(open_statuses))
        .exists()
    )


def problems() -> list[str]:
    """One ``<service> version <n> (<state>): <path>: <problem>`` line per unknown name,
    for every draft and published version and every retired one still in use."""
    lines: list[str] = []
    records = ServiceDefinitionRecord.select().order_by(
        ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version
    )
    for record in records:
        found = plugins.unknown_names(record.data) + handoff_targets.unknown_backends(record.data)
        if not found or (record.state not in CHECKED_STATES and not _in_use(record)):
            continue
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
