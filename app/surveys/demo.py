"""The demo city survey: the question a model city asked at its portal's start, published and
with a few answers, so the banner, the survey page and the results can be tried."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from app.applications import definitions
from app.db import db
from app.models import ServiceDefinitionRecord, SurveyResponse
from app.service_definitions import load_definition
from app.surveys import city_today

DEMO_FILE = Path(__file__).parent / "data" / "online_services_survey.yaml"

# Demo answers (first choice, app, wish): enough for results above the threshold.
DEMO_ANSWERS = (
    [("moving", True, "Termine im Bürgerbüro online buchen")] * 6
    + [("id_card", True, "")] * 5
    + [("business", False, "Hundesteuer abmelden")] * 2
    + [("bulky_waste", True, "Sperrmüll mit Wunschtermin")] * 5
    + [("other", False, "Anwohnerparken verlängern")]
)


def seed_demo_survey() -> str:
    """Store and publish the demo survey with its answers if it is missing (safe to run
    again); returns its id."""
    definition = load_definition(DEMO_FILE)
    with db.atomic():
        exists = ServiceDefinitionRecord.get_or_none(
            ServiceDefinitionRecord.service_id == definition.id
        )
        if exists is not None:
            return definition.id
        record = definitions.store_draft(definition, None)
        definitions.publish_draft(record, None)
        today = city_today()
        for number, (choice, app, wish) in enumerate(DEMO_ANSWERS):
            SurveyResponse.create(
                service_id=definition.id,
                version=definition.version,
                day=today - timedelta(days=number % 7),
                answers={"first_choice": choice, "use_app": app, "wishes": wish or None},
            )
    return definition.id
