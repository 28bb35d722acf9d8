"""Translations: German and English catalogues hold the same keys and placeholders."""

from __future__ import annotations

import re

from app.i18n import catalogue, negotiate, translate


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
