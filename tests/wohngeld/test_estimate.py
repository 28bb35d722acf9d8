"""Table tests of the housing benefit estimate (app/wohngeld).

Every expected figure names where it comes from. Where the source gives inputs but the
available text of it ends before the result, the docstring says so.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.wohngeld import parameters
from app.wohngeld.estimate import (
    Household,
    Income,
    benefit_formula,
    estimate,
    monthly_total_income,
    round_to_euro,
)

P = parameters.current()


def test_formula_steps_of_the_administrative_example():
    """WoGVwV 19.01 (Verwaltungsvorschrift zu § 19 WoGG, example for two members).

    Inputs from the example: M = 394.87, Y = 837.39, a = 0.03, b = 0.00044,
    c = 0.000103 (the a, b, c of the WoGG before 2020), factor 1.15. The published text
    available to us ends after the inputs; z1..z4 below follow Anlage 3 Nr. 2 (ten
    decimal places) by hand: z1 = 0.03 + 0.00044·394.87 + 0.000103·837.39.
    """
    z4 = benefit_formula(
        Decimal("394.87"),
        Decimal("837.39"),
        Decimal("0.03"),
        Decimal("0.00044"),
        Decimal("0.000103"),
        Decimal("1.15"),
    )
    assert z4 == Decimal("174.8367418810")
    assert round_to_euro(z4) == 175


@pytest.mark.parametrize(
    ("amount", "euros"),
    [("174.49", 174), ("174.50", 175), ("174.4999999999", 174), ("9.50", 10)],
)
def test_rounding_of_anlage_3_nr_3(amount, euros):
    """Anlage 3 Nr. 3 WoGG: below 0.50 € down, from 0.50 € up."""
    assert round_to_euro(Decimal(amount)) == euros


@pytest.mark.parametrize(
    ("members", "stufe", "ceiling"),
    [
        (1, 1, 361),
        (1, 3, 456),
        (2, 3, 551),
        (4, 7, 1139),
        (5, 4, 982),
        (6, 3, 875 + 106),
        (7, 1, 694 + 2 * 82),
    ],
)
def test_ceilings_of_anlage_1(members, stufe, ceiling):
    """Anlage 1 WoGG in the version of the 2. WoGFV (BGBl. 2024 I Nr. 314), from 2025."""
    assert P.ceiling(members, stufe) == Decimal(ceiling)


@pytest.mark.parametrize(
    ("stufe", "highest"),
    [(1, "490.60"), (3, "585.60"), (7, "806.60")],
)
def test_highest_rent_considered_for_one_person(stufe, highest):
    """wohngeld.org, "Wohngeld Höchstbeträge 2025/2026", table for one person:
    Grundbetrag + Heizkostenzuschlag 110.40 + Klimazuschlag 19.20 = 490.60 (Stufe 1),
    585.60 (Stufe 3), 806.60 (Stufe 7). A rent far above the ceiling gives this M.
    """
    result = estimate(Household(members=1, rent_or_burden=Decimal("2000"), mietstufe=stufe))
    assert result.m == Decimal(highest)
    assert "ceiling_applied" in result.notes


def test_heating_relief_and_climate_component():
    """§ 12 Abs. 6 and 7 WoGG: 96 + 14.40 = 110.40 € for one member, permanent part
    124 € for two and +24 € each further member; climate 19.20, 24.80, +4.80."""
    assert P.heating_relief(1) == Decimal("110.40")
    assert P.heating_relief(2) == Decimal("124.00")
    assert P.heating_relief(4) == Decimal("172.00")
    assert P.climate_component(1) == Decimal("19.20")
    assert P.climate_component(3) == Decimal("29.60")


def test_income_deductions_of_section_16():
    """§ 16 Abs. 1 WoGG 10 % per kind; § 9a EStG 1,230 € a year for employees:
    (2,000 · 12 − 1,230) · 0.70 / 12 = 1,328.25."""
    household = Household(
        members=1,
        rent_or_burden=Decimal(500),
        mietstufe=3,
        incomes=(Income("employment", Decimal(2000)),),
    )
    assert monthly_total_income(household, P) == Decimal("1328.25")


def test_pension_with_health_insurance_only():
    """§ 9a Nr. 3 EStG 102 € a year; one deduction of 10 %: (1,000·12 − 102)·0.9/12."""
    household = Household(1, Decimal(400), 3, (Income("pension", Decimal(1000)),))
    assert monthly_total_income(household, P) == Decimal("892.35")


def test_allowances_reduce_income():
    """§ 17 WoGG allowances the citizen states are taken off the yearly income."""
    household = Household(1, Decimal(400), 3, (Income("other", Decimal(1000)),), Decimal(1200))
    assert monthly_total_income(household, P) == Decimal("900.00")


def test_minimum_values_replace_low_income():
    """Anlage 3 Nr. 1: a Y below the table value is replaced by it."""
    result = estimate(Household(1, Decimal(300), 3, ()))
    assert result.y == P.minimum_y[1]
    assert result.total_income_monthly == Decimal("0.00")


def test_below_ten_euros_is_no_entitlement():
    """§ 21 Nr. 1 WoGG: no entitlement below 10 € a month."""
    result = estimate(Household(1, Decimal(300), 3, (Income("other", Decimal(3000)),)))
    assert result.entitled is False
    assert result.monthly_amount == 0
    assert "below_minimum" in result.notes


def test_more_income_never_raises_the_benefit():
    """The formula falls with income (for fixed rent): a property any table must keep."""
    amounts = [
        estimate(Household(2, Decimal(600), 3, (Income("other", Decimal(x)),))).monthly_amount
        for x in range(800, 2600, 100)
    ]
    assert amounts == sorted(amounts, reverse=True)
    assert amounts[0] > 0


def test_household_size_outside_the_tables_is_refused():
    with pytest.raises(ValueError, match="members"):
        estimate(Household(P.max_members + 1, Decimal(600), 3))
    with pytest.raises(ValueError, match="mietstufe"):
        estimate(Household(2, Decimal(600), 8))


def test_malformed_parameter_file_fails_at_load():
    import yaml

    data = yaml.safe_load(parameters.PARAMETER_FILE.read_text(encoding="utf-8"))
    data["ceilings"]["by_members"][1] = [1, 2, 3]
    with pytest.raises(ValueError, match="seven"):
        parameters.parse(data)
