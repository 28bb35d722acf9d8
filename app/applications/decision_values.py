"""Values a clerk sets at a decision: the form in the decision dialog, the check of what
the clerk sent, and what documents and histories read back.

A definition declares the fields per decision status (``decision_fields``,
``app.service_definitions.decision_fields``) and may name a registered proposal plugin
(``decision_proposals``) that prefills them from the application::

    @register("housing_benefit_estimate")
    class Estimate(DecisionProposal):
        def propose(self, application, definition, status): ...  # -> {field id: value}

The cleaned values are stored with the history entry of the decision
(``ApplicationEvent.decision_values``); ``decision_values(application)`` gives them to
document generators.
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.applications import definitions
from app.applications.issues import domain_error
from app.models import Application, ApplicationEvent
from app.service_definitions import ServiceDefinition, plugins
from app.service_definitions import decision_fields as fields_of
from app.service_definitions.relative_dates import local_today

registry = plugins.proposals
register = registry.register


class DecisionProposal:
    """Base class of a plugin that proposes decision values for an application."""

    name: ClassVar[str] = ""
    # What the console's pickers show: ``{de, en}`` each (the name when missing).
    label: ClassVar[dict[str, str] | None] = None
    description: ClassVar[dict[str, str] | None] = None

    def propose(
        self, application: Application, definition: ServiceDefinition, status: str
    ) -> dict[str, Any]:
        """Values for the decision fields of ``status``, by field id, stored as the
        fields store them (cents, ``YYYY-MM-DD``); fields it cannot propose are left
        out. The clerk sees them prefilled and may change every one."""
        raise NotImplementedError


def fields_for(definition: ServiceDefinition, status: str) -> list[dict[str, Any]]:
    """The decision fields the definition declares for ``status`` (often none)."""
    return fields_of.declared(definition.data, status)


def proposed(
    application: Application, definition: ServiceDefinition, status: str
) -> dict[str, Any]:
    """What the definition's proposal plugin suggests for ``status`` (only declared
    fields), or nothing when the definition names no plugin."""
    declared = {field["id"] for field in fields_for(definition, status)}
    name = definition.data.get("decision_proposals")
    if not declared or not name:
        return {}
    found = registry.get(name).propose(application, definition, status)
    return {key: value for key, value in found.items() if key in declared}


def form(
    application: Application, definition: ServiceDefinition, status: str, locale: str
) -> list[dict[str, Any]]:
    """The decision fields of ``status`` as the clerk's dialog renders them: labelled in
    ``locale``, with their bounds and the proposed value (``None`` when none)."""
    declared = fields_for(definition, status)
    if not declared:
        return []
    values = proposed(application, definition, status)
    shown = []
    for field in declared:
        entry: dict[str, Any] = {
            "id": field["id"],
            "type": field["type"],
            "label": fields_of.label(field, locale),
            "hint": fields_of.hint(field, locale),
            "required": field["required"],
            "value": values.get(field["id"]),
        }
        for key in ("min", "max", "min_length", "max_length", "integer", "after"):
            if key in field:
                entry[key] = field[key]
        if "options" in field:
            entry["options"] = [
                {"value": option["value"], "label": fields_of.label(option, locale)}
                for option in field["options"]
            ]
        shown.append(entry)
    return shown


def clean(definition: ServiceDefinition, status: str, raw: Any) -> dict[str, Any] | None:
    """What the clerk sent for a change to ``status``, cleaned; ``None`` when the status
    has no decision fields and nothing was sent. Raises a ``DomainError`` with one field
    error per problem (``values.<id>``, in German and English) otherwise."""
    declared = fields_for(definition, status)
    if not declared and not raw:
        return None
    values, issues = fields_of.clean_values(declared, raw, local_today())
    if issues:
        raise domain_error(issues)
    return values


def _latest(application: Application, status: str | None) -> ApplicationEvent | None:
    query = ApplicationEvent.select().where(
        (ApplicationEvent.application == application)
        & ApplicationEvent.decision_values.is_null(False)
    )
    if status is not None:
        query = query.where(ApplicationEvent.to_status == status)
    return query.order_by(ApplicationEvent.at.desc(), ApplicationEvent.id.desc()).first()


def decision_values(application: Application, status: str | None = None) -> dict[str, Any]:
    """The values the clerk set at the latest decision (to ``status``, if given) of
    ``application``, by field id; empty when there are none."""
    event = _latest(application, status)
    return dict(event.decision_values) if event is not None else {}


def rows(
    definition: ServiceDefinition, status: str, values: dict[str, Any] | None, locale: str
) -> list[dict[str, str]]:
    """Stored values as ``{id, label, value}`` in ``locale``, in the declared order (a
    value whose field a later version dropped is shown under its id)."""
    if not values:
        return []
    declared = {field["id"]: field for field in fields_for(definition, status)}
    shown = [
        {
            "id": field_id,
            "label": fields_of.label(field, locale),
            "value": fields_of.display(field, values[field_id], locale),
        }
        for field_id, field in declared.items()
        if field_id in values
    ]
    shown += [
        {"id": key, "label": key, "value": str(value)}
        for key, value in values.items()
        if key not in declared
    ]
    return shown


def labelled(
    application: Application, locale: str, status: str | None = None
) -> list[dict[str, str]]:
    """The latest decision's values of ``application`` as ``{id, label, value}`` rows in
    ``locale`` (what notices list)."""
    event = _latest(application, status)
    if event is None:
        return []
    definition = definitions.of_application(application)
    return rows(definition, event.to_status, event.decision_values, locale)
