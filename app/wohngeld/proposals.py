"""Decision proposal ``housing_benefit_estimate``: what the clerk's approval starts with.

The monthly amount is § 19 WoGG applied to the application's data
(``app/wohngeld/estimate.py``: household size = applicant + listed members, the listed
incomes, the rent or burden, the city's Mietstufe); the period begins on the first day
of the month in which the application was submitted (§ 25 Abs. 2 WoGG) and runs twelve
months (the usual period, § 25 Abs. 1 WoGG). The clerk checks both and may change them;
the notice states what the clerk decided.

Field ids it fills: ``monthly_amount_cents`` (money), ``period_from`` and ``period_to``
(dates); the definition names them in ``decision_fields`` of its positive decision.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from app.applications.decision_values import DecisionProposal
from app.applications.decision_values import register as register_proposal
from app.applications.receipts import local_time
from app.models import Application
from app.service_definitions import ServiceDefinition, workflow
from app.wohngeld import settings
from app.wohngeld.estimate import INCOME_KINDS, Household, Income, estimate

PERIOD_MONTHS = 12


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


def monthly_amount(answers: dict[str, Any]) -> int:
    """§ 19 WoGG in whole euros for the answers (0 when not entitled). The tables cover
    every household size; a Mietenstufe outside 1–7 is a configuration error and
    raises."""
    return estimate(household_from_answers(answers)).monthly_amount


class HousingBenefitEstimate(DecisionProposal):
    """Amount by § 19 WoGG and the usual twelve-month period, for the clerk to check."""

    label: ClassVar[dict[str, str]] = {
        "de": "Wohngeld nach § 19 WoGG",
        "en": "Housing benefit by § 19 WoGG",
    }
    description: ClassVar[dict[str, str]] = {
        "de": (
            "Schlägt den Betrag im Monat nach den Angaben im Antrag und den "
            "Bewilligungszeitraum (zwölf Monate ab dem Antragsmonat) vor."
        ),
        "en": (
            "Proposes the monthly amount from the application's data and the benefit "
            "period (twelve months from the month of application)."
        ),
    }

    def propose(
        self, application: Application, definition: ServiceDefinition, status: str
    ) -> dict[str, Any]:
        """Amount and period for a positive decision; nothing for any other status."""
        if workflow.decision_of(definition, status) != "positive":
            return {}
        found: dict[str, Any] = {}
        amount = monthly_amount(application.answers or {})
        if amount:
            found["monthly_amount_cents"] = amount * 100
        if application.submitted_at is not None:
            start, end = period_for(local_time(application.submitted_at).date())
            found["period_from"] = start.isoformat()
            found["period_to"] = end.isoformat()
        return found


def register_builtin() -> None:
    """Register the decision proposal ``housing_benefit_estimate`` (idempotent)."""
    register_proposal("housing_benefit_estimate")(HousingBenefitEstimate)
