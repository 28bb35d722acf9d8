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
class Parameters:
    """One dated set of the law's tables."""

    valid_from: str
    source: str
    factor: Decimal
    minimum_monthly_benefit: int
    formula_values: dict[int, FormulaValues]
    ceilings: dict[int, tuple[int, ...]]
    ceiling_further_member: tuple[int, ...]
    heating_permanent: dict[int, Decimal]
    heating_permanent_further: Decimal
    heating_co2: dict[int, Decimal]
    climate: dict[int, Decimal]
    climate_further: Decimal
    minimum_m: dict[int, Decimal]
    minimum_y: dict[int, Decimal]
    flat_deduction_per_kind: Decimal
    expenses_employment: Decimal
    expenses_pension: Decimal

    @property
    def max_members(self) -> int:
        """Largest household the estimate covers (where a, b and c are all known)."""
        return max(self.formula_values)

    def ceiling(self, members: int, mietstufe: int) -> Decimal:
        """Höchstbetrag (Anlage 1) for ``members`` and Mietenstufe 1–7."""
        index = mietstufe - 1
        if members <= 5:
            return Decimal(self.ceilings[members][index])
        return Decimal(self.ceilings[5][index] + (members - 5) * self.ceiling_further_member[index])

    def heating_relief(self, members: int) -> Decimal:
        """§ 12 Abs. 6 WoGG: permanent heating component plus the CO2 part where known."""
        if members <= 2:
            permanent = self.heating_permanent[members]
        else:
            permanent = self.heating_permanent[2] + (members - 2) * self.heating_permanent_further
        return permanent + self.heating_co2.get(members, Decimal(0))

    def climate_component(self, members: int) -> Decimal:
        """§ 12 Abs. 7 WoGG: the amount the ceiling is raised by."""
        if members <= 2:
            return self.climate[members]
        return self.climate[2] + (members - 2) * self.climate_further


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def parse(data: dict) -> Parameters:
    """Build :class:`Parameters` from the YAML mapping; raises ``KeyError``/``ValueError``."""
    formula = {
        int(k): FormulaValues(_dec(v["a"]), _dec(v["b"]), _dec(v["c"]))
        for k, v in data["formula_values"]["by_members"].items()
    }
    ceilings = {int(k): tuple(int(x) for x in v) for k, v in data["ceilings"]["by_members"].items()}
    further = tuple(int(x) for x in data["ceilings"]["each_further_member"])
    for row in (*ceilings.values(), further):
        if len(row) != len(MIETSTUFEN):
            raise ValueError("every ceiling row needs seven Mietenstufen")
    if sorted(ceilings) != [1, 2, 3, 4, 5]:
        raise ValueError("ceilings must list 1 to 5 members")
    if sorted(formula) != list(range(1, len(formula) + 1)):
        raise ValueError("formula values must list 1..n members without gaps")
    heating = data["heating_relief"]
    climate = data["climate_component"]["amounts"]
    minimum = data["minimum_values"]["by_members"]
    expenses = data["income_related_expenses"]
    return Parameters(
        valid_from=str(data["valid_from"]),
        source=str(data["source"]),
        factor=_dec(data["factor"]),
        minimum_monthly_benefit=int(data["minimum_monthly_benefit"]),
        formula_values=formula,
        ceilings=ceilings,
        ceiling_further_member=further,
        heating_permanent={1: _dec(heating["permanent"][1]), 2: _dec(heating["permanent"][2])},
        heating_permanent_further=_dec(heating["permanent"]["each_further_member"]),
        heating_co2={int(k): _dec(v) for k, v in heating["co2"].items()},
        climate={1: _dec(climate[1]), 2: _dec(climate[2])},
        climate_further=_dec(climate["each_further_member"]),
        minimum_m={int(k): _dec(v["M"]) for k, v in minimum.items()},
        minimum_y={int(k): _dec(v["Y"]) for k, v in minimum.items()},
        flat_deduction_per_kind=_dec(data["flat_deduction_per_kind"]),
        expenses_employment=_dec(expenses["employment"]),
        expenses_pension=_dec(expenses["pension"]),
    )


@cache
def current() -> Parameters:
    """The parameters in force (the file shipped with the portal)."""
    with PARAMETER_FILE.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))
