"""The non-binding housing benefit estimate: §§ 12, 14–16, 19 and 21 WoGG, simplified.

Steps, in the order the law gives them:

1. Income (§§ 14–16): per income, the yearly amount (monthly × 12) minus the flat
   allowance for income-related expenses of § 9a EStG where it applies (employment,
   pensions), minus 10 % for each of taxes, health/care and pension contributions
   paid on it (§ 16 Abs. 1); minus the yearly allowances of § 17 the citizen states;
   divided by 12 gives the monthly total income Y.
2. Rent or burden (§ 12): the monthly rent without heating (Bruttokaltmiete) or the
   burden, capped at the ceiling of Anlage 1 raised by the climate component
   (§ 12 Abs. 7), plus the heating-cost relief (§ 12 Abs. 6), gives M.
3. Anlage 3: M and Y below the table values are replaced by them; the formula of
   § 19 Abs. 1 is computed in four steps with ten decimal places; the result is rounded
   to whole euros, half up.
4. § 19 Abs. 3: a household of more than twelve members is computed with every value
   for twelve (ceiling, components, minimum values, a, b, c), then a fixed amount per
   further member is added, at most up to M*.
5. § 21 Nr. 1: below 10 euros a month there is no entitlement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from app.wohngeld.parameters import TABLE_MEMBERS, Parameters, current

TEN_PLACES = Decimal("0.0000000001")
CENT = Decimal("0.01")

# Which § 16 deductions usually apply to an income kind, when the citizen does not say.
DEFAULT_DEDUCTIONS: dict[str, tuple[bool, bool, bool]] = {
    # (taxes, health and care insurance, pension insurance)
    "employment": (True, True, True),
    "pension": (False, True, False),
    "unemployment_benefit": (False, False, False),
    "maintenance": (False, False, False),
    "self_employment": (True, False, False),
    "other": (False, False, False),
}
INCOME_KINDS = tuple(DEFAULT_DEDUCTIONS)


@dataclass(frozen=True)
class Income:
    """One monthly income of a household member."""

    kind: str
    monthly_amount: Decimal
    taxes: bool | None = None
    health_insurance: bool | None = None
    pension_insurance: bool | None = None

    def deductions(self) -> int:
        """How many of the three § 16 deductions of 10 % apply."""
        defaults = DEFAULT_DEDUCTIONS[self.kind]
        chosen = (self.taxes, self.health_insurance, self.pension_insurance)
        return sum(
            bool(default if given is None else given)
            for given, default in zip(chosen, defaults, strict=True)
        )


@dataclass(frozen=True)
class Household:
    """What the estimate needs to know."""

    members: int
    rent_or_burden: Decimal
    mietstufe: int
    incomes: tuple[Income, ...] = ()
    yearly_allowances: Decimal = Decimal(0)


@dataclass(frozen=True)
class Estimate:
    """The result with every intermediate figure, for display and for tests."""

    monthly_amount: int
    entitled: bool
    total_income_monthly: Decimal
    rent_considered: Decimal
    ceiling: Decimal
    heating_relief: Decimal
    climate_component: Decimal
    m: Decimal
    y: Decimal
    unrounded: Decimal
    valid_from: str
    notes: list[str] = field(default_factory=list)


def yearly_income(income: Income, params: Parameters) -> Decimal:
    """§§ 14–16 WoGG for one income: yearly amount after expenses and flat deductions."""
    yearly = income.monthly_amount * 12
    if income.kind == "employment":
        yearly -= params.expenses_employment
    elif income.kind == "pension":
        yearly -= params.expenses_pension
    yearly = max(yearly, Decimal(0))
    rate = 1 - params.flat_deduction_per_kind * income.deductions()
    return yearly * rate


def monthly_total_income(household: Household, params: Parameters) -> Decimal:
    """Y* of § 13 WoGG in the simplified form: the household's yearly income ÷ 12."""
    yearly = sum((yearly_income(i, params) for i in household.incomes), Decimal(0))
    yearly = max(yearly - household.yearly_allowances, Decimal(0))
    return (yearly / 12).quantize(CENT, rounding=ROUND_HALF_UP)


def benefit_formula(
    m: Decimal, y: Decimal, a: Decimal, b: Decimal, c: Decimal, factor: Decimal
) -> Decimal:
    """Anlage 3 Nr. 2 WoGG: z1..z4 as fixed-point numbers with ten decimal places."""
    z1 = (a + b * m + c * y).quantize(TEN_PLACES, rounding=ROUND_HALF_UP)
    z2 = (z1 * y).quantize(TEN_PLACES, rounding=ROUND_HALF_UP)
    z3 = (m - z2).quantize(TEN_PLACES, rounding=ROUND_HALF_UP)
    return (factor * z3).quantize(TEN_PLACES, rounding=ROUND_HALF_UP)


def round_to_euro(amount: Decimal) -> int:
    """Anlage 3 Nr. 3 WoGG: below 0.50 € down, from 0.50 € up, to whole euros."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def beyond_twelve(amount_for_twelve: int, members: int, m_star: Decimal, params: Parameters) -> int:
    """§ 19 Abs. 3 WoGG: the benefit for twelve plus the amount for each further member,
    at most the rent or burden considered (M*).

    The law does not say how a capped amount is rounded; the estimate shows whole euros
    and rounds the cap down so that it never exceeds M*.
    """
    raised = amount_for_twelve + (members - TABLE_MEMBERS) * params.per_member_beyond_twelve
    return int(min(raised, m_star.to_integral_value(rounding=ROUND_FLOOR)))


def estimate(household: Household, params: Parameters | None = None) -> Estimate:
    """Compute the non-binding monthly housing benefit for ``household``.

    Raises ``ValueError`` for a household size below one or a Mietenstufe outside 1–7
    (the API's schema refuses both before).
    """
    params = params or current()
    if household.members < 1:
        raise ValueError("members")
    if not 1 <= household.mietstufe <= 7:
        raise ValueError("mietstufe")
    # Beyond twelve members every table is read for twelve (WoGVwV Nr. 19.31 as
    # published for 2025: 14 members are computed with the ceiling, heating relief and
    # climate component of 12, then § 19 Abs. 3 adds the amount per further member).
    counted = min(household.members, TABLE_MEMBERS)
    ceiling = params.ceiling(counted, household.mietstufe)
    climate = params.climate_component(counted)
    heating = params.heating_relief(counted)
    considered = min(household.rent_or_burden, ceiling + climate)
    m_star = considered + heating
    y_star = monthly_total_income(household, params)
    m = max(m_star, params.minimum_m[counted])
    y = max(y_star, params.minimum_y[counted])
    values = params.formula_values[counted]
    unrounded = benefit_formula(m, y, values.a, values.b, values.c, params.factor)
    amount = max(round_to_euro(unrounded), 0)
    notes: list[str] = []
    if household.members > TABLE_MEMBERS:
        amount = beyond_twelve(amount, household.members, m_star, params)
        notes.append("members_beyond_twelve")
    if household.rent_or_burden > ceiling + climate:
        notes.append("ceiling_applied")
    entitled = amount >= params.minimum_monthly_benefit
    if not entitled:
        notes.append("below_minimum")
        amount = 0
    return Estimate(
        monthly_amount=amount,
        entitled=entitled,
        total_income_monthly=y_star,
        rent_considered=considered,
        ceiling=ceiling,
        heating_relief=heating,
        climate_component=climate,
        m=m,
        y=y,
        unrounded=unrounded,
        valid_from=params.valid_from,
        notes=notes,
    )
