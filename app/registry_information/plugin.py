"""The simple registry information (einfache Melderegisterauskunft, § 44 BMG).

Rule set ``registry_unique_match``: decided without a clerk when the resident register
finds exactly one person matching the request and no information block stands in the
way; otherwise a clerk decides, with the reason noted on the case. Document generator
``registry_information``: the notice states that person's name and current address.
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.applications import decision_rules, lifecycle
from app.applications.decisions import DocumentGenerator, post_document, render_notice_pdf
from app.applications.decisions import register as register_generator
from app.i18n import translate
from app.models import Application, Document
from app.registry_information import register
from app.service_definitions import ServiceDefinition


def lookup(application: Application) -> tuple[register.Person | None, str | None]:
    """The one person the request finds, or why there is none to state (a reason code)."""
    found = register.active().find(register.Request.from_answers(application.answers))
    if not found:
        return None, "no_match"
    if len(found) > 1:
        return None, "several_matches"
    if found[0].information_block:
        return None, "information_block"
    return found[0], None


class UniqueMatchRule(decision_rules.DecisionRule):
    """Decide automatically on a unique match; else hand over with the reason noted."""

    label: ClassVar[dict[str, str]] = {
        "de": "Melderegisterauskunft: eindeutiger Treffer",
        "en": "Registry information: one clear match",
    }
    description: ClassVar[dict[str, str]] = {
        "de": (
            "Beantwortet die Anfrage sofort, wenn das Melderegister genau eine "
            "Person findet; sonst entscheidet die Sachbearbeitung."
        ),
        "en": (
            "Answers the request at once when the resident register finds exactly "
            "one person; otherwise a clerk decides."
        ),
    }

    def decide(self, application: Application, definition: ServiceDefinition) -> bool:
        person, reason = lookup(application)
        if person is None:
            why = translate(f"registry.review.{reason}", "de")
            note = translate("registry.review.note", "de", reason=why)
            lifecycle.note_for_clerks(application, note)
        return person is not None


class InformationGenerator(DocumentGenerator):
    """The notice with the information: the person's name and current address.

    Without a unique match (a clerk decided after looking further) the notice carries
    the clerk's message instead.
    """

    label: ClassVar[dict[str, str]] = {"de": "Melderegisterauskunft", "en": "Registry information"}
    description: ClassVar[dict[str, str]] = {
        "de": "Die Auskunft aus dem Melderegister als PDF.",
        "en": "The information from the resident register as a PDF.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document:
        text = information_text(application, message)
        return post_document(
            application, document, render_notice_pdf(application, document, status, text)
        )


def information_text(application: Application, message: str) -> str:
    """What the notice states: the person found, else the clerk's ``message``."""
    person, _reason = lookup(application)
    if person is None:
        return message
    return translate(
        "registry.information.found",
        application.user.locale,
        name=person.display_name,
        address=person.display_address,
    )


def register_builtin() -> None:
    """Register rule set ``registry_unique_match`` and generator ``registry_information``.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    decision_rules.register("registry_unique_match")(UniqueMatchRule)
    register_generator("registry_information")(InformationGenerator)
