"""Payables: validation, the purpose character set, the registry; Kassenzeichen."""

from __future__ import annotations

import pytest

from app.errors import DomainError
from app.payments import kassenzeichen, payables
from app.payments.payables import Payable, PayableItem, clean_purpose, purpose_problem


def _payable(**changes):
    base = {
        "subject_type": "application",
        "subject_id": "A1",
        "user_id": 1,
        "amount_cents": 3000,
        "purpose": "Parkausweis A1",
        "description": "Bewohnerparkausweis",
    }
    return Payable(**(base | changes))


def test_valid_payable_and_default_item():
    payable = _payable()
    payable.validate()
    [item] = payable.all_items()
    assert item.amount_cents == 3000 and item.reference == "A1"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount_cents": 0}, "amount_cents", "payment_amount_range"),
        ({"amount_cents": 100_000_000}, "amount_cents", "payment_amount_range"),
        ({"purpose": ""}, "purpose", "payment_purpose_length"),
        ({"purpose": "x" * 28}, "purpose", "payment_purpose_length"),
        ({"purpose": "Hundesteuer & Co"}, "purpose", "payment_purpose_characters"),
        ({"purpose": "Gebühr €"}, "purpose", "payment_purpose_characters"),
        ({"subject_type": "parking"}, "subject_type", "invalid_choice"),
        ({"description": ""}, "description", "invalid_value"),
        (
            {"items": (PayableItem("a", "A", 1000), PayableItem("b", "B", 1000))},
            "items",
            "payment_items_sum",
        ),
    ],
)
def test_invalid_payables(changes, field, code):
    with pytest.raises(DomainError) as caught:
        _payable(**changes).validate()
    assert (field, code) in {(e.field, e.code) for e in caught.value.field_errors}


@pytest.mark.parametrize(
    "purpose",
    ["HST-2027-0001 Rate 1", "Gebühr Größe ÄÖÜ", "5.123.456-7", "A/B (C) ?:,.'+", "x" * 27],
)
def test_allowed_purposes(purpose):
    assert purpose_problem(purpose) is None


def test_clean_purpose():
    assert clean_purpose("Hundesteuer & Müll_Gebühr") == "Hundesteuer + Müll-Gebühr"
    assert clean_purpose("Café Crème #12 §3") == "Cafe Creme 12 3"
    assert clean_purpose("Kassenzeichen: 1234567890 für das Jahr 2027") == (
        "Kassenzeichen: 1234567890 f"
    )
    assert purpose_problem(clean_purpose("„Zitat“ – Ende…")) is None


def test_registry_refuses_unknown_subject_types():
    with pytest.raises(ValueError):
        payables.register("parking")


def test_resolve_unknown_or_foreign_subject_is_not_found(ctx, citizen):
    with pytest.raises(DomainError) as caught:
        payables.resolve("notice", "nope", citizen)
    assert caught.value.kind == "not_found"


def test_kassenzeichen_luhn():
    generated = kassenzeichen.generate("9", 1234)
    assert generated == "900001234" + kassenzeichen.luhn_digit("900001234")
    assert kassenzeichen.is_valid_generated(generated)
    typo = generated[:-2] + str((int(generated[-2]) + 1) % 10) + generated[-1]
    assert not kassenzeichen.is_valid_generated(typo)
    assert kassenzeichen.luhn_digit("7992739871") == "3"  # the textbook example
