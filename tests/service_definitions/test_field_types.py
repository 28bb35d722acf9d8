"""Validation edge cases per field type, through the public validate_answers."""

from __future__ import annotations

import pytest

from app.service_definitions import ServiceDefinition, validate_answers, validate_partial

from .support import TODAY, codes, definition_with_fields, text

FIELDS = [
    {"id": "short_text", "type": "text", "label": text(), "min_length": 2, "max_length": 10},
    {
        "id": "postcode",
        "type": "text",
        "label": text(),
        "pattern": "[0-9]{5}",
    },
    {
        "id": "tag",
        "type": "text",
        "label": text(),
        "pattern": "[0-9]{1,6}",
        "pattern_message": "validation.pattern.tax_tag_number",
    },
    {"id": "notes", "type": "textarea", "label": text(), "max_length": 20},
    {"id": "count", "type": "number", "label": text(), "min": 1, "max": 10},
    {"id": "weight", "type": "number", "label": text(), "integer": False, "min": 0.5, "max": 99.5},
    {"id": "intake", "type": "date", "label": text(), "min_date": "-14d", "max_date": "today"},
    {"id": "delivery", "type": "date", "label": text(), "min_date": "+5wd", "max_date": "+3m"},
    {"id": "since", "type": "date", "label": text(), "min_date": "2000-01-01"},
    {
        "id": "colour",
        "type": "select",
        "label": text(),
        "options": [{"value": "red", "label": text()}, {"value": "blue", "label": text()}],
    },
    {"id": "consent", "type": "checkbox", "label": text()},
    {"id": "email", "type": "email", "label": text()},
    {"id": "phone", "type": "phone", "label": text()},
    {"id": "iban", "type": "iban", "label": text()},
    {"id": "iban_de", "type": "iban", "label": text(), "countries": ["DE"]},
    {"id": "plate", "type": "licence_plate", "label": text()},
    {"id": "home", "type": "address", "label": text()},
    {"id": "elsewhere", "type": "address", "label": text(), "scope": "any"},
    {
        "id": "proof",
        "type": "file",
        "label": text(),
        "accept": ["application/pdf", "image/*"],
        "max_size_bytes": 1048576,
        "max_count": 2,
    },
]


@pytest.fixture(scope="module")
def form() -> ServiceDefinition:
    return definition_with_fields(*FIELDS)


def check(form: ServiceDefinition, field: str, value):
    """Validate one answer; return (cleaned value or None, error code or None, error)."""
    result = validate_answers(form, {field: value}, today=TODAY)
    errors = [error for error in result.errors if error.path.split(".")[0].split("[")[0] == field]
    if errors:
        return None, errors[0].code, errors[0]
    return result.answers.get(field), None, None


def upload(**overrides):
    item = {"upload_id": "u1", "filename": "a.pdf", "content_type": "application/pdf", "size": 1000}
    item.update(overrides)
    return item


@pytest.mark.parametrize(
    ("field", "value", "cleaned", "code"),
    [
        # text
        ("short_text", "  Max   Muster  ", "Max Muster", None),
        ("short_text", "A", None, "text.too_short"),
        ("short_text", "A" * 11, None, "text.too_long"),
        ("short_text", 12, None, "invalid_value"),
        ("short_text", "Bel\x00lo", "Bello", None),
        ("postcode", "52349", "52349", None),
        ("postcode", "5234", None, "text.pattern"),
        ("postcode", "52349x", None, "text.pattern"),
        ("notes", "Zeile 1\r\nZeile 2  ", "Zeile 1\nZeile 2", None),
        ("notes", "x" * 21, None, "text.too_long"),
        # numbers
        ("count", 3, 3, None),
        ("count", "3", 3, None),
        ("count", 3.0, 3, None),
        ("count", " 10 ", 10, None),
        ("count", "2,5", None, "number.not_integer"),
        ("count", 0, None, "number.too_small"),
        ("count", 11, None, "number.too_large"),
        ("count", True, None, "number.invalid"),
        ("count", "drei", None, "number.invalid"),
        ("count", "1e5", None, "number.invalid"),
        ("count", float("nan"), None, "number.invalid"),
        ("weight", "2,5", 2.5, None),
        ("weight", 0.4, None, "number.too_small"),
        ("weight", "99.6", None, "number.too_large"),
        # dates relative to today (Wednesday 2024-06-12)
        ("intake", "2024-06-12", "2024-06-12", None),
        ("intake", "2024-05-29", "2024-05-29", None),
        ("intake", "29.05.2024", "2024-05-29", None),
        ("intake", "2024-05-28", None, "date.too_early"),
        ("intake", "2024-06-13", None, "date.too_late"),
        ("intake", "2024-02-30", None, "date.invalid"),
        ("intake", "gestern", None, "date.invalid"),
        ("intake", 20240612, None, "date.invalid"),
        ("delivery", "2024-06-19", "2024-06-19", None),
        ("delivery", "2024-06-18", None, "date.too_early"),
        ("delivery", "2024-09-12", "2024-09-12", None),
        ("delivery", "2024-09-13", None, "date.too_late"),
        ("since", "1999-12-31", None, "date.too_early"),
        # choices
        ("colour", "red", "red", None),
        ("colour", "green", None, "option.invalid"),
        ("colour", 1, None, "option.invalid"),
        ("consent", True, True, None),
        ("consent", False, False, None),
        ("consent", "true", True, None),
        ("consent", "yes", None, "invalid_value"),
        # e-mail and phone
        ("email", " Erika@Example.DE ", "Erika@example.de", None),
        ("email", "erika@", None, "email.invalid"),
        ("email", "erika example.de", None, "email.invalid"),
        ("email", "erika@localhost", None, "email.invalid"),
        ("phone", "02421 25-0", "02421 25-0", None),
        ("phone", "+49 (2421) 25 0", "+49 (2421) 25 0", None),
        ("phone", "123", None, "phone.invalid"),
        ("phone", "0241 abc", None, "phone.invalid"),
        # IBAN
        ("iban", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", None),
        ("iban", "de89370400440532013000", "DE89370400440532013000", None),
        ("iban", "DE89370400440532013001", None, "iban.checksum"),
        ("iban", "DE8937040044053201300", None, "iban.invalid"),
        ("iban", "XX89370400440532013000", None, "iban.invalid"),
        ("iban", "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", None),
        ("iban", "BR1800360305000010009795493C1", None, "iban.not_sepa"),
        ("iban", 12345, None, "iban.invalid"),
        ("iban_de", "GB82WEST12345698765432", None, "iban.country_not_allowed"),
        ("iban_de", "DE89370400440532013000", "DE89370400440532013000", None),
        # licence plates
        ("plate", "dn ab 123", "DN-AB 123", None),
        ("plate", "DN-AB123", "DN-AB 123", None),
        ("plate", "DN-AB 123 E", "DN-AB 123E", None),
        ("plate", "dn-ab 123h", "DN-AB 123H", None),
        ("plate", "B-A 1", "B-A 1", None),
        ("plate", "tü-ab 12", "TÜ-AB 12", None),
        ("plate", "K\u2013X 9999", "K-X 9999", None),
        ("plate", "ABC-DE 123", "ABC-DE 123", None),
        ("plate", "ABC-DE 1234", None, "licence_plate.too_long"),
        ("plate", "DNAB123", None, "licence_plate.invalid"),
        ("plate", "DN-ABC 123", None, "licence_plate.invalid"),
        ("plate", "DN-AB 0123", None, "licence_plate.invalid"),
        ("plate", "DN-AB 12345", None, "licence_plate.invalid"),
        ("plate", "DN-AB", None, "licence_plate.invalid"),
        ("plate", "DN-AB 123X", None, "licence_plate.invalid"),
        ("plate", "DN-Ä 12", None, "licence_plate.invalid"),
        ("plate", "ABCD-E 1", None, "licence_plate.invalid"),
        # files
        ("proof", [upload()], [upload()], None),
        (
            "proof",
            upload(content_type="image/png", filename="a.png"),
            [upload(content_type="image/png", filename="a.png")],
            None,
        ),
        ("proof", [upload(extra="dropped")], [upload()], None),
        ("proof", [upload(content_type="application/zip")], None, "file.content_type"),
        ("proof", [upload(size=1048577)], None, "file.too_large"),
        ("proof", [upload(), upload(), upload()], None, "file.too_many"),
        ("proof", [{"filename": "a.pdf"}], None, "file.invalid"),
        ("proof", "a.pdf", None, "file.invalid"),
    ],
)
def test_field_type(form, field, value, cleaned, code):
    got_value, got_code, _ = check(form, field, value)
    assert got_code == code
    assert got_value == cleaned


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        (
            {"street": "Kölnstraße", "house_number": "5"},
            {
                "street": "Kölnstraße",
                "house_number": "5",
                "postal_code": "52351",
                "city": "Düren",
                "parking_zone": "C",
            },
        ),
        (
            {"street": "koelnstr.", "house_number": "100 B"},
            {
                "street": "Kölnstraße",
                "house_number": "100b",
                "postal_code": "52351",
                "city": "Düren",
                "parking_zone": "D",
            },
        ),
        (
            {"street": " KÖLNSTRASSE ", "house_number": 200, "postal_code": "99999"},
            {
                "street": "Kölnstraße",
                "house_number": "200",
                "postal_code": "52351",
                "city": "Düren",
                "parking_zone": None,
            },
        ),
    ],
)
def test_city_address_is_normalised_from_the_directory(form, value, cleaned):
    assert check(form, "home", value)[0] == cleaned


@pytest.mark.parametrize(
    ("value", "path", "code"),
    [
        ({"street": "Hauptstraße", "house_number": "1"}, "home.street", "address.street_unknown"),
        (
            {"street": "Kölnstraße", "house_number": "999"},
            "home.house_number",
            "address.house_number_out_of_range",
        ),
        (
            {"street": "Kölnstraße", "house_number": "0"},
            "home.house_number",
            "address.house_number_invalid",
        ),
        (
            {"street": "Kölnstraße", "house_number": "12-14"},
            "home.house_number",
            "address.house_number_invalid",
        ),
        ({"street": "Kölnstraße"}, "home.house_number", "required"),
        ({"house_number": "3"}, "home.street", "required"),
        ("Kölnstraße 5", "home", "address.invalid"),
    ],
)
def test_city_address_errors(form, value, path, code):
    result = validate_answers(form, {"home": value}, today=TODAY)
    assert codes(result) == {path: code}


def test_unknown_street_message_names_street_and_city(form):
    _, _, error = check(form, "home", {"street": "Hauptstraße", "house_number": "1"})
    assert error.render("de") == (
        "Die Straße „Hauptstraße“ gibt es in Düren nicht. Bitte prüfen Sie die Schreibweise "
        "oder wählen Sie die Straße aus der Liste."
    )


def test_address_outside_the_city(form):
    value = {
        "street": " Heidestraße ",
        "house_number": "17",
        "postal_code": "51147",
        "city": "Köln",
    }
    assert check(form, "elsewhere", value)[0] == {
        "street": "Heidestraße",
        "house_number": "17",
        "postal_code": "51147",
        "city": "Köln",
    }
    result = validate_answers(
        form, {"elsewhere": {"street": "Heidestraße", "house_number": "17", "postal_code": "5114"}}
    )
    assert codes(result) == {
        "elsewhere.postal_code": "address.postal_code_invalid",
        "elsewhere.city": "required",
    }


def test_pattern_message_from_the_definition(form):
    _, code, error = check(form, "tag", "12a")
    assert code == "text.pattern"
    assert error.render("de") == "Die Nummer der Hundesteuermarke besteht aus 1 bis 6 Ziffern."
    assert error.render("en") == "The dog tax tag number has 1 to 6 digits."
    _, _, default = check(form, "postcode", "1")
    assert default.render("en") == "This entry is not in the expected form. Please check it."


def test_error_params_carry_the_resolved_bounds(form):
    _, _, error = check(form, "intake", "2024-05-28")
    assert error.params == {"min_date": "2024-05-29"}
    assert error.render("de") == "Das Datum darf nicht vor dem 29.05.2024 liegen."
    assert error.render("en") == "The date must not be before 2024-05-29."
    _, _, error = check(form, "weight", 0.4)
    assert error.render("de") == "Bitte geben Sie eine Zahl ab 0,5 ein."
    _, _, error = check(form, "proof", [upload(content_type="text/plain")])
    assert error.path == "proof[0]"
    assert error.render("en").endswith("Possible are: PDF, image/*.")


def test_empty_answers_count_as_not_given(form):
    result = validate_answers(form, {"short_text": "   ", "proof": [], "home": {}}, today=TODAY)
    assert result.errors == []
    assert result.answers == {}


def test_drafts_keep_invalid_answers_but_report_them(form):
    result = validate_partial(form, {"count": "drei", "plate": "dn ab 1"}, today=TODAY)
    assert codes(result) == {"count": "number.invalid"}
    assert result.answers == {"count": "drei", "plate": "DN-AB 1"}
