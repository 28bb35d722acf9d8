"""Every problem a definition can have reads in German and English, and the English
text is the one the loader prints for files."""

from __future__ import annotations

import string

import pytest

from app.i18n import LOCALES, catalogue
from app.service_definitions import DefinitionError, parse_definition
from app.service_definitions.problems import CODES, MESSAGE_PREFIX, Problem, coded, problem
from tests.service_definitions.support import sample_data


@pytest.mark.parametrize("locale", LOCALES)
def test_every_problem_code_has_a_text_with_its_parameters(locale):
    texts = catalogue(locale)
    for code, params in CODES.items():
        text = texts.get(MESSAGE_PREFIX + code)
        assert text, f"{locale}: no text for {code}"
        named = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
        assert named <= set(params), f"{locale}: {code} names {named - set(params)}"


def test_no_text_without_a_code():
    for locale in LOCALES:
        keys = {key for key in catalogue(locale) if key.startswith(MESSAGE_PREFIX)}
        assert keys == {MESSAGE_PREFIX + code for code in CODES}


def test_a_problem_is_still_the_pair_the_loader_printed():
    found = problem("steps[0].id", "duplicate_step_id", id="main")
    assert found == ("steps[0].id", "duplicate step id 'main'")
    assert found.render("de") == "Die Kennung 'main' hat schon ein anderer Schritt."
    assert coded(("x", "anything")).render("de") == "anything"
    with pytest.raises(ValueError, match="lacks parameters"):
        Problem("x", "duplicate_step_id")
    with pytest.raises(ValueError, match="unregistered"):
        problem("x", "no_such_code")


def test_every_semantic_problem_of_a_broken_definition_has_a_code():
    data = sample_data()
    data["steps"].append(
        dict(
            data["steps"][0], fields=[{"id": "x", "type": "text", "label": {"de": "a", "en": "a"}}]
        )
    )
    data["trust_level"] = "high"
    data["fees"]["rules"][0]["when"] = {"field": "nope", "equals": 1}
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="t.yaml")
    codes = [item.code for item in caught.value.problems]
    assert codes == ["duplicate_step_id", "unknown_field", "trust_note_missing"]
    assert str(caught.value).splitlines()[0] == "t.yaml: steps[1].id: duplicate step id 'main'"
