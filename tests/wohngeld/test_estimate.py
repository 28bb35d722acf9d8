"""Table tests of the housing benefit estimate (app/wohngeld).

Every expected figure names where it comes from. Published worked examples come first
(BMWSB's eleven examples for 2025, a Land's example for fourteen members); figures the
project computed by hand from the law are marked "own calculation".
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

# BMWSB, "Beispiele für die Berechnung des Wohngelds", Stand 1. Januar 2025 (linked from
# the ministry's Wohngeldrechner page):
# https://www.bmwsb.bund.de/SharedDocs/downloads/DE/veroeffentlichungen/wohnen/wohngeld-2025/rechenbeispiele-2025.pdf
# Each example gives household, Mietenstufe (from the place named), rent or burden and
# incomes, then the total income Y, the rent considered M and the monthly benefit. The
# figures were taken from a published transcription of the PDF (the PDF itself could
# not be opened here); every one of them is reproduced below to the cent. Example 10
# (a member excluded under § 11 Abs. 3) is in the next test.
BMWSB_2025 = [
    pytest.param(
        Household(1, Decimal(335), 1, (Income("pension", Decimal(1300)),)),
        "1162.35",
        "445.40",
        110,
        id="1-pensioner-Jueterbog-I",
    ),
    pytest.param(
        Household(1, Decimal(470), 4, (Income("unemployment_benefit", Decimal(1350)),)),
        "1350.00",
        "580.40",
        88,
        id="2-unemployment-benefit-Ludwigshafen-IV",
    ),
    pytest.param(
        Household(
            2,
            Decimal(480),
            2,
            (Income("pension", Decimal(1410)), Income("pension", Decimal(540))),
            Decimal(1800),  # § 17 Nr. 1: severely disabled member, 1,800 € a year
        ),
        "1589.70",
        "622.60",
        166,
        id="3-pensioner-couple-Leipzig-II",
    ),
    pytest.param(
        Household(3, Decimal(750), 1, (Income("employment", Decimal(2150), taxes=False),)),
        "1638.00",
        "720.80",
        320,
        id="4-owners-burden-capped-Schleswig-Flensburg-I",
    ),
    pytest.param(
        Household(
            3,
            Decimal(700),
            6,
            (
                Income("employment", Decimal(1530), taxes=False),
                Income("maintenance", Decimal(696)),  # Unterhaltsvorschuss, no deduction
            ),
            Decimal(1320),  # § 17 Nr. 3: single parent, 1,320 € a year
        ),
        "1728.00",
        "870.20",
        372,
        id="5-single-parent-Wiesbaden-VI",
    ),
    pytest.param(
        Household(
            4,
            Decimal(1225),
            7,
            (
                Income("employment", Decimal(2490)),
                Income("other", Decimal(556)),  # flat-taxed mini job, no deduction
            ),
        ),
        "2227.25",
        "1371.20",
        691,
        id="6-family-rent-capped-Muenchen-VII",
    ),
    pytest.param(
        Household(4, Decimal(580), 3, (Income("employment", Decimal(2240), taxes=False),)),
        "1710.00",
        "777.80",
        485,
        id="7-family-Weimar-III",
    ),
    pytest.param(
        Household(
            5,
            Decimal(870),
            5,
            (Income("employment", Decimal(2750)), Income("other", Decimal(60))),
            Decimal(720),  # § 17 Nr. 4: the child's earnings, 60 € a month
        ),
        "1853.25",
        "1095.40",
        747,
        id="8-family-of-five-Friedrichshafen-V",
    ),
    pytest.param(
        Household(
            6,
            Decimal(780),
            2,
            (Income("employment", Decimal(4000)), Income("pension", Decimal(645))),
        ),
        "3301.10",
        "1033.00",
        343,
        id="9-six-members-Attendorn-II",
    ),
    pytest.param(
        Household(
            1,
            Decimal(345),
            2,
            (Income("pension", Decimal(945)),),
            Decimal("3378"),  # § 17a: Grundrente allowance, 281.50 € a month
        ),
        "561.35",
        "455.40",
        342,
        id="11-owner-with-Grundrente-Neubrandenburg-II",
    ),
]


@pytest.mark.parametrize(("household", "y", "m", "benefit"), BMWSB_2025)
def test_published_examples_of_the_ministry(household, y, m, benefit):
    """BMWSB's worked examples for 2025 (source above): Y and M to the cent, the benefit
    to the euro."""
    result = estimate(household)
    assert result.y == Decimal(y)
    assert result.m == Decimal(m)
    assert result.monthly_amount == benefit
    assert result.entitled


def test_published_example_with_an_excluded_member():
    """BMWSB example 10 (same source): a pensioner in Lübeck (IV) lives with his son, who
    is excluded (§ 11 Abs. 3); only half of rent, ceiling and components count. The
    example gives M = 356.30 and Y = 784.35 for one member counted and 191 euros. The
    estimate does not model excluded members, so this checks the formula step."""
    values = P.formula_values[1]
    z4 = benefit_formula(
        Decimal("356.30"), Decimal("784.35"), values.a, values.b, values.c, P.factor
    )
    assert round_to_euro(z4) == 191


def test_published_example_of_fourteen_members():
    """A Land's note on WoGVwV Nr. 19.31 for 2025 ("Hinweise … mehr als 12
    Haushaltsmitglieder", 2 December 2024, published by tacheles-sozialhilfe.de as
    files/Weisungen/WoGG/241202-hinweise-wogmehrals12hmer_geschwaerzt.pdf; the issuing
    authority is blacked out). 14 members, Mietenstufe III, rent 1,600 €, Y = 4,688.25 €:
    values for 12 members, M = 1,600 + 418.60 = 2,018.60, z1 = 0.207069345,
    z4 = 1,204.9782147994 → 1,205 €, plus 2 · 65 € (§ 19 Abs. 3) = 1,335 €.

    The note prints z4 with its last digit 4; computed half-up at every step it ends in
    3 (the note's own z2 and z3 do not follow one rounding rule either). Anlage 3 only
    says "Festkommazahlen mit zehn Nachkommastellen"; the euro amount is the same.
    """
    household = Household(14, Decimal(1600), 3, (Income("other", Decimal("4688.25")),))
    result = estimate(household)
    assert result.ceiling + result.climate_component == Decimal("1689.80")
    assert result.m == Decimal("2018.60")
    assert result.y == Decimal("4688.25")
    values = P.formula_values[12]
    assert values.a + values.b * result.m + values.c * result.y == Decimal("0.207069345")
    assert abs(result.unrounded - Decimal("1204.9782147994")) <= Decimal("0.0000000001")
    assert result.monthly_amount == 1335
    assert "members_beyond_twelve" in result.notes


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


@pytest.mark.parametrize(
    ("members", "heating", "climate"),
    [
        (1, "110.40", "19.20"),
        (2, "142.60", "24.80"),
        (3, "170.20", "29.60"),
        (4, "197.80", "34.40"),
        (5, "225.40", "39.20"),
        (6, "253.00", "44.00"),
        (12, "418.60", "72.80"),
    ],
)
def test_heating_relief_and_climate_component(members, heating, climate):
    """§ 12 Abs. 6 WoGG (CO2 part plus permanent component) and Abs. 7.

    1–5 members: the totals of § 12 Abs. 6 (110.40 … 225.40) and the climate amounts of
    Abs. 7. 6 members: BMWSB example 9 (heating 253.00, climate 44). 12 members: the
    Land's example for WoGVwV Nr. 19.31 (225.40 + 7 · 27.60 = 418.60; 39.20 + 7 · 4.80 =
    72.80).
    """
    assert P.heating_relief(members) == Decimal(heating)
    assert P.climate_component(members) == Decimal(climate)


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


@pytest.mark.parametrize(("members", "benefit"), [(12, 1286), (13, 1286 + 65), (15, 1418)])
def test_amount_per_member_beyond_twelve_up_to_the_rent(members, benefit):
    """§ 19 Abs. 3 WoGG, own calculation: rent 1,000 €, no income, Mietenstufe III.
    Values for 12 members: M* = 1,000 + 418.60 = 1,418.60, Y = 2,943 (minimum value);
    z1 = −0.12 + 0.0001107 · 1,418.60 + 0.0000221 · 2,943 = 0.10207932, z2 = 300.41943876,
    z3 = 1,118.18056124, z4 = 1,285.907645426 → 1,286 €. 13 members: +65 €.
    15 members: 1,286 + 195 = 1,481 € exceeds M*, so the benefit stops at M* (whole
    euros, rounded down: 1,418 €)."""
    result = estimate(Household(members, Decimal(1000), 3))
    assert result.m == Decimal("1418.60")
    assert result.monthly_amount == benefit


def test_invalid_household_is_refused():
    with pytest.raises(ValueError, match="members"):
        estimate(Household(0, Decimal(600), 3))
    with pytest.raises(ValueError, match="mietstufe"):
        estimate(Household(2, Decimal(600), 8))


def _drop(path: tuple, key):
    def mutate(data):
        table = data
        for part in path:
            table = table[part]
        del table[key]

    return mutate


def _short_ceiling_row(data):
    data["ceilings"]["by_members"][1] = [1, 2, 3]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(_short_ceiling_row, "seven", id="ceiling-row-short"),
        pytest.param(_drop(("ceilings", "by_members"), 5), "1 to 5", id="ceiling-row-missing"),
        pytest.param(_drop(("formula_values", "by_members"), 7), "formula values", id="abc-gap"),
        pytest.param(
            _drop(("minimum_values", "by_members"), 12), "minimum values", id="minimum-missing"
        ),
        pytest.param(_drop(("heating_relief", "co2"), 3), "staggered", id="heating-co2-gap"),
        pytest.param(
            _drop(("climate_component", "amounts"), "each_further_member"),
            "each_further_member",
            id="climate-without-further-amount",
        ),
        pytest.param(
            _drop((), "per_member_beyond_twelve"), "per_member_beyond_twelve", id="no-19-3"
        ),
    ],
)
def test_malformed_parameter_file_fails_at_load(mutate, message):
    import yaml

    data = yaml.safe_load(parameters.PARAMETER_FILE.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises((ValueError, KeyError), match=message):
        parameters.parse(data)
