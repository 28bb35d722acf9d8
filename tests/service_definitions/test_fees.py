"""Fees of every built-in service, table-driven, and the fee rule kinds of the engine."""

from __future__ import annotations

import pytest

from app.service_definitions import compute_fees, parse_definition, validate_answers

from .support import TODAY, sample_data, text


def dogs(normal: int = 0, dangerous: int = 0) -> dict:
    items = [{"dog_name": f"Hund {n}", "dangerous": False} for n in range(normal)]
    items += [{"dog_name": f"Gefährlich {n}", "dangerous": True} for n in range(dangerous)]
    return {"dogs": items}


@pytest.mark.parametrize(
    ("answers", "total", "lines"),
    [
        pytest.param(dogs(normal=1), 8400, [("dog_tax", 1, 8400)], id="one-dog"),
        pytest.param(dogs(normal=2), 19200, [("dog_tax", 2, 9600)], id="two-dogs"),
        pytest.param(dogs(normal=3), 28800, [("dog_tax", 3, 9600)], id="three-dogs"),
        pytest.param(
            dogs(dangerous=1), 40000, [("dangerous_dog_tax", 1, 40000)], id="one-dangerous"
        ),
        # The dangerous dog counts towards the number of dogs, so the other dog is a
        # second dog at 96 € (model statute: dangerous dogs are the "first" dogs).
        pytest.param(
            dogs(normal=1, dangerous=1),
            49600,
            [("dog_tax", 1, 9600), ("dangerous_dog_tax", 1, 40000)],
            id="one-dangerous-one-normal",
        ),
        pytest.param(
            dogs(normal=1, dangerous=2),
            89600,
            [("dog_tax", 1, 9600), ("dangerous_dog_tax", 2, 40000)],
            id="two-dangerous-one-normal",
        ),
        pytest.param(dogs(), 0, [], id="no-dogs"),
    ],
)
def test_dog_tax(builtin, answers, total, lines):
    result = compute_fees(builtin["dog_tax_registration"], answers, today=TODAY)
    assert result.total_cents == total
    assert [(line.rule, line.quantity, line.unit_cents) for line in result.lines] == lines
    assert result.period == "yearly"


def test_dog_tax_lines_carry_the_tier_label(builtin):
    result = compute_fees(builtin["dog_tax_registration"], dogs(normal=1))
    assert result.lines[0].label["de"] == "Hundesteuer für einen Hund"
    assert result.to_dict()["lines"][0]["amount_cents"] == 8400


@pytest.mark.parametrize(
    ("copies", "total", "lines"),
    [
        (1, 1200, [(1, 1200)]),
        (2, 1800, [(1, 1200), (1, 600)]),
        (3, 2400, [(1, 1200), (2, 600)]),
        (10, 6600, [(1, 1200), (9, 600)]),
    ],
)
def test_certificate_fee_first_and_further_copies(builtin, copies, total, lines):
    result = compute_fees(builtin["civil_status_certificate"], {"copies": copies})
    assert result.total_cents == total
    assert [(line.quantity, line.unit_cents) for line in result.lines] == lines
    assert result.lines[0].label["de"] == "Erste Urkunde"


@pytest.mark.parametrize(
    ("service", "answers", "total"),
    [
        ("registry_information_simple", {}, 1000),
        ("registry_information_simple", {"commercial_use": True}, 1000),
        ("business_registration", {"legal_form": "gmbh"}, 2600),
        ("waste_bins", {"action": "order", "bins": [{"bin_type": "bio", "size": "120"}]}, 0),
        ("dog_tax_deregistration", {"reason": "died"}, 0),
    ],
)
def test_other_services(builtin, service, answers, total):
    result = compute_fees(builtin[service], answers)
    assert result.total_cents == total
    assert sum(line.amount_cents for line in result.lines) == total


def test_services_without_fees_have_no_lines(builtin):
    result = compute_fees(builtin["waste_bins"], {})
    assert result.lines == ()
    assert result.to_dict() == {"lines": [], "total_cents": 0, "period": "once"}


def test_fees_follow_cleaned_answers(builtin):
    # A dog answer with a hidden field does not change the fee; the cleaned count does.
    definition = builtin["dog_tax_registration"]
    answers = {
        "holder_address": {"street": "Markt", "house_number": "1"},
        "dogs": [
            {"dog_name": "A", "breed": "Pudel", "origin": "shelter", "intake_date": "2024-06-10"},
            {"dog_name": "B", "breed": "Dackel", "origin": "shelter", "intake_date": "2024-06-10"},
        ],
        "truthful": True,
    }
    result = validate_answers(definition, answers, today=TODAY)
    assert result.errors == []
    assert compute_fees(definition, result.answers).total_cents == 19200


def _definition_with_rules(rules, extra_fields=()):
    data = sample_data()
    data["steps"][0]["fields"] += list(extra_fields)
    data["fees"]["rules"] = rules
    return parse_definition(data)


def test_fixed_fee_with_condition():
    definition = _definition_with_rules(
        [
            {"id": "base", "kind": "fixed", "label": text(), "amount_cents": 500},
            {
                "id": "express",
                "kind": "fixed",
                "label": text("Eilzuschlag"),
                "amount_cents": 250,
                "when": {"field": "kind", "equals": "b"},
            },
        ]
    )
    assert compute_fees(definition, {"kind": "a"}).total_cents == 500
    assert compute_fees(definition, {"kind": "b"}).total_cents == 750
    assert compute_fees(definition, {}).total_cents == 500


def test_per_item_over_a_number_field():
    number = {"id": "pages", "type": "number", "label": text(), "min": 0, "max": 50}
    definition = _definition_with_rules(
        [{"id": "page", "kind": "per_item", "over": "pages", "label": text(), "amount_cents": 50}],
        [number],
    )
    assert compute_fees(definition, {"pages": 4}).total_cents == 200
    assert compute_fees(definition, {"pages": 0}).lines == ()
    # Malformed values (a draft that was never cleaned) count as zero, not as an error.
    assert compute_fees(definition, {"pages": "4"}).total_cents == 0


def test_volume_tiers_with_count_filter():
    # The count that picks the tier can differ from the items billed.
    definition = _definition_with_rules(
        [
            {
                "id": "flags",
                "kind": "tiered",
                "mode": "volume",
                "over": "items",
                "count_where": {"field": "flag", "is_true": True},
                "label": text(),
                "tiers": [
                    {"from": 1, "to": 2, "unit_cents": 100},
                    {"from": 3, "unit_cents": 70},
                ],
            }
        ]
    )
    items = [{"flag": True}, {"flag": True}, {"flag": True}, {"flag": False}]
    assert compute_fees(definition, {"items": items}).total_cents == 4 * 70
    assert compute_fees(definition, {"items": items[1:]}).total_cents == 3 * 100
    # Billed items left out by count_where still find a tier.
    assert compute_fees(definition, {"items": [{"flag": False}]}).total_cents == 100
