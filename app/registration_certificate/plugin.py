"""The registration certificate (Meldebescheinigung): issued at once when the form holds
exactly the data the online ID card confirmed; anything else goes to a clerk.

The PDF's template is ``registration_certificate.html`` among the engine's document
templates, so it shares their layout.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from app import pdf
from app.applications import decision_rules
from app.applications.decisions import DocumentGenerator, post_document
from app.applications.decisions import register as register_generator
from app.applications.receipts import local_time, render_template
from app.applications.references import display
from app.db import utcnow
from app.eid import binding
from app.i18n import Text
from app.models import Application, Document
from app.service_definitions import ServiceDefinition, find_address

_NAME_FIELDS = {"given_names": "given_names", "family_name": "family_name"}
_ADDRESS_FIELDS = ("street", "house_number", "postal_code", "city")


def _same(a: str, b: str) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def _matches_verified(application: Application) -> bool:
    """True when every stated detail equals what the citizen's ID card says.

    Compared with the card's data as read (kept on the eID binding), so the outcome
    does not depend on which of the card's values the citizen took into the profile.
    """
    if application.user.trust_level != "high":
        return False
    card = binding.verified_data(application.user)
    needed = [*_NAME_FIELDS.values(), "date_of_birth", *_ADDRESS_FIELDS]
    if card is None or any(not card.get(name) for name in needed):
        return False
    answers = application.answers
    if not all(_same(answers.get(field), card[name]) for field, name in _NAME_FIELDS.items()):
        return False
    if answers.get("birth_date") != card["date_of_birth"].isoformat():
        return False
    # The card writes "KAISERPLATZ"; the directory says "Kaiserplatz": compare the places.
    stated = answers.get("address") or {}
    verified = find_address(card["street"], card["house_number"])
    return (
        verified is not None
        and _same(stated.get("street"), verified.street)
        and _same(stated.get("house_number"), verified.house_number)
    )


class VerifiedDataRule(decision_rules.DecisionRule):
    """Issue automatically: a simple certificate whose data the eID confirmed."""

    label: ClassVar[dict[str, str]] = {
        "de": "Meldebescheinigung: mit Online-Ausweis",
        "en": "Registration certificate: with the online ID",
    }
    description: ClassVar[dict[str, str]] = {
        "de": "Stellt die Bescheinigung sofort aus, wenn die Daten aus dem Online-Ausweis stammen.",
        "en": "Issues the certificate at once when the data comes from the online ID card.",
    }

    def decide(self, application: Application, definition: ServiceDefinition) -> bool:
        return application.answers.get("kind") == "simple" and _matches_verified(application)


class CertificateGenerator(DocumentGenerator):
    """Render the certificate from the application's (verified) answers into the inbox."""

    label: ClassVar[dict[str, str]] = {"de": "Meldebescheinigung", "en": "Registration certificate"}
    description: ClassVar[dict[str, str]] = {
        "de": "Die Meldebescheinigung als PDF mit den Daten aus dem Melderegister.",
        "en": "The registration certificate as a PDF with the data from the resident register.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document:
        return _issue(application, document)


def _issue(application: Application, document: dict[str, Any]) -> Document:
    locale = application.user.locale
    answers = application.answers
    address = answers.get("address") or {}
    html = render_template(
        "registration_certificate.html",
        locale,
        reference=display(application.reference),
        family_name=answers.get("family_name", ""),
        given_names=answers.get("given_names", ""),
        birth_date=date.fromisoformat(answers["birth_date"]).strftime("%d.%m.%Y"),
        address=f"{address.get('street', '')} {address.get('house_number', '')}, "
        f"{address.get('postal_code', '')} {address.get('city', '')}",
        date=local_time(utcnow()).strftime("%d.%m.%Y"),
    )
    return post_document(
        application,
        document,
        pdf.write_pdf(html),
        filename=f"Meldebescheinigung-{application.reference}.pdf",
        title=Text("certificates.registration.title"),
    )


def register_builtin() -> None:
    """Register rule set and generator ``registration_certificate``.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    decision_rules.register("registration_certificate")(VerifiedDataRule)
    register_generator("registration_certificate")(CertificateGenerator)
