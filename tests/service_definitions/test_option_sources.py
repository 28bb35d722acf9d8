"""Choice fields whose options come from data (``options_from``): loading, cleaning,
display, answers schema and the definition as served to the PWA."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.applications.served import resolve, served, served_etag
from app.applications.summary import format_value
from app.service_definitions import DefinitionError, parse_definition, plugins, validate_answers
from app.service_definitions.answers_schema import answers_schema

from .support import TODAY, FixedOptions, codes, definition_with_fields, sample_data, text


def _place(**extra: Any) -> dict[str, Any]:
    return {"id": "place", "type": "select", "label": text(), "options_from": "places", **extra}


@pytest.fixture
def places():
    source = FixedOptions(["1", "2"], retired=("9",))
    with plugins.option_sources.registered("places", source):
        yield source


@pytest.mark.parametrize(
    ("field", "path", "text_start"),
    [
        (
            _place(options_from="nowhere"),
            "steps[0].fields[0].options_from",
            "unknown option source 'nowhere'",
        ),
        (
            _place(options=[{"value": "a", "label": text()}]),
            "steps[0].fields[0].options_from",
            "a choice has either its own options or a source",
        ),
        (
            {"id": "place", "type": "radio", "label": text()},
            "steps[0].fields[0].options",
            "a choice needs at least one option",
        ),
        (
            {"id": "place", "type": "text", "label": text(), "options_from": "places"},
            "steps[0].fields[0].options_from",
            "not allowed for a field of type 'text'",
        ),
    ],
)
def test_a_wrong_option_source_fails_loading_at_its_path(places, field, path, text_start):
    data = sample_data()
    data["steps"][0]["fields"] = [field]
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, source="test.yaml")
    found = dict(raised.value.problems)
    assert path in found, found
    assert found[path].startswith(text_start)


@pytest.mark.parametrize(
    ("offered", "answer", "error"),
    [
        (["1", "2"], "1", None),
        (["1", "2"], "2", None),
        # A value the source does not offer (any more): a form loaded before it changed.
        (["1", "2"], "9", "option.unavailable"),
        (["2"], "1", "option.unavailable"),
        (["1", "2"], 1, "option.unavailable"),
    ],
)
def test_an_answer_is_checked_against_the_current_options(places, offered, answer, error):
    definition = definition_with_fields(_place(required=True))
    places.offered = offered
    result = validate_answers(definition, {"place": answer}, today=TODAY)
    assert codes(result) == ({} if error is None else {"place": error})
    if error is None:
        assert result.answers["place"] == answer


def test_the_unavailable_message_is_german_and_english(places):
    definition = definition_with_fields(_place())
    [problem] = validate_answers(definition, {"place": "7"}, today=TODAY).errors
    assert problem.render("de") == "Diese Möglichkeit gibt es nicht mehr. Bitte wählen Sie neu."
    assert problem.render("en") == "This option is no longer available. Please choose again."


@pytest.mark.parametrize(
    ("value", "locale", "shown"),
    [("1", "de", "Ort 1"), ("2", "en", "Place 2"), ("9", "de", "Ort 9"), ("77", "de", "77")],
)
def test_a_stored_answer_shows_the_sources_label(places, value, locale, shown):
    # "9" may no longer be chosen; a receipt still names it. "77" the source never knew.
    assert format_value(_place(), value, locale) == shown


def test_the_answers_schema_does_not_fix_the_values(places):
    definition = definition_with_fields(_place())
    schema = answers_schema(definition)["properties"]["place"]
    assert schema["type"] == "string" and "enum" not in schema


def test_a_condition_may_name_any_value_of_a_source(places):
    later = {
        "id": "note",
        "type": "text",
        "label": text(),
        "visible_if": {"field": "place", "equals": "5"},
    }
    definition = definition_with_fields(_place(), later)
    result = validate_answers(definition, {"place": "2", "note": "x"}, today=TODAY)
    assert result.errors == [] and "note" not in result.answers


def test_the_served_definition_carries_the_options_and_moves_with_them(places):
    definition = definition_with_fields(_place(), {"id": "name", "type": "text", "label": text()})
    stored = copy.deepcopy(definition.data)
    data, etag = served(definition, "fp")
    assert [option["value"] for option in data["steps"][0]["fields"][0]["options"]] == ["1", "2"]
    assert data["steps"][0]["fields"][0]["options_from"] == "places"
    assert definition.data == stored  # the parsed definition stays as stored
    assert etag != "fp" and served(definition, "fp") == (data, etag)
    places.offered = ["2", "3"]
    changed, moved = served(definition, "fp")
    assert moved != etag and served_etag(definition.data, "fp") == moved
    assert [option["value"] for option in changed["steps"][0]["fields"][0]["options"]] == ["2", "3"]


def test_a_definition_without_sources_is_served_as_stored():
    definition = definition_with_fields({"id": "name", "type": "text", "label": text()})
    assert served(definition, "fp") == (definition.data, "fp")
    assert resolve(definition.data) == definition.data
