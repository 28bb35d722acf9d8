"""The form fields the parking plugin reads, by the ids the definition gives them.

The definition names them under ``plugin_options.resident_parking.fields`` (checked
against its fields when it loads); a field it does not name keeps the plugin's own name.
"""

from __future__ import annotations

from app.applications import definitions
from app.models import Application
from app.parking import settings
from app.service_definitions import ServiceDefinition, plugins

# The name the check and the rule set are registered under (eligibility).
PLUGIN = "resident_parking"
ROLES = (
    "residence",
    "main_residence",
    "plate",
    "holder",
    "use_proof",
    "more_vehicles",
    "further_plates",
    "further_plate",
    "justification",
    "months",
)


def of_definition(definition: ServiceDefinition) -> dict[str, str]:
    """The definition's field id for each field the plugin reads."""
    return plugins.field_ids(definition, PLUGIN, ROLES)


def of_application(application: Application) -> dict[str, str]:
    """The field ids of the definition version ``application`` was started with."""
    return of_definition(definitions.of_application(application))


def of_service() -> dict[str, str]:
    """The field ids of the newest published version of the service."""
    return of_definition(definitions.definition_of(definitions.published(settings.SERVICE_ID)))
