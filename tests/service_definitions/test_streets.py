"""The Düren street directory: look-ups, search and validation of the data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.service_definitions import (
    DefinitionError,
    default_directory,
    find_address,
    find_street,
    load_directory,
    search_streets,
)
from app.service_definitions.streets import parse_house_number, street_key


def test_directory_size_and_zones():
    directory = default_directory()
    assert directory.city == "Düren"
    assert len(directory.streets) >= 40
    assert directory.parking_zones == (*"ABCDEFGHIJKL", "N")
    used = {r.zone for street in directory.streets for r in street.ranges if r.zone}
    assert used == set(directory.parking_zones)
    assert any(r.zone is None for street in directory.streets for r in street.ranges)


@pytest.mark.parametrize(
    "spelling",
    [
        "Josef-Schregel-Straße",
        "josef-schregel-straße",
        "Josef-Schregel-Str.",
        "Josef Schregel Str",
        "  JOSEF   SCHREGEL  STRASSE ",
        "Josef-Schregelstr.",
    ],
)
def test_find_street_forgives_spelling(spelling):
    assert find_street(spelling).name == "Josef-Schregel-Straße"


def test_umlauts_can_be_spelt_out():
    assert find_street("Koelnstrasse").name == "Kölnstraße"
    assert find_street("Zuelpicher Str.").name == "Zülpicher Straße"
    assert find_street("Neue Jülicher Str").name == "Neue Jülicher Straße"


def test_find_address():
    address = find_address("kölnstr.", "95 a")
    assert address.to_dict() == {
        "street": "Kölnstraße",
        "house_number": "95a",
        "postal_code": "52351",
        "city": "Düren",
        "parking_zone": "D",
    }
    assert find_address("Markt", 1).parking_zone == "A"
    assert find_address("Euskirchener Straße", "10").parking_zone is None
    assert find_address("Markt", "31") is None
    assert find_address("Markt", "0") is None
    assert find_address("Markt", "abc") is None
    assert find_address("Hauptstraße", "1") is None


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("12", (12, "")),
        ("12a", (12, "a")),
        ("12 B", (12, "b")),
        (7, (7, "")),
        ("0", None),
        ("12-14", None),
        ("", None),
        (None, None),
        (True, None),
        ("12ab", None),
    ],
)
def test_parse_house_number(text, parsed):
    assert parse_house_number(text) == parsed


def test_search_by_prefix_then_by_inner_word():
    names = [street.name for street in search_streets("sch")]
    assert names[:2] == ["Schillerstraße", "Schützenstraße"]
    assert "Josef-Schregel-Straße" in names
    assert names.index("Josef-Schregel-Straße") > names.index("Schützenstraße")
    assert [s.name for s in search_streets("schregel")] == ["Josef-Schregel-Straße"]
    assert [s.name for s in search_streets("KÖLN")] == ["Kölnstraße"]
    assert [s.name for s in search_streets("koelnstr")] == ["Kölnstraße"]


def test_search_limits_and_empty_prefix():
    assert search_streets("") == []
    assert search_streets("  -") == []
    assert len(search_streets("a", limit=3)) == 3
    assert search_streets("xyz") == []
    assert search_streets("markt")[0].to_dict() == {
        "name": "Markt",
        "postal_code": "52349",
        "ranges": [{"from": 1, "to": 30, "zone": "A"}],
    }


def test_street_key_folds_variants():
    assert street_key("Rütger-von-Scheven-Str.") == street_key("Ruetger von Scheven Strasse")
    assert street_key("Kölnstraße") != street_key("Köln")


DIRECTORY = """
city: Teststadt
parking_zones: [A, B]
streets:
  - name: Hauptstraße
    postal_code: "12345"
    ranges:
      - {from: 1, to: 20, zone: A}
{extra}
"""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "      - {from: 15, to: 30, zone: B}",
            "streets.yaml: streets[0].ranges[1]: house number 15 lies in two ranges",
        ),
        (
            "      - {from: 21, to: 30, zone: Z}",
            "streets.yaml: streets[0].ranges[1].zone: 'Z' is not one of ['A', 'B']",
        ),
        (
            "      - {from: 40, to: 30, zone: null}",
            "streets.yaml: streets[0].ranges[1]: from 40 is after to 30",
        ),
        (
            "  - name: Haupt-Str.\n    postal_code: '12345'\n"
            "    ranges: [{from: 1, to: 2, zone: B}]",
            "streets.yaml: streets[1].name: 'Haupt-Str.' is listed twice",
        ),
        (
            "  - name: Nebenweg\n    postal_code: '1234'\n    ranges: [{from: 1, to: 2, zone: A}]",
            "streets.yaml: streets[1].postal_code: '1234' does not match",
        ),
    ],
)
def test_invalid_directory_files_are_rejected(tmp_path: Path, extra, expected):
    path = tmp_path / "streets.yaml"
    path.write_text(DIRECTORY.replace("{extra}", extra), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_directory(path)
    assert str(caught.value).startswith(expected), str(caught.value)


def test_a_custom_directory_can_be_used(tmp_path: Path):
    path = tmp_path / "streets.yaml"
    path.write_text(DIRECTORY.replace("{extra}", ""), encoding="utf-8")
    directory = load_directory(path)
    assert find_address("Hauptstr.", "3", directory).city == "Teststadt"
    assert find_street("Kölnstraße", directory) is None
