"""The housing benefit notice (Wohngeldbescheid) as a registered document generator.

Generator ``housing_benefit_notice``: on approval the notice states the monthly amount,
the benefit period and the legal basis, with a Rechtsbehelfsbelehrung that is a
placeholder marked as demo text. The amount is § 19 WoGG applied to the application's
data as the clerk accepted it (``app/wohngeld/estimate.py``; a clerk who corrects data
asks the citizen to correct the application first). The period begins on the first
day of the month in which the application was made (§ 25 Abs. 2 WoGG) and runs twelve
months (the usual period, § 25 Abs. 1 WoGG).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from app.applications.decisions import DocumentGenerator, post_document, render_notice_pdf
from app.applications.decisions import register as register_generator
from app.applications.receipts import local_time
from app.i18n import format_day, translate
from app.models import Application, Document
from app.wohngeld import settings
from app.wohngeld.estimate import INCOME_KINDS, Household, Income, estimate

PERIOD_MONTHS = 12


@dataclass(frozen=True)
class NoticeFigures:
    """What the notice grants."""

    monthly_amount: int
    period_from: date
    period_to: date


def household_from_answers(answers: dict[str, Any]) -> Household:
    """The estimate's household from stored application answers."""
    incomes = tuple(
        Income(
            kind=item["income_kind"] if item.get("income_kind") in INCOME_KINDS else "other",
            monthly_amount=Decimal(str(item.get("income_monthly") or 0)),
        )
        for item in answers.get("incomes") or []
    )
    cost = answers.get("rent_monthly")
    if answers.get("subsidy_kind") == "burden":
        cost = answers.get("burden_monthly")
    return Household(
        members=1 + len(answers.get("household_members") or []),
        rent_or_burden=Decimal(str(cost or 0)),
        mietstufe=settings.mietstufe(),
        incomes=incomes,
    )


def period_for(applied_on: date, months: int = PERIOD_MONTHS) -> tuple[date, date]:
    """From the first of the month of application, ``months`` whole months."""
    start = applied_on.replace(day=1)
    last_month = start.month - 1 + months - 1
    year, month = start.year + last_month // 12, last_month % 12 + 1
    return start, date(year, month, calendar.monthrange(year, month)[1])


def figures(application: Application) -> NoticeFigures:
    """Amount and period of the notice for ``application``."""
    result = estimate(household_from_answers(application.answers))
    applied = local_time(application.submitted_at).date()
    start, end = period_for(applied)
    return NoticeFigures(result.monthly_amount, start, end)


def notice_text(application: Application, message: str, locale: str) -> str:
    """The notice's body: the clerk's message, the grant, legal basis and remedy notice."""
    granted = figures(application)
    parts = [
        message.strip(),
        translate(
            "wohngeld.notice.grant",
            locale,
            amount=granted.monthly_amount,
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
        text = notice_text(application, message, application.user.locale)
        return post_document(
            application, document, render_notice_pdf(application, document, status, text)
        )


def register_builtin() -> None:
    """Register the document generator ``housing_benefit_notice`` (idempotent)."""
    register_generator("housing_benefit_notice")(HousingBenefitNoticeGenerator)
