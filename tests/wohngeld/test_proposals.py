"""The Wohngeldbescheid's figures and text (app/wohngeld/notice.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.wohngeld.estimate import Household, Income, estimate
from app.wohngeld.notice import figures, household_from_answers, notice_text, period_for

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


def test_notice_states_amount_period_basis_and_demo_remedy(app):
    application = SimpleNamespace(
        answers=ANSWERS, submitted_at=datetime(2025, 3, 17, 9, 0, tzinfo=UTC)
    )
    expected = estimate(Household(2, Decimal(610), 3, (Income("employment", Decimal(1650)),)))
    assert figures(application).monthly_amount == expected.monthly_amount > 0
    with app.app_context():
        text = notice_text(application, "Guten Tag,", "de")
    assert text.startswith("Guten Tag,")
    assert f"{expected.monthly_amount} Euro im Monat" in text
    assert "vom 01.03.2025 bis zum 28.02.2026" in text
    assert "Wohngeldgesetzes" in text
    assert "DEMO-PLATZHALTER" in text
