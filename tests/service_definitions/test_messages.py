"""Every message the engine can emit exists in German and English with matching placeholders."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from app.i18n import LOCALES, catalogue
from app.service_definitions import CODES, Issue, render_issue
from app.service_definitions.errors import MESSAGE_PREFIX, issue

LOCALE_DIR = Path(__file__).resolve().parents[2] / "app" / "locales"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(CODES))
@pytest.mark.parametrize("locale", LOCALES)
def test_every_code_has_a_message(code, locale):
    key = MESSAGE_PREFIX + code
    text = catalogue(locale).get(key)
    assert text, f"{key} missing in {locale}"
    assert placeholders(text) == set(CODES[code]), f"{key} ({locale}) placeholders"
    rendered = render_issue(issue("field", code, **dict.fromkeys(CODES[code], "X")), locale)
    assert "{" not in rendered


def test_validation_catalogues_have_the_same_keys():
    keys = [
        set(json.loads((LOCALE_DIR / locale / "validation.json").read_text(encoding="utf-8")))
        for locale in LOCALES
    ]
    assert keys[0] == keys[1]
    assert all(key.startswith("validation.") for key in keys[0])


def test_messages_used_by_builtin_definitions_exist(builtin):
    used = []
    for definition in builtin.values():
        for info in definition.fields.values():
            if isinstance(info.field.get("pattern_message"), str):
                used.append((info.field["pattern_message"], {}))
        for warning in definition.data["warnings"]:
            used.append((warning["message"], warning.get("params") or {}))
    assert used
    for key, params in used:
        for locale in LOCALES:
            text = catalogue(locale).get(key)
            assert text, f"{key} missing in {locale}"
            assert placeholders(text) <= set(params)


def test_unregistered_codes_are_refused():
    with pytest.raises(ValueError, match="unregistered"):
        issue("x", "made.up")
    with pytest.raises(ValueError, match="unregistered"):
        Issue("x", "made.up")
    with pytest.raises(ValueError, match="lacks parameters"):
        issue("x", "number.too_small")
    # Definitions may word their own issues; those carry the message with them.
    inline = Issue("x", "warning.custom", {"n": 2}, {"de": "Achtung: {n}", "en": "Note: {n}"})
    assert inline.render("de") == "Achtung: 2"
    assert inline.render("en") == "Note: 2"
    assert inline.render("fr") == "Achtung: 2"


def test_rendering_formats_parameters_per_locale():
    error = issue("d", "date.too_late", max_date="2024-12-31")
    assert error.render("de") == "Das Datum darf nicht nach dem 31.12.2024 liegen."
    assert error.render("en") == "The date must not be after 2024-12-31."
    files = issue("f", "file.content_type", allowed=["application/pdf", "image/jpeg"])
    assert files.render("de") == "Diese Dateiart ist hier nicht möglich. Möglich sind: PDF, JPEG."
    size = issue("f", "file.too_large", max_size_mb=2.5)
    assert size.render("de") == "Die Datei ist zu groß. Erlaubt sind höchstens 2,5 MB."
    assert size.render("en") == "The file is too large. The limit is 2.5 MB."
    assert error.to_dict() == {
        "path": "d",
        "code": "date.too_late",
        "params": {"max_date": "2024-12-31"},
    }
