"""The housing benefit notice (Wohngeldbescheid) as a registered document generator.

Generator ``housing_benefit_notice``: on approval the notice states the monthly amount,
the benefit period and the legal basis, with a Rechtsbehelfsbelehrung that is a
placeholder marked as demo text. Amount and period are what the clerk set at the
decision (the definition's ``decision_fields``: ``monthly_amount_cents``,
``period_from``, ``period_to``), prefilled for the clerk by the proposal
``housing_benefit_estimate`` (``app/wohngeld/proposals.py``). An application of a
definition version that asked the clerk for no values (before version 2) gets the
proposal's figures, as the notice computed them before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from app.applications import definitions
from app.applications.decision_values import decision_values
from app.applications.decisions import DocumentGenerator, post_document, render_notice_pdf
from app.applications.decisions import register as register_generator
from app.i18n import format_day, translate
from app.models import Application, Document
from app.service_definitions.field_types.money import euro
from app.wohngeld.proposals import HousingBenefitEstimate


@dataclass(frozen=True)
class NoticeFigures:
    """What the notice grants."""

    monthly_amount_cents: int
    period_from: date
    period_to: date


def figures(application: Application, status: str = "approved") -> NoticeFigures:
    """Amount and period of the notice for ``application``, decided as ``status``: the
    clerk's values, else (an older definition version) the proposal's."""
    values = decision_values(application, status)
    if not values:
        definition = definitions.of_application(application)
        values = HousingBenefitEstimate().propose(application, definition, status)
    return NoticeFigures(
        int(values.get("monthly_amount_cents") or 0),
        date.fromisoformat(values["period_from"]),
        date.fromisoformat(values["period_to"]),
    )


def notice_text(application: Application, message: str, locale: str, status: str) -> str:
    """The notice's body: the clerk's message, the grant, legal basis and remedy notice."""
    granted = figures(application, status)
    parts = [
        message.strip(),
        translate(
            "wohngeld.notice.grant",
            locale,
            amount=euro(granted.monthly_amount_cents, locale),
            start=format_day(granted.period_from, locale),
            end=format_day(granted.period_to, locale),
        ),
        translate("wohngeld.notice.legal_basis", locale),
        translate("wohngeld.notice.remedy_demo", locale),
    ]
    return "\n\n".join(part for part in parts if part)


class HousingBenefitNoticeGenerator(DocumentGenerator):
    """The Wohngeldbescheid as PDF: amount, period, legal basis, remedy notice."""

    label: ClassVar[dict[str, str]] = {"de": "Wohngeldbescheid", "en": "Housing benefit notice"}
    description: ClassVar[dict[str, str]] = {
        "de": "Bescheid mit Wohngeld im Monat, Bewilligungszeitraum und Rechtsgrundlage.",
        "en": "Notice with the monthly housing benefit, the benefit period and the legal basis.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document:
        text = notice_text(application, message, application.user.locale, status)
        # The grant is the notice's text; the generic list of decision values would say
        # the same twice.
        pdf = render_notice_pdf(application, document, status, text, with_values=False)
        return post_document(application, document, pdf)


def register_builtin() -> None:
    """Register the document generator ``housing_benefit_notice`` (idempotent)."""
    register_generator("housing_benefit_notice")(HousingBenefitNoticeGenerator)
