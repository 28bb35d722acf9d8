"""What the clerk's approval of a housing benefit application starts with
(app/wohngeld/proposals.py): amount by § 19 WoGG, twelve months from the month of
application."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.service_definitions import load_builtin
from app.wohngeld.estimate import Household, Income, estimate
from app.wohngeld.proposals import HousingBenefitEstimate, household_from_answers, period_for

ANSWERS = {
    "subsidy_kind": "rent",
    "household_members": [{"member_name": "Mia", "member_birth_date": "2016-02-11"}],
    "incomes": [{"income_kind": "employment", "income_monthly": 1650}],
    "rent_monthly": 610,
}


@pytest.mark.parametrize(
    ("applied", "start", "end"),
    [
        (date(2025, 3, 17), date(2025, 3, 1), date(2026, 2, 28)),
        (date(2027, 3, 1), date(2027, 3, 1), date(2028, 2, 29)),
        (date(2025, 1, 31), date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 12, 2), date(2025, 12, 1), date(2026, 11, 30)),
    ],
)
def test_period_from_the_first_of_the_month_for_twelve_months(applied, start, end):
    """§ 25 Abs. 2 WoGG: from the first of the month of application; 12 months."""
    assert period_for(applied) == (start, end)


def test_household_from_answers_for_tenants_and_owners():
    household = household_from_answers(ANSWERS)
    assert household.members == 2
    assert household.rent_or_burden == Decimal(610)
    assert household.incomes == (Income("employment", Decimal(1650)),)
    owner = household_from_answers({**ANSWERS, "subsidy_kind": "burden", "burden_monthly": 480})
    assert owner.rent_or_burden == Decimal(480)


@pytest.fixture
def definition(app):
    return load_builtin()["housing_benefit"]


def _application(answers):
    return SimpleNamespace(answers=answers, submitted_at=datetime(2025, 3, 17, 9, 0, tzinfo=UTC))


def test_an_approval_is_proposed_amount_and_period(app, definition):
    expected = estimate(Household(2, Decimal(610), 3, (Income("employment", Decimal(1650)),)))
    assert expected.monthly_amount > 0
    with app.app_context():
        found = HousingBenefitEstimate().propose(_application(ANSWERS), definition, "approved")
    assert found == {
        "monthly_amount_cents": expected.monthly_amount * 100,
        "period_from": "2025-03-01",
        "period_to": "2026-02-28",
    }


@pytest.mark.parametrize(
    ("answers", "status", "expected_keys"),
    [
        # A rejection has nothing to propose.
        (ANSWERS, "rejected", set()),
        # Thirteen members: beyond the tables' twelve, § 19 Abs. 3 adds per member.
        (
            {**ANSWERS, "household_members": [{"member_name": str(n)} for n in range(12)]},
            "approved",
            {"monthly_amount_cents", "period_from", "period_to"},
        ),
        # Not entitled (high income): no amount is proposed either.
        (
            {**ANSWERS, "incomes": [{"income_kind": "employment", "income_monthly": 9000}]},
            "approved",
            {"period_from", "period_to"},
        ),
    ],
)
def test_what_cannot_be_proposed_is_left_out(app, definition, answers, status, expected_keys):
    with app.app_context():
        found = HousingBenefitEstimate().propose(_application(answers), definition, status)
    assert set(found) == expected_keys
