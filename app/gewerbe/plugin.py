"""The business services' plugins: register updates, the simple register information.

Generators ``business_register_entry``, ``business_register_change`` and
``business_register_closing``: on a positive decision of a registration, change or
closing they update the trade register (``register.py``) and issue the
acknowledgement, which names the register number. Rule set ``business_register_match``
and generator ``business_information``: the simple register information (§ 14 Abs. 5
Satz 1 GewO) is answered without a clerk when the register finds exactly one active
business; otherwise a clerk decides, with the reason noted on the case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from app.applications import decision_rules, lifecycle
from app.applications.decisions import DocumentGenerator, post_document, render_notice_pdf
from app.applications.decisions import register as register_generator
from app.gewerbe import register
from app.i18n import translate
from app.models import Application, BusinessRegisterEntry, Document
from app.service_definitions import ServiceDefinition


class RegisterGenerator(DocumentGenerator):
    """Update the trade register, then issue the acknowledgement with its number."""

    label: ClassVar[dict[str, str]] = {"de": "Gewerberegister", "en": "Trade register"}
    description: ClassVar[dict[str, str]] = {
        "de": "Trägt die Gewerbeanzeige ins Gewerberegister ein und stellt die "
        "Empfangsbestätigung aus.",
        "en": "Enters the trade notification in the trade register and issues the acknowledgement.",
    }
    record: ClassVar[Callable[[Application], BusinessRegisterEntry]]

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document:
        entry = type(self).record(application)
        note = translate("gewerbe.register.number", application.user.locale, number=entry.number)
        text = f"{message}\n\n{note}" if message else note
        return post_document(
            application, document, render_notice_pdf(application, document, status, text)
        )


class EntryGenerator(RegisterGenerator):
    """A registration (Anmeldung) enters the business."""

    record = staticmethod(register.record_registration)


class ChangeGenerator(RegisterGenerator):
    """A change (Ummeldung) updates the business's address or activity."""

    record = staticmethod(register.record_change)


class ClosingGenerator(RegisterGenerator):
    """A closing (Abmeldung) closes the business's entry."""

    record = staticmethod(register.record_closing)


def _request(answers: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return answers.get("query_name", ""), answers.get("query_address") or {}


def lookup(application: Application) -> tuple[register.Business | None, str | None]:
    """The one business the request finds, or why there is none (a reason code)."""
    found = register.find(*_request(application.answers))
    if not found:
        return None, "no_match"
    if len(found) > 1:
        return None, "several_matches"
    return found[0], None


class UniqueBusinessRule(decision_rules.DecisionRule):
    """Answer at once on one clear match; else hand over with the reason noted."""

    label: ClassVar[dict[str, str]] = {
        "de": "Gewerberegisterauskunft: eindeutiger Treffer",
        "en": "Trade register information: one clear match",
    }
    description: ClassVar[dict[str, str]] = {
        "de": "Beantwortet die Anfrage sofort, wenn das Gewerberegister genau einen "
        "Betrieb findet; sonst entscheidet die Sachbearbeitung.",
        "en": "Answers the request at once when the trade register finds exactly one "
        "business; otherwise a clerk decides.",
    }

    def decide(self, application: Application, definition: ServiceDefinition) -> bool:
        business, reason = lookup(application)
        if business is None:
            why = translate(f"gewerbe.review.{reason}", "de")
            note = translate("gewerbe.review.note", "de", reason=why)
            lifecycle.note_for_clerks(application, note)
        return business is not None


def information_text(application: Application, message: str) -> str:
    """What the information states (§ 14 Abs. 5 Satz 1 GewO: name, business address,
    notified activity), else the clerk's ``message``."""
    business, _reason = lookup(application)
    if business is None:
        return message
    return translate(
        "gewerbe.information.found",
        application.user.locale,
        name=business.display_name,
        address=business.display_address,
        activity=business.activity,
    )


class InformationGenerator(DocumentGenerator):
    """The simple register information as a PDF notice."""

    label: ClassVar[dict[str, str]] = {
        "de": "Gewerberegisterauskunft",
        "en": "Trade register information",
    }
    description: ClassVar[dict[str, str]] = {
        "de": "Name, betriebliche Anschrift und Tätigkeit eines Betriebs als PDF.",
        "en": "Name, business address and activity of a business as a PDF.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document:
        text = information_text(application, message)
        return post_document(
            application, document, render_notice_pdf(application, document, status, text)
        )


def register_builtin() -> None:
    """Register the business services' generators and rule set.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    register_generator("business_register_entry")(EntryGenerator)
    register_generator("business_register_change")(ChangeGenerator)
    register_generator("business_register_closing")(ClosingGenerator)
    register_generator("business_information")(InformationGenerator)
    decision_rules.register("business_register_match")(UniqueBusinessRule)
