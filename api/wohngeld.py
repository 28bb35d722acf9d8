"""Housing benefit (Wohngeld): the public, non-binding estimate before applying.

``POST /api/wohngeld/estimate`` takes the household size, the monthly rent without
heating (or the burden) and the incomes, and answers the estimated monthly amount with
its intermediate figures, always labelled "Unverbindliche Schätzung". Nothing is
stored and no login is needed: the figures are what the citizen typed. The formula and
its sources are in docs/wohngeld.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.errors import locale
from app.i18n import translate
from app.wohngeld import parameters, settings
from app.wohngeld.estimate import INCOME_KINDS, Household, Income, estimate

blp = Blueprint(
    "wohngeld", __name__, url_prefix="/api/wohngeld", description="Housing benefit (estimate)"
)

# Floats in the schema (the OpenAPI document needs numeric bounds); turned into Decimal
# through their text before any arithmetic.
MONEY = {"validate": validate.Range(min=0, max=100000), "allow_nan": False}


class IncomeSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(INCOME_KINDS))
    monthly_amount = fields.Float(required=True, **MONEY)
    taxes = fields.Boolean(allow_none=True, load_default=None)
    health_insurance = fields.Boolean(allow_none=True, load_default=None)
    pension_insurance = fields.Boolean(allow_none=True, load_default=None)


class EstimateRequestSchema(Schema):
    members = fields.Integer(required=True, validate=validate.Range(min=1, max=20))
    rent_or_burden = fields.Float(required=True, **MONEY)
    incomes = fields.List(
        fields.Nested(IncomeSchema), load_default=list, validate=validate.Length(max=40)
    )
    yearly_allowances = fields.Float(load_default=0.0, **MONEY)


class EstimateResponseSchema(Schema):
    label = fields.String(
        metadata={"description": "Unverbindliche Schätzung / Non-binding estimate"}
    )
    disclaimer = fields.String()
    monthly_amount = fields.Integer(metadata={"description": "whole euros; 0 when not entitled"})
    entitled = fields.Boolean()
    total_income_monthly = fields.String()
    rent_considered = fields.String()
    ceiling = fields.String()
    heating_relief = fields.String()
    climate_component = fields.String()
    m = fields.String()
    y = fields.String()
    mietstufe = fields.Integer()
    parameters_valid_from = fields.String()
    notes = fields.List(fields.String())


def _money(value: float) -> Decimal:
    """A euro amount as typed, to the cent."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


@blp.route("/estimate", methods=["POST"])
@blp.arguments(EstimateRequestSchema)
@blp.response(200, EstimateResponseSchema)
def post_estimate(body: dict[str, Any]):
    """Estimate the monthly housing benefit (never a decision)."""
    params = parameters.current()
    household = Household(
        members=body["members"],
        rent_or_burden=_money(body["rent_or_burden"]),
        mietstufe=settings.mietstufe(),
        incomes=tuple(
            Income(**{**i, "monthly_amount": _money(i["monthly_amount"])}) for i in body["incomes"]
        ),
        yearly_allowances=_money(body["yearly_allowances"]),
    )
    result = estimate(household, params)
    return {
        "label": translate("wohngeld.estimate_label", locale()),
        "disclaimer": translate("wohngeld.estimate_disclaimer", locale()),
        "monthly_amount": result.monthly_amount,
        "entitled": result.entitled,
        "total_income_monthly": str(result.total_income_monthly),
        "rent_considered": str(result.rent_considered),
        "ceiling": str(result.ceiling),
        "heating_relief": str(result.heating_relief),
        "climate_component": str(result.climate_component),
        "m": str(result.m),
        "y": str(result.y),
        "mietstufe": household.mietstufe,
        "parameters_valid_from": result.valid_from,
        "notes": result.notes,
    }
