"""Names and places from the ID card's capitals into normal case."""

from __future__ import annotations

import pytest

from app.eid import letter_case
from app.eid.identity import Identity


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("MUSTERMANN", "Mustermann"),
        ("VON DER LEYEN", "von der Leyen"),
        ("VAN DEN BERG", "van den Berg"),
        ("MÜLLER-LÜDENSCHEIDT", "Müller-Lüdenscheidt"),
        ("SCHMIDT-VON BÜLOW", "Schmidt-von Bülow"),
        ("O'BRIEN", "O'Brien"),
        ("ÖZDEMİR", "Özdemir"),
        ("ÄRGER", "Ärger"),
        ("DE", "De"),  # a particle alone is the whole name
        ("GROẞ", "Groß"),  # a capital sharp s on the card stays a sharp s
        ("Mustermann", "Mustermann"),  # typed by a person: kept
        ("McDonald", "McDonald"),
    ],
)
def test_family_names(card, expected):
    assert letter_case.person_name(card) == expected


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("ERIKA", "Erika"),
        ("ANNA-LENA MARIA", "Anna-Lena Maria"),
        ("JÜRGEN", "Jürgen"),
        ("DE LA", "De La"),  # given names have no particles
    ],
)
def test_given_names(card, expected):
    assert letter_case.given_names(card) == expected


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("KÖLN", "Köln"),
        ("FRANKFURT AM MAIN", "Frankfurt am Main"),
        ("MÜLHEIM AN DER RUHR", "Mülheim an der Ruhr"),
        ("HALLE (SAALE)", "Halle (Saale)"),
        ("RHEDA-WIEDENBRÜCK", "Rheda-Wiedenbrück"),
        ("IM WINKEL", "Im Winkel"),
    ],
)
def test_places(card, expected):
    assert letter_case.place(card) == expected


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        # No "ß" is guessed from "SS": "Heidestrasse", not "Heidestraße".
        ("HEIDESTRASSE", "Heidestrasse"),
        ("AN DER SCHANZE", "An der Schanze"),
        ("UNTER DEN LINDEN", "Unter den Linden"),
        ("STRASSE DES 17. JUNI", "Strasse des 17. Juni"),
        ("KONRAD-ADENAUER-PLATZ", "Konrad-Adenauer-Platz"),
        ("JOSEF-SCHREGEL-STR.", "Josef-Schregel-Str."),
        ("AM ÖLBERG", "Am Ölberg"),
    ],
)
def test_streets(card, expected):
    assert letter_case.street(card) == expected


def test_official_spelling_wins_for_streets_of_the_city():
    assert letter_case.street("WIRTELSTRASSE", lambda s: "Wirtelstraße") == "Wirtelstraße"
    assert letter_case.street("HEIDESTRASSE", lambda s: None) == "Heidestrasse"


def test_identity_display_uses_the_directory_only_in_the_city():
    in_city = Identity("x", street="WIRTELSTRASSE", house_number="12", city="DÜREN")
    elsewhere = Identity("x", street="WIRTELSTRASSE", house_number="12", city="KÖLN")
    assert in_city.display_values()["street"] == "Wirtelstraße"
    assert in_city.display_values()["city"] == "Düren"
    assert elsewhere.display_values()["street"] == "Wirtelstrasse"
