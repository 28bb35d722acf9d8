"""The retention rule of a service: how many days drafts and closed applications are kept.

The rule is read from the service's *current* definition (its newest version that is
not a draft), not from the version an application was made with: a period the city
corrects (a law changed, a mistake) then applies to every application of the service,
the older ones included. Which statuses close an application is still the application's
own version's business (``candidates``): statuses belong to their workflow.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.applications import definitions
from app.models import ServiceDefinitionRecord
from app.service_definitions import ServiceDefinition

# Days a draft (or an application whose fee never came) is kept after its last change.
DEFAULT_DRAFTS_DAYS = 90
# Days a closed application is kept, by the kind of service (docs/retention.md):
# a municipal tax (its fee is yearly) ten years, § 147 AO via the KAG; anything else
# three years, the regular limitation period of § 195 BGB.
DEFAULT_CLOSED_DAYS = {"tax": 3650, "other": 1095}
# The schema's upper bounds (schema.json), also the builder's.
MAX_DRAFTS_DAYS = 3650
MAX_CLOSED_DAYS = 10950


@dataclass(frozen=True)
class Rule:
    """One service's retention, as its current definition gives it (or the defaults)."""

    service_id: str
    version: int
    title: dict[str, str]
    drafts_days: int
    closed_days: int
    # Which of the two the definition left to the defaults.
    defaulted: tuple[str, ...]


def kind_of(definition: ServiceDefinition) -> str:
    """``tax`` for a service charged yearly (a municipal tax), else ``other``."""
    fees = definition.data.get("fees") or {}
    return "tax" if fees.get("period") == "yearly" else "other"


def rule_of(definition: ServiceDefinition) -> Rule:
    """The retention ``definition`` sets, its gaps filled with the defaults."""
    given = definition.data.get("retention") or {}
    defaults = {
        "drafts_days": DEFAULT_DRAFTS_DAYS,
        "closed_days": DEFAULT_CLOSED_DAYS[kind_of(definition)],
    }
    return Rule(
        service_id=definition.id,
        version=definition.version,
        title=dict(definition.data["title"]),
        drafts_days=int(given.get("drafts_days", defaults["drafts_days"])),
        closed_days=int(given.get("closed_days", defaults["closed_days"])),
        defaulted=tuple(key for key in defaults if key not in given),
    )


def current_rules() -> list[Rule]:
    """The rule of every service (surveys have no applications), by service id: from
    each service's newest published or retired version."""
    newest: dict[str, ServiceDefinitionRecord] = {}
    for record in (
        ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.state != "draft")
        .order_by(ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version)
    ):
        newest[record.service_id] = record
    return [
        rule_of(definitions.definition_of(record))
        for record in newest.values()
        if not definitions.is_survey(record)
    ]
