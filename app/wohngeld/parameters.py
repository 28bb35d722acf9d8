"""The legal parameters of the housing benefit estimate, loaded from a dated YAML file.

The numbers live in ``parameters_2025.yaml`` next to this module, each table with its
legal source; code holds none of them. A table that is missing or malformed fails at
load time, not during an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

PARAMETER_FILE = Path(__file__).with_name("parameters_2025.yaml")
MIETSTUFEN = ("I", "II", "III", "IV", "V", "VI", "VII")


@dataclass(frozen=True)
class FormulaValues:
    """The values a, b and c of Anlage 2 WoGG for one household size."""

    a: Decimal
    b: Decimal
    c: Decimal


@dataclass(frozen=True)
class Staggered:
    """An amount the law lists for one to five members, plus one per further member."""

    by_members: tuple[Decimal, ...]
    each_further_member: Decimal

    def amount(self, members: int) -> Decimal:
        """The amount for ``members`` (1 or more)."""
        listed = len(self.by_members)
        if members <= listed:
            return self.by_members[members - 1]
        return self.by_members[-1] + (members - listed) * self.each_further_member


# The law gives a, b, c and the minimum values of M and Y for one to twelve members
# (§ 19 Abs. 1 and 3 WoGG); larger households get the twelve-member benefit plus a
# fixed amount per further member.
TABLE_MEMBERS = 12


@dataclass(frozen=True)
class Parameters:
    """One dated set of the law's tables."""

    valid_from: str
    source: str
    factor: Decimal
    minimum_monthly_benefit: int
    formula_values: dict[int, FormulaValues]
    per_member_beyond_twelve: Decimal
    ceilings: tuple[Staggered, ...]
    heating_co2: Staggered
    heating_permanent: Staggered
    climate: Staggered
    minimum_m: dict[int, Decimal]
    minimum_y: dict[int, Decimal]
    flat_deduction_per_kind: Decimal
    expenses_employment: Decimal
    expenses_pension: Decimal

    def ceiling(self, members: int, mietstufe: int) -> Decimal:
        """Höchstbetrag (Anlage 1) for ``members`` and Mietenstufe 1–7."""
        return self.ceilings[mietstufe - 1].amount(members)

    def heating_relief(self, members: int) -> Decimal:
        """§ 12 Abs. 6 WoGG: the CO2 part plus the permanent heating component."""
        return self.heating_co2.amount(members) + self.heating_permanent.amount(members)

    def climate_component(self, members: int) -> Decimal:
        """§ 12 Abs. 7 WoGG: the amount the ceiling is raised by."""
        return self.climate.amount(members)


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _staggered(table: dict) -> Staggered:
    """A table keyed 1..5 plus ``each_further_member``; raises on gaps."""
    listed = sorted(k for k in table if k != "each_further_member")
    if listed != [1, 2, 3, 4, 5]:
        raise ValueError("a staggered table must list 1 to 5 members")
    return Staggered(tuple(_dec(table[k]) for k in listed), _dec(table["each_further_member"]))


def _by_members(table: dict, what: str) -> dict:
    """A table keyed by household size, which must list 1 to 12 without gaps."""
    keys = sorted(int(k) for k in table)
    if keys != list(range(1, TABLE_MEMBERS + 1)):
        raise ValueError(f"{what} must list 1 to {TABLE_MEMBERS} members")
    return {int(k): v for k, v in table.items()}


def parse(data: dict) -> Parameters:
    """Build :class:`Parameters` from the YAML mapping; raises ``KeyError``/``ValueError``."""
    formula = {
        k: FormulaValues(_dec(v["a"]), _dec(v["b"]), _dec(v["c"]))
        for k, v in _by_members(data["formula_values"]["by_members"], "formula values").items()
    }
    minimum = _by_members(data["minimum_values"]["by_members"], "minimum values")
    rows = {int(k): v for k, v in data["ceilings"]["by_members"].items()}
    further = data["ceilings"]["each_further_member"]
    for row in (*rows.values(), further):
        if len(row) != len(MIETSTUFEN):
            raise ValueError("every ceiling row needs seven Mietenstufen")
    if sorted(rows) != [1, 2, 3, 4, 5]:
        raise ValueError("ceilings must list 1 to 5 members")
    # One staggered table per Mietenstufe: the column of Anlage 1.
    ceilings = tuple(
        _staggered({**{n: rows[n][i] for n in rows}, "each_further_member": further[i]})
        for i in range(len(MIETSTUFEN))
    )
    heating = data["heating_relief"]
    expenses = data["income_related_expenses"]
    return Parameters(
        valid_from=str(data["valid_from"]),
        source=str(data["source"]),
        factor=_dec(data["factor"]),
        minimum_monthly_benefit=int(data["minimum_monthly_benefit"]),
        formula_values=formula,
        per_member_beyond_twelve=_dec(data["per_member_beyond_twelve"]["amount"]),
        ceilings=ceilings,
        heating_co2=_staggered(heating["co2"]),
        heating_permanent=_staggered(heating["permanent"]),
        climate=_staggered(data["climate_component"]["amounts"]),
        minimum_m={k: _dec(v["M"]) for k, v in minimum.items()},
        minimum_y={k: _dec(v["Y"]) for k, v in minimum.items()},
        flat_deduction_per_kind=_dec(data["flat_deduction_per_kind"]),
        expenses_employment=_dec(expenses["employment"]),
        expenses_pension=_dec(expenses["pension"]),
    )


@cache
def current() -> Parameters:
    """The parameters in force (the file shipped with the portal)."""
    with PARAMETER_FILE.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))
