"""Translations: German and English catalogues hold the same keys and placeholders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app import i18n
from app.env_values import ConfigError
from app.i18n import LOCALES, catalogue, negotiate, translate
from app.languages import (
    STAFF_LANGUAGES,
    STAFF_NAMESPACES,
    citizen_facing_namespace,
    parse_languages,
)
from tests.catalogue_rules import problems as catalogue_problems


def test_catalogues_have_the_same_keys_and_placeholders():
    german, english = catalogue("de"), catalogue("en")
    assert set(german) == set(english)
    for key in german:
        assert set(re.findall(r"{(\w+)}", german[key])) == set(
            re.findall(r"{(\w+)}", english[key])
        ), key


def test_translate_fills_placeholders_and_falls_back():
    assert "3" in translate("fields.code_wrong", "de", remaining=3)
    assert translate("fields.code_wrong", "fr", remaining=3) == translate(
        "fields.code_wrong", "de", remaining=3
    )
    assert translate("no.such.key", "en") == "no.such.key"


def test_negotiate():
    assert negotiate(None) == "de"
    assert negotiate("en-GB,en;q=0.9") == "en"
    assert negotiate("fr-FR, en;q=0.5, de;q=0.7") == "de"
    assert negotiate("garbage;q=x") == "de"


def test_every_error_code_used_by_the_api_is_translated():
    import pathlib

    source = "\n".join(p.read_text() for p in pathlib.Path("app").rglob("*.py")) + "\n".join(
        p.read_text() for p in pathlib.Path("api").rglob("*.py")
    )
    codes = set(re.findall(r'DomainError\(\s*"(\w+)"', source)) | set(
        re.findall(r'_code_error\("(\w+)"\)', source)
    )
    field_codes = set(re.findall(r'FieldError\(\s*"\w+",\s*"(\w+)"', source))
    for code in codes:
        assert f"errors.{code}" in catalogue("de"), code
    for code in field_codes:
        assert f"fields.{code}" in catalogue("de"), code


def test_texts_are_rendered_in_the_readers_language():
    from datetime import date

    from app.i18n import Text, render

    title = {"de": "Meldebescheinigung", "en": "Registration certificate"}
    text = Text(
        "applications.inbox.document_subject",
        title=title,
        reference="AB2C DE3F",
    )
    stored = text.to_json()
    assert render(stored, "de").startswith("Meldebescheinigung")
    assert render(stored, "en").startswith("Registration certificate")
    assert "AB2C DE3F" in render(stored, "en")
    nested = Text("applications.inbox.status_body", status=Text("applications.status.submitted"))
    assert render(nested.to_json(), "en") != render(nested.to_json(), "de")
    body = Text("parking.inbox.issued_body", zone="A", plates="DN-AB 1", valid_to=date(2027, 3, 31))
    assert "31.03.2027" in body.render("de") and "31/03/2027" in body.render("en")


# --- every configured language ------------------------------------------------------

LOCALE_DIR = Path(__file__).resolve().parents[2] / "app" / "locales"


def _namespace_file(language: str, namespace: str) -> Path:
    return LOCALE_DIR / language / f"{namespace}.json"


def _namespaces() -> list[str]:
    return sorted(path.stem for path in (LOCALE_DIR / "de").glob("*.json"))


def _expected(language: str) -> list[str]:
    """The namespaces ``language`` must hold: staff-only ones in German and English only."""
    return [
        namespace
        for namespace in _namespaces()
        if language in STAFF_LANGUAGES or citizen_facing_namespace(namespace)
    ]


@pytest.mark.parametrize("language", [lang for lang in LOCALES if lang != "de"])
def test_every_configured_language_has_every_citizen_text(language):
    found: list[str] = []
    for namespace in _expected(language):
        path = _namespace_file(language, namespace)
        if not path.exists():
            found.append(f"{path.relative_to(LOCALE_DIR)} is missing")
            continue
        german = json.loads(_namespace_file("de", namespace).read_text(encoding="utf-8"))
        other = json.loads(path.read_text(encoding="utf-8"))
        found += [
            f"{language}/{namespace}: {p}" for p in catalogue_problems(german, other, language)
        ]
    assert found == []


@pytest.mark.parametrize("language", LOCALES)
def test_staff_texts_stay_german_and_english(language):
    if language in STAFF_LANGUAGES:
        return
    strays = sorted(
        namespace for namespace in STAFF_NAMESPACES if _namespace_file(language, namespace).exists()
    )
    assert strays == [], "staff namespaces are written in German and English only"


def test_the_staff_namespaces_exist():
    # A renamed namespace would otherwise drop out of the list silently.
    assert set(_namespaces()) >= STAFF_NAMESPACES


def test_the_check_finds_missing_stale_and_mismatched_texts():
    german = {"a": "Hallo {name}", "b": "Tschüss", "n": "{count} Anträge", "n_one": "Ein Antrag"}
    arabic = {"a": "مرحبا {nom}", "c": "x", "n": "{count}", "n_one": "1", "n_two": "2"}
    found = catalogue_problems(german, arabic, "ar")
    assert "missing: b" in found
    assert "stale (German has no such text): c" in found
    assert any(p.startswith("placeholders of a:") for p in found)
    assert "missing plural form: n_few" in found and "missing plural form: n_zero" in found
    assert "missing plural form: n_two" not in found
    assert catalogue_problems(german, {**german, "n_one": "1 Antrag"}, "tr") == []
    assert "stale plural form (tr has no 'few'): n_few" in catalogue_problems(
        german, {**german, "n_few": "x"}, "tr"
    )


def test_negotiate_knows_every_configured_language():
    assert negotiate("tr-TR,tr;q=0.9,en;q=0.5") == ("tr" if "tr" in LOCALES else "en")
    assert negotiate("ar") == ("ar" if "ar" in LOCALES else "de")
    assert negotiate("uk-UA, de;q=0.1") == ("uk" if "uk" in LOCALES else "de")
    assert negotiate("fr, it;q=0.8") == "de"


def test_plural_forms_follow_each_languages_rules(monkeypatch):
    tables = {
        "de": {"x.n": "{count} Anträge", "x.n_one": "ein Antrag"},
        "uk": {"x.n": "{count} заяви", "x.n_one": "{count} заява", "x.n_many": "{count} заяв"},
        "ar": {"x.n": "{count} طلب", "x.n_two": "طلبان"},
    }
    monkeypatch.setattr(i18n, "LOCALES", ("de", "en", "tr", "ar", "uk"))
    monkeypatch.setattr(i18n, "catalogue", lambda lang: tables.get(lang, {}))
    assert translate("x.n", "de", count=1) == "ein Antrag"
    assert translate("x.n", "de", count=3) == "3 Anträge"
    assert translate("x.n", "uk", count=21) == "21 заява"
    assert translate("x.n", "uk", count=5) == "5 заяв"
    assert translate("x.n", "uk", count=3) == "3 заяви"  # "few" missing: the general text
    assert translate("x.n", "ar", count=2) == "طلبان"
    assert translate("x.n", "ar", count=7) == "7 طلب"
    # A text the language lacks falls back to German, with German's plural rules.
    assert translate("x.n", "tr", count=1) == "ein Antrag"
    assert i18n.plural_category(11, "uk") == "many"
    assert i18n.plural_category(0, "ar") == "zero"


def test_configured_languages_are_checked_at_start():
    assert parse_languages(None) == ("de", "en", "tr", "ar", "uk")
    assert parse_languages(" uk, de ,en") == ("de", "en", "uk")
    with pytest.raises(ConfigError, match="fr"):
        parse_languages("de,fr")
    with pytest.raises(ConfigError, match="must include de"):
        parse_languages("en,tr")
