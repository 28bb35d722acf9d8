"""The summary in Leichte Sprache: every built-in service has one, and a text that
breaks a measurable rule is refused when it loads, naming the path and the rule."""

from __future__ import annotations

import pytest

from app.service_definitions import DefinitionError, load_builtin, parse_definition
from app.service_definitions.leichte_sprache import MAX_WORDS

from .support import sample_data

VALID = {
    "title": "Hund anmelden für die Hunde-Steuer",
    "sections": [
        {
            "heading": "Worum geht es?",
            "sentences": [
                "Sie haben einen Hund.",
                "Sie melden Ihren Hund bei der Stadt {city} an.",
                "Sie zahlen in 4 Teilen: am 15. Februar und später.",
            ],
        }
    ],
}


def _with_sentence(sentence: str) -> dict:
    data = sample_data()
    data["leichte_sprache"] = {
        "title": VALID["title"],
        "sections": [{"heading": "Worum geht es?", "sentences": ["Gut so.", sentence]}],
    }
    return data


def _refused(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, "sample.yaml")
    return [(found.path, found.code) for found in caught.value.problems]


def test_every_builtin_service_has_a_summary_in_leichte_sprache():
    for service_id, definition in load_builtin().items():
        summary = definition.data.get("leichte_sprache")
        assert summary and summary["sections"], service_id


def test_a_text_by_the_rules_loads_as_written():
    data = sample_data()
    data["leichte_sprache"] = VALID
    assert parse_definition(data).data["leichte_sprache"] == VALID


def test_a_long_sentence_is_refused_with_its_path():
    long = " ".join(["Wort"] * (MAX_WORDS + 1)) + "."
    path = "leichte_sprache.sections[0].sentences[1]"
    assert _refused(_with_sentence(long)) == [(path, "leichte_sprache.too_many_words")]
    with pytest.raises(DefinitionError, match=r"sample\.yaml: leichte_sprache\.sections\[0\]"):
        parse_definition(_with_sentence(long), "sample.yaml")


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Sie zahlen. Dann kommt der Bescheid.", "leichte_sprache.one_statement"),
        ("Sie brauchen z. B. einen Ausweis.", "leichte_sprache.one_statement"),
        ("Sie bekommen ein PDF.", "leichte_sprache.abbreviation"),
        ("Sie haben zwei Wochen Zeit.", "leichte_sprache.number_word"),
        ("Hast du einen Hund?", "leichte_sprache.informal"),
        ("Sie bekommen eine Meldebescheinigung.", "leichte_sprache.long_word"),
        ("Sie wohnen in {stadt}.", "leichte_sprache.placeholder"),
        ("Sie haben einen Hund", "leichte_sprache.sentence_end"),
    ],
)
def test_each_rule_refuses_its_breach(sentence, code):
    assert _refused(_with_sentence(sentence)) == [
        ("leichte_sprache.sections[0].sentences[1]", code)
    ]


def test_titles_and_headings_are_short_and_keep_the_rules():
    data = sample_data()
    data["leichte_sprache"] = {
        "title": "Hier steht ein Titel mit viel zu vielen Wörtern drin",
        "sections": [{"heading": "Was kostet das PDF?", "sentences": ["Gut so."]}],
    }
    assert _refused(data) == [
        ("leichte_sprache.title", "leichte_sprache.too_many_words"),
        ("leichte_sprache.sections[0].heading", "leichte_sprache.abbreviation"),
    ]


def test_the_summary_is_german_only_and_shaped_by_the_schema():
    data = sample_data()
    data["leichte_sprache"] = {"title": {"de": "Titel", "en": "Title"}, "sections": []}
    paths = {path for path, _code in _refused(data)}
    assert {"leichte_sprache.title", "leichte_sprache.sections"} <= paths
