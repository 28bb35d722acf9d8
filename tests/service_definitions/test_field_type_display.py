"""Stored answers as summaries, receipts and notices show them, per field type."""

from __future__ import annotations

from typing import Any

import pytest

from app.applications.summary import format_value
from app.service_definitions.field_types import FIELD_TYPES

from .support import text

CHOICE = [{"value": "big", "label": text("Groß", "Large")}]
UPLOAD = {"upload_id": "u1", "filename": "impfpass.pdf", "content_type": "application/pdf"}
ADDRESS = {"street": "Kaiserplatz", "house_number": "2", "postal_code": "52349", "city": "Düren"}

CASES = [
    ("text", {}, "Erika", "de", "Erika"),
    ("textarea", {}, "Zeile 1\nZeile 2", "en", "Zeile 1\nZeile 2"),
    ("number", {}, 3, "de", "3"),
    ("date", {}, "2024-06-12", "de", "12.06.2024"),
    ("select", {"options": CHOICE}, "big", "en", "Large"),
    ("radio", {"options": CHOICE}, "big", "de", "Groß"),
    ("checkbox", {}, True, "de", "Ja"),
    ("checkbox", {}, False, "en", "No"),
    ("email", {}, "erika@example.org", "de", "erika@example.org"),
    ("phone", {}, "02421 250", "de", "02421 250"),
    ("iban", {}, "DE89370400440532013000", "de", "DE89 •••• 3000"),
    ("licence_plate", {}, "DN-AB 123", "de", "DN-AB 123"),
    ("address", {}, ADDRESS, "de", "Kaiserplatz 2, 52349 Düren"),
    ("file", {}, [UPLOAD, dict(UPLOAD, filename="foto.jpg")], "de", "impfpass.pdf, foto.jpg"),
]


@pytest.mark.parametrize(("kind", "options", "value", "locale", "shown"), CASES)
def test_answer_is_shown_as_its_type_says(
    kind: str, options: dict[str, Any], value: Any, locale: str, shown: str
) -> None:
    field = {"id": "f", "type": kind, "label": text(), **options}
    assert format_value(field, value, locale) == shown


def test_every_answering_type_has_a_display_case() -> None:
    answering = {name for name, field_type in FIELD_TYPES.items() if not field_type.holds_fields}
    assert {case[0] for case in CASES} == answering


def test_empty_answers_show_a_dash() -> None:
    for value in (None, "", []):
        assert format_value({"id": "f", "type": "text", "label": text()}, value, "de") == "–"
