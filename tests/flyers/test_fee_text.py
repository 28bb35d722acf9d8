"""The fee in a few words, as the flyer prints it: free, one fixed amount, "from" the
lowest amount a rule charges, "depends" where no amount can be named, per year for
yearly fees, in the reader's number format."""

from __future__ import annotations

from app.flyers import fee_text

FIXED = {"id": "fee", "kind": "fixed", "amount_cents": 2600, "label": {"de": "Gebühr"}}


def test_no_rules_is_free():
    assert fee_text(None, "de") == "kostenlos"
    assert fee_text({"period": "once", "rules": []}, "en") == "free of charge"


def test_one_unconditional_fixed_rule_is_its_amount():
    assert fee_text({"period": "once", "rules": [FIXED]}, "de") == "26,00\xa0€"
    assert fee_text({"period": "once", "rules": [FIXED]}, "en") == "€26.00"


def test_conditional_or_several_rules_give_the_lowest_amount():
    conditional = {**FIXED, "when": {"field": "kind", "equals": "simple"}}
    cheaper = {"id": "other", "kind": "fixed", "amount_cents": 500, "label": {"de": "x"}}
    assert fee_text({"period": "once", "rules": [conditional]}, "de") == "ab 26,00\xa0€"
    assert fee_text({"period": "once", "rules": [FIXED, cheaper]}, "de") == "ab 5,00\xa0€"
    tiered = {
        "id": "dogs",
        "kind": "tiered",
        "tiers": [{"from": 1, "to": 1, "unit_cents": 8400}, {"from": 2, "unit_cents": 9600}],
    }
    assert fee_text({"period": "yearly", "rules": [tiered]}, "de") == "ab 84,00\xa0€ pro Jahr"


def test_rules_without_an_amount_depend_on_the_application():
    tiered = {"id": "x", "kind": "tiered", "tiers": []}
    assert fee_text({"period": "once", "rules": [tiered]}, "de") == "je nach Antrag"
    assert fee_text({"period": "once", "rules": [tiered]}, "uk") == "залежить від заяви"
