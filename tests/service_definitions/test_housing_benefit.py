"""The housing benefit definition (housing_benefit.yaml): loads, asks each question only
where the answers need it, is free and needs the eID."""

from __future__ import annotations

import pytest

from app.service_definitions import compute_fees, validate_answers

from .support import TODAY, codes

PDF = {
    "upload_id": "u-1",
    "filename": "nachweis.pdf",
    "content_type": "application/pdf",
    "size": 20_000,
}

TENANT = {
    "subsidy_kind": "rent",
    "application_type": "first",
    "has_household_members": True,
    "household_members": [
        {
            "member_name": "Max Mustermann",
            "member_birth_date": "1962-01-03",
            "relationship": "spouse",
        },
        {
            "member_name": "Mia Mustermann",
            "member_birth_date": "2015-09-30",
            "relationship": "child",
        },
    ],
    "has_income": True,
    "incomes": [
        {
            "income_member": "Erika Mustermann",
            "income_kind": "employment",
            "income_monthly": "1850,50",
        },
        {"income_member": "Max Mustermann", "income_kind": "pension", "income_monthly": 640},
    ],
    "income_proofs": [PDF],
    "rent_monthly": 720,
    "heating_included": "no",
    "flat_size": 78.5,
    "move_in_date": "2019-04-01",
    "rental_contract": [PDF],
    "account_holder": "Erika Mustermann",
    "iban": "DE89 3704 0044 0532 0130 00",
    "truthful": True,
}


def test_definition_metadata(builtin):
    definition = builtin["housing_benefit"]
    assert definition.trust_level == "high"
    assert definition.data["trust_note"]["de"]
    assert definition.data["area"] == "wohngeld"
    assert definition.payment_policy == "none"
    assert definition.data["title"] == {
        "de": "Wohngeld beantragen",
        "en": "Apply for housing benefit",
    }


def test_complete_tenant_application_is_valid_and_free(builtin):
    definition = builtin["housing_benefit"]
    result = validate_answers(definition, TENANT, today=TODAY)
    assert result.errors == []
    assert result.answers["incomes"][0]["income_monthly"] == 1850.5
    assert result.answers["iban"] == "DE89370400440532013000"
    assert "burden_monthly" not in result.answers
    assert compute_fees(definition, result.answers, today=TODAY).total_cents == 0


def test_owner_needs_burden_and_its_proof_not_the_rent(builtin):
    definition = builtin["housing_benefit"]
    owner = {**TENANT, "subsidy_kind": "burden"}
    result = validate_answers(definition, owner, today=TODAY)
    assert codes(result) == {"burden_monthly": "required", "burden_proof": "required"}
    owner |= {"burden_monthly": 540, "burden_proof": [PDF]}
    result = validate_answers(definition, owner, today=TODAY)
    assert result.errors == []
    for tenant_only in ("rent_monthly", "heating_included", "rental_contract"):
        assert tenant_only not in result.answers


def test_tenant_needs_the_rental_contract(builtin):
    answers = {k: v for k, v in TENANT.items() if k != "rental_contract"}
    result = validate_answers(builtin["housing_benefit"], answers, today=TODAY)
    assert codes(result) == {"rental_contract": "required"}


def test_income_proofs_only_with_income(builtin):
    answers = {k: v for k, v in TENANT.items() if k not in ("incomes", "income_proofs")}
    answers["has_income"] = False
    assert validate_answers(builtin["housing_benefit"], answers, today=TODAY).errors == []
    answers["has_income"] = True
    result = validate_answers(builtin["housing_benefit"], answers, today=TODAY)
    assert codes(result) == {"incomes": "repeat.too_few", "income_proofs": "required"}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("flat_size", 2, "number.too_small"),
        ("rent_monthly", -1, "number.too_small"),
        ("iban", "DE00 1234", "iban.invalid"),
        ("move_in_date", "2024-07-01", "date.too_late"),
    ],
)
def test_bad_answers_get_field_errors(builtin, field, value, code):
    result = validate_answers(builtin["housing_benefit"], {**TENANT, field: value}, today=TODAY)
    assert codes(result) == {field: code}


def test_unknown_income_kind_is_refused(builtin):
    answers = {**TENANT, "incomes": [{**TENANT["incomes"][0], "income_kind": "lottery"}]}
    result = validate_answers(builtin["housing_benefit"], answers, today=TODAY)
    assert codes(result) == {"incomes[0].income_kind": "option.invalid"}


def _with_prefill(builtin, fields):
    from app.service_definitions.loader import parse_definition

    data = {**builtin["housing_benefit"].data, "prefill_from_previous": {"fields": fields}}
    return parse_definition(data, source="housing_benefit.yaml")


def test_prefill_from_previous_names_known_top_level_fields(builtin):
    assert builtin["housing_benefit"].data["prefill_from_previous"]["fields"][0] == "subsidy_kind"
    from app.service_definitions import DefinitionError

    for bad, code in (
        ("no_such_field", "unknown_field"),
        ("rental_contract", "prefill_previous_field"),
        ("member_name", "prefill_previous_field"),
    ):
        with pytest.raises(DefinitionError) as caught:
            _with_prefill(builtin, [bad])
        assert [p.code for p in caught.value.problems] == [code], bad
