"""A definition's ``guide``: notes and example answers, refused at load time with the path
and a code when an example is no answer a citizen could give."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from app.cities.loader import load_city
from app.service_definitions import DefinitionError, parse_definition
from app.service_definitions.guide import check_city_address, resolved_examples
from app.service_definitions.loader import builtin_for
from app.service_definitions.streets import load_directory
from app.service_definitions.validation import validate_answers

BASE: dict[str, Any] = {
    "id": "guide_test",
    "version": 1,
    "title": {"de": "Test", "en": "Test"},
    "description": {"de": "Test", "en": "Test"},
    "category": "test",
    "trust_level": "basic",
    "payment": {"policy": "none"},
    "workflow": "standard",
    "steps": [
        {
            "id": "about",
            "title": {"de": "Angaben", "en": "Details"},
            "fields": [
                {"id": "name", "type": "text", "max_length": 10, "label": {"de": "N", "en": "N"}},
                {
                    "id": "code",
                    "type": "text",
                    "pattern": "[0-9]{4}",
                    "label": {"de": "C", "en": "C"},
                },
                {
                    "id": "colour",
                    "type": "select",
                    "label": {"de": "F", "en": "C"},
                    "options": [
                        {"value": "red", "label": {"de": "Rot", "en": "Red"}},
                        {"value": "blue", "label": {"de": "Blau", "en": "Blue"}},
                    ],
                },
                {
                    "id": "count",
                    "type": "number",
                    "min": 1,
                    "max": 5,
                    "label": {"de": "A", "en": "N"},
                },
                {"id": "more", "type": "checkbox", "label": {"de": "M", "en": "M"}},
                {
                    "id": "why",
                    "type": "text",
                    "visible_if": {"field": "more", "is_true": True},
                    "label": {"de": "W", "en": "W"},
                },
                {
                    "id": "proof",
                    "type": "file",
                    "accept": ["application/pdf"],
                    "max_size_bytes": 1000,
                    "label": {"de": "P", "en": "P"},
                },
                {
                    "id": "since",
                    "type": "date",
                    "min_date": "-5y",
                    "max_date": "today",
                    "label": {"de": "S", "en": "S"},
                },
                {
                    "id": "home",
                    "type": "address",
                    "scope": "city",
                    "label": {"de": "H", "en": "H"},
                },
            ],
        },
        {
            "id": "pets",
            "title": {"de": "Tiere", "en": "Pets"},
            "fields": [
                {
                    "id": "dogs",
                    "type": "repeat",
                    "max_items": 3,
                    "label": {"de": "Hunde", "en": "Dogs"},
                    "item_label": {"de": "Hund {n}", "en": "Dog {n}"},
                    "fields": [
                        {"id": "dog_name", "type": "text", "label": {"de": "N", "en": "N"}},
                        {
                            "id": "breed",
                            "type": "select",
                            "label": {"de": "R", "en": "B"},
                            "options": [{"value": "lab", "label": {"de": "Lab", "en": "Lab"}}],
                        },
                    ],
                }
            ],
        },
    ],
}

GUIDE: dict[str, Any] = {
    "before": [{"de": "Den Impfpass", "en": "The vaccination record"}],
    "steps": {"about": {"de": "Hinweis", "en": "Note"}},
    "examples": {
        "name": "Erika",
        "code": "1234",
        "colour": "blue",
        "count": 2,
        "more": True,
        "why": "Weil",
        "since": "-3y",
        "home": "city",
        "dogs": [{"dog_name": "Bello", "breed": "lab"}],
    },
    "after": {"de": "Danach", "en": "Then"},
}


def _with(**examples: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["guide"] = copy.deepcopy(GUIDE)
    data["guide"]["examples"].update(examples)
    return data


def _problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return {found.path: found.code for found in caught.value.problems}


def test_a_valid_guide_loads_and_its_examples_resolve():
    definition = parse_definition(_with())
    assert definition.data["guide"]["steps"]["about"]["de"] == "Hinweis"
    today = date(2026, 5, 10)
    examples = resolved_examples(definition.data, today, {"street": "Markt", "house_number": "3"})
    assert examples["since"] == "2023-05-10"
    assert examples["home"] == {"street": "Markt", "house_number": "3"}
    assert examples["dogs"] == [{"dog_name": "Bello", "breed": "lab"}]
    # Without a city address the field stays empty rather than showing something made up.
    assert "home" not in resolved_examples(definition.data, today, None)


def test_an_unknown_step_is_refused():
    data = _with()
    data["guide"]["steps"]["nowhere"] = {"de": "x", "en": "x"}
    assert _problems(data) == {"guide.steps.nowhere": "guide.unknown_step"}


def test_an_unknown_field_is_refused_at_top_level_and_in_a_group():
    problems = _problems(_with(colour_code="x", dogs=[{"dog_name": "Bello", "age": 3}]))
    assert problems == {
        "guide.examples.colour_code": "guide.unknown_field",
        "guide.examples.dogs[0].age": "guide.unknown_field",
    }


def test_an_example_of_the_wrong_type_is_refused():
    assert _problems(_with(count="two")) == {"guide.examples.count": "guide.example_invalid"}
    # A refused answer is no answer: what it would show is hidden, as in the form.
    assert _problems(_with(more="yes")) == {
        "guide.examples.more": "guide.example_invalid",
        "guide.examples.why": "guide.example_hidden",
    }


def test_an_example_breaking_a_pattern_a_length_or_an_option_list_is_refused():
    problems = _problems(
        _with(code="12a4", name="Much too long a name", dogs=[{"breed": "poodle"}])
    )
    assert problems == {
        "guide.examples.code": "guide.example_invalid",
        "guide.examples.name": "guide.example_invalid",
        "guide.examples.dogs[0].breed": "guide.example_invalid",
    }


def test_the_reason_is_the_cleaners_own_message_in_the_consoles_language():
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_with(colour="green"))
    (found,) = caught.value.problems
    assert found.render("en").startswith("the example is no valid answer: ")
    assert found.render("de").startswith("Das Beispiel ist keine gültige Antwort: ")
    assert found.render("de") != found.render("en")


def test_an_example_for_a_field_hidden_by_the_other_examples_is_refused():
    assert _problems(_with(more=False)) == {"guide.examples.why": "guide.example_hidden"}


def test_a_file_field_takes_no_example():
    problems = _problems(_with(proof=[{"upload_id": "x"}]))
    assert problems == {"guide.examples.proof": "guide.example_file"}


def test_a_text_missing_english_is_refused():
    data = _with()
    data["guide"]["before"][0] = {"de": "Nur Deutsch"}
    data["guide"]["steps"]["about"] = {"de": "Nur Deutsch"}
    problems = _problems(data)
    assert problems == {
        "guide.before[0].en": "schema.required",
        "guide.steps.about.en": "schema.required",
    }


def test_dates_relative_to_today_or_fixed_only_where_they_stay_valid():
    # Out of the field's range as counted from today.
    assert _problems(_with(since="-6y")) == {"guide.examples.since": "guide.example_invalid"}
    # The earliest date moves with today: a fixed date would be refused one day.
    assert _problems(_with(since="2024-01-01")) == {
        "guide.examples.since": "guide.example_fixed_date"
    }
    assert _problems(_with(since="soon")) == {"guide.examples.since": "guide.example_invalid"}


def test_city_stands_only_for_an_address_in_the_city():
    data = _with()
    data["steps"][0]["fields"][-1]["scope"] = "any"
    assert _problems(data) == {"guide.examples.home": "guide.example_city_scope"}


def test_a_survey_has_no_guide():
    data = _with()
    data.update(
        kind="survey",
        survey={"anonymous": True, "one_answer_per": "device", "banner": {"de": "B", "en": "B"}},
    )
    for key in ("payment", "workflow"):
        del data[key]
    data["steps"][0]["fields"] = [
        f for f in data["steps"][0]["fields"] if f["type"] not in ("file",)
    ]
    assert _problems(data)["guide"] == "survey_forbids"


@pytest.mark.parametrize("slug", ["dueren", "guetersloh"])
def test_every_builtin_example_is_a_valid_answer_in_both_demo_cities(app, slug):
    city = load_city(slug)
    address = city.data["guide_example_address"]
    directory = load_directory(city.file("streets"))
    assert check_city_address(address, directory) == []
    today = date.today()
    with_guide = 0
    for service_id, definition in builtin_for(city).items():
        guide = definition.data.get("guide")
        if not guide:
            continue
        with_guide += 1
        examples = resolved_examples(definition.data, today, address)
        result = validate_answers(definition, examples, today, directory)
        # Fields without an example are missing; no example itself may be wrong.
        given = set(examples)
        wrong = [
            error
            for error in result.errors
            if error.path.split(".")[0].split("[")[0] in given and error.code != "required"
        ]
        assert wrong == [], (service_id, wrong)
        for field_id in given:
            assert field_id in result.answers, (service_id, field_id)
    assert with_guide >= 5


def test_a_choice_from_data_takes_a_value_without_asking_the_data(monkeypatch):
    from app.service_definitions.field_types import choice

    def no_data(field):
        if field.get("options_from"):
            raise AssertionError("loading asked the option source")
        return field.get("options") or []

    data = _with(colour="red")
    colour = data["steps"][0]["fields"][2]
    del colour["options"]
    colour["options_from"] = "kita_facilities"
    # The source offers "1", "2", "3" here (conftest); loading must not even ask it.
    monkeypatch.setattr(choice, "current_options", no_data)
    assert parse_definition(data).data["guide"]["examples"]["colour"] == "red"
    data["guide"]["examples"]["colour"] = 3
    assert _problems(data) == {"guide.examples.colour": "guide.example_invalid"}
