"""Service definitions carry text in any configured language: German and English are
required, the portal's other languages optional, and a language code the portal does
not know is refused with its path."""

from __future__ import annotations

import pytest

from app.i18n import LOCALES
from app.languages import KNOWN
from app.service_definitions import DefinitionError, parse_definition
from app.service_definitions.loader import text_schema

from .support import sample_data


def test_a_definition_may_carry_every_configured_language():
    data = sample_data()
    data["title"] = {lang: f"Titel {lang}" for lang in LOCALES}
    definition = parse_definition(data, source="sample.yaml")
    assert definition.data["title"] == {lang: f"Titel {lang}" for lang in LOCALES}


@pytest.mark.parametrize("code", ["fr", "tk", "DE", *[c for c in KNOWN if c not in LOCALES]])
def test_an_unknown_language_is_refused_with_its_path(code):
    data = sample_data()
    data["steps"][0]["fields"][0]["label"] = {"de": "Name", "en": "Name", code: "x"}
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="sample.yaml")
    assert f"sample.yaml: steps[0].fields[0].label.{code}: Additional properties" in str(
        caught.value
    )


def test_german_stays_required():
    data = sample_data()
    data["title"] = {"en": "Title", "tr": "Başlık"}
    with pytest.raises(DefinitionError, match=r"title\.de: 'de' is a required property"):
        parse_definition(data, source="sample.yaml")


@pytest.mark.skipif(len(LOCALES) < 3, reason="PORTAL_LANGUAGES has only de and en")
def test_an_empty_text_in_an_optional_language_is_refused():
    data = sample_data()
    data["description"] = {"de": "Text", "en": "Text", LOCALES[-1]: ""}
    with pytest.raises(DefinitionError, match=rf"description\.{LOCALES[-1]}"):
        parse_definition(data, source="sample.yaml")


def test_only_configured_languages_are_offered():
    # A portal configured for German, English and Ukrainian refuses Turkish text.
    schema = text_schema(("de", "en", "uk"))
    assert set(schema["properties"]) == {"de", "en", "uk"}
    assert schema["required"] == ["de", "en"] and schema["additionalProperties"] is False
