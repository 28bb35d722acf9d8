"""Conditional visibility, repeat groups, drafts and unknown answers."""

from __future__ import annotations

from datetime import date

import pytest

from app.service_definitions import parse_definition, validate_answers, validate_partial
from app.service_definitions.conditions import evaluate, referenced_fields

from .support import TODAY, codes, definition_with_fields, sample_data, text

ADDRESS = {"street": "Markt", "house_number": "3"}


def dog(**overrides):
    item = {
        "dog_name": "Bello",
        "breed": "Labrador",
        "origin": "shelter",
        "intake_date": "2024-06-10",
    }
    item.update(overrides)
    return item


def dog_answers(*dogs, **extra):
    answers = {"holder_address": ADDRESS, "dogs": list(dogs) or [dog()], "truthful": True}
    answers.update(extra)
    return answers


def test_hidden_required_field_is_not_required(builtin):
    # previous_municipality is required only for dogs that moved in with their owner.
    result = validate_answers(builtin["dog_tax_registration"], dog_answers(dog()), today=TODAY)
    assert result.errors == []


def test_visible_required_field_is_required(builtin):
    answers = dog_answers(dog(), dog(origin="moved"))
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert codes(result) == {"dogs[1].previous_municipality": "required"}


def test_answers_to_hidden_fields_are_dropped(builtin):
    answers = dog_answers(
        dog(origin="moved", previous_municipality="Köln", previous_owner_name="X")
    )
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert result.errors == []
    assert result.answers["dogs"][0]["previous_municipality"] == "Köln"
    assert "previous_owner_name" not in result.answers["dogs"][0]


def test_invalid_answers_to_hidden_fields_are_ignored(builtin):
    answers = dog_answers(sepa_mandate=False, iban="not an iban", account_holder="")
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert result.errors == []
    assert "iban" not in result.answers
    shown = dog_answers(sepa_mandate=True, iban="not an iban")
    result = validate_answers(builtin["dog_tax_registration"], shown, today=TODAY)
    assert codes(result) == {"account_holder": "required", "iban": "iban.invalid"}


def test_repeat_item_condition_reads_a_top_level_field(builtin):
    base = {
        "property_address": {"street": "Oberstraße", "house_number": "7"},
        "applicant_role": "owner",
        "bins": [{"bin_type": "residual", "size": "120", "new_size": "240"}],
        "truthful": True,
    }
    definition = builtin["waste_bins"]
    order = validate_answers(
        definition, {**base, "action": "order", "delivery_date": "2024-06-20"}, today=TODAY
    )
    assert order.errors == []
    assert order.answers["bins"] == [{"bin_type": "residual", "size": "120"}]
    change = validate_answers(
        definition, {**base, "action": "change", "delivery_date": "2024-06-20"}, today=TODAY
    )
    assert change.answers["bins"][0]["new_size"] == "240"
    cancel = validate_answers(definition, {**base, "action": "cancel"}, today=TODAY)
    assert codes(cancel) == {"collection_date": "required"}


def test_checkbox_condition_and_required_checkbox(builtin):
    definition = builtin["waste_bins"]
    answers = {
        "property_address": {"street": "Oberstraße", "house_number": "7"},
        "applicant_role": "tenant",
        "owner_name": "Erika Mustermann",
        "owner_consent": False,
        "action": "cancel",
        "bins": [{"bin_type": "paper", "size": "240"}],
        "collection_date": "2024-07-01",
        "truthful": True,
    }
    result = validate_answers(definition, answers, today=TODAY)
    assert codes(result) == {"owner_consent": "must_accept"}
    result = validate_answers(
        definition, {**answers, "truthful": None, "owner_consent": True}, today=TODAY
    )
    assert codes(result) == {"truthful": "must_accept"}


def test_repeat_group_bounds(builtin):
    definition = builtin["dog_tax_registration"]
    none = validate_answers(definition, dog_answers() | {"dogs": []}, today=TODAY)
    assert codes(none) == {"dogs": "repeat.too_few"}
    assert none.errors[0].params == {"min_items": 1}
    many = validate_answers(definition, dog_answers(*[dog()] * 11), today=TODAY)
    assert codes(many) == {"dogs": "repeat.too_many"}
    wrong = validate_answers(definition, dog_answers() | {"dogs": {"dog_name": "x"}}, today=TODAY)
    assert codes(wrong) == {"dogs": "invalid_value"}
    item = validate_answers(definition, dog_answers() | {"dogs": ["Bello"]}, today=TODAY)
    assert codes(item) == {"dogs[0]": "invalid_value"}


def test_errors_inside_repeat_items_name_the_item(builtin):
    answers = dog_answers(dog(), dog(intake_date="morgen", breed=""))
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert codes(result) == {"dogs[1].breed": "required", "dogs[1].intake_date": "date.invalid"}


def test_unknown_answers_are_reported_and_dropped(builtin):
    answers = dog_answers(dog(colour="brown"), nickname="x")
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert codes(result) == {"nickname": "unknown_field", "dogs[0].colour": "unknown_field"}
    assert "nickname" not in result.answers
    assert "colour" not in result.answers["dogs"][0]


def test_answers_must_be_a_mapping(builtin):
    result = validate_answers(builtin["waste_bins"], ["x"], today=TODAY)
    assert codes(result) == {"": "invalid_value"}
    assert result.answers == {}


def test_registry_information_needs_birth_date_or_address(builtin):
    definition = builtin["registry_information_simple"]
    base = {"family_name": "Mustermann", "given_names": "Erika", "truthful": True}
    by_birth = validate_answers(
        definition,
        {**base, "identified_by": "birth_date", "last_known_address": {"street": "x"}},
        today=TODAY,
    )
    assert codes(by_birth) == {"person_birth_date": "required"}
    both = validate_answers(definition, {**base, "identified_by": "both"}, today=TODAY)
    assert codes(both) == {
        "person_birth_date": "required",
        **{
            f"last_known_address.{part}": "required"
            for part in ("street", "house_number", "postal_code", "city")
        },
    }


# A chain: "reason" shows "detail", and "detail" shows "extra". Hiding "detail" must
# hide "extra" even when the raw answers still hold the old "detail".
CHAIN = [
    {"id": "show", "type": "checkbox", "label": text()},
    {
        "id": "detail",
        "type": "radio",
        "label": text(),
        "visible_if": {"field": "show", "is_true": True},
        "options": [{"value": "x", "label": text()}, {"value": "y", "label": text()}],
    },
    {
        "id": "extra",
        "type": "text",
        "label": text(),
        "required": True,
        "visible_if": {"field": "detail", "equals": "x"},
    },
]


def test_visibility_chains_use_effective_answers():
    definition = definition_with_fields(*CHAIN)
    shown = validate_answers(definition, {"show": True, "detail": "x"})
    assert codes(shown) == {"extra": "required"}
    hidden = validate_answers(definition, {"show": False, "detail": "x", "extra": "keep?"})
    assert hidden.errors == []
    assert hidden.answers == {"show": False}


def test_drafts_keep_hidden_answers_but_hide_dependants():
    definition = definition_with_fields(*CHAIN)
    draft = validate_partial(definition, {"show": False, "detail": "x", "extra": "typed"})
    assert draft.errors == []
    # Nothing the citizen typed is lost: switching "show" back restores the answers.
    assert draft.answers == {"show": False, "detail": "x", "extra": "typed"}


def test_drafts_do_not_enforce_required_or_minimum_items(builtin):
    definition = builtin["dog_tax_registration"]
    draft = validate_partial(definition, {"dogs": [{"dog_name": "Bello"}]}, today=TODAY)
    assert draft.errors == []
    assert draft.answers == {"dogs": [{"dog_name": "Bello"}]}
    assert validate_partial(definition, {}, today=TODAY).errors == []
    full = validate_answers(definition, {"dogs": [{"dog_name": "Bello"}]}, today=TODAY)
    assert codes(full)["holder_address.street"] == "required"


def test_drafts_still_check_types_and_maximums(builtin):
    definition = builtin["dog_tax_registration"]
    draft = validate_partial(
        definition, {"dogs": [{"intake_date": "1.1."}] * 11, "iban": "DE00"}, today=TODAY
    )
    found = codes(draft)
    assert found["dogs"] == "repeat.too_many"
    assert found["dogs[0].intake_date"] == "date.invalid"
    # The IBAN is hidden (no SEPA mandate ticked), so it is kept unchecked.
    assert "iban" not in found
    assert draft.answers["iban"] == "DE00"


def test_step_visibility_hides_all_its_fields():
    data = sample_data()
    data["steps"].append(
        {
            "id": "details",
            "title": text(),
            "visible_if": {"field": "kind", "equals": "b"},
            "fields": [{"id": "reason", "type": "text", "label": text(), "required": True}],
        }
    )
    definition = parse_definition(data)
    assert codes(validate_answers(definition, {"name": "A", "kind": "a", "reason": "r"})) == {}
    assert validate_answers(definition, {"name": "A", "kind": "a", "reason": "r"}).answers == {
        "name": "A",
        "kind": "a",
        "items": [],
    }
    assert codes(validate_answers(definition, {"name": "A", "kind": "b"})) == {"reason": "required"}


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"field": "a", "equals": "x"}, {"a": "x"}, True),
        ({"field": "a", "equals": "x"}, {}, False),
        ({"field": "a", "not_equals": "x"}, {}, True),
        ({"field": "a", "in": ["x", "y"]}, {"a": "y"}, True),
        ({"field": "a", "in": ["x", "y"]}, {"a": "z"}, False),
        ({"field": "n", "equals": 2}, {"n": 2.0}, True),
        ({"field": "b", "equals": 1}, {"b": True}, False),
        ({"field": "b", "is_true": True}, {"b": True}, True),
        ({"field": "b", "is_true": False}, {}, True),
        ({"field": "d", "before": "-14d"}, {"d": "2024-05-28"}, True),
        ({"field": "d", "before": "-14d"}, {"d": "2024-05-29"}, False),
        ({"field": "d", "after": "today"}, {"d": "2024-06-13"}, True),
        ({"field": "d", "after": "today"}, {"d": "kaputt"}, False),
        (
            {"all": [{"field": "a", "equals": "x"}, {"field": "b", "is_true": True}]},
            {"a": "x"},
            False,
        ),
        (
            {"any": [{"field": "a", "equals": "x"}, {"field": "b", "is_true": True}]},
            {"a": "x"},
            True,
        ),
        ({"not": {"field": "a", "equals": "x"}}, {"a": "x"}, False),
        (None, {}, True),
    ],
)
def test_condition_evaluation(condition, answers, expected):
    assert evaluate(condition, answers.get, TODAY) is expected


def test_referenced_fields_walks_combinations():
    condition = {
        "all": [{"field": "a", "equals": 1}, {"not": {"any": [{"field": "b", "is_true": True}]}}]
    }
    assert referenced_fields(condition) == ["a", "b"]


def test_today_defaults_to_the_city_date(builtin, monkeypatch):
    import app.service_definitions.validation as validation

    monkeypatch.setattr(validation, "local_today", lambda: date(2024, 6, 30))
    answers = dog_answers(dog(intake_date="2024-06-10"))
    assert validate_answers(builtin["dog_tax_registration"], answers).warnings != []
