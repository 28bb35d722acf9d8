"""From card data to verified profile values."""

from __future__ import annotations

from datetime import date

import pytest

from app.eid import identity, messages
from app.eid.identity import from_personal_data, hash_restricted_id, split_street
from tests.fakes.eid_server import message


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("HEIDESTRASSE 17", ("HEIDESTRASSE", "17")),
        ("OBERSTRASSE 21A", ("OBERSTRASSE", "21A")),
        ("HAUPTSTR. 3 B", ("HAUPTSTR.", "3B")),
        ("KAISERPLATZ 2-4", ("KAISERPLATZ", "2-4")),
        ("STRASSE DES 17. JUNI 5", ("STRASSE DES 17. JUNI", "5")),
        ("AM MARKT", ("AM MARKT", "")),
        ("  WIRTELSTRASSE   12 ", ("WIRTELSTRASSE", "12")),
    ],
)
def test_split_street(card, expected):
    assert split_street(card) == expected


def test_pseudonym_hash_ignores_hex_case_and_hides_the_value():
    value = "3F8A2C6E1B9D4F7A"
    assert hash_restricted_id(value) == hash_restricted_id(value.lower())
    assert value.lower() not in hash_restricted_id(value)
    assert len(hash_restricted_id(value)) == 64


def test_identity_from_full_card():
    data = messages.parse_get_result_response(message("getresult_response_ok.xml")).personal_data
    found = from_personal_data(data)
    assert found.identifies
    assert found.profile_values() == {
        "given_names": "ERIKA",
        "family_name": "MUSTERMANN",
        "date_of_birth": date(1964, 8, 12),
        "street": "HEIDESTRASSE",
        "house_number": "17",
        "postal_code": "51147",
        "city": "KÖLN",
    }
    assert found.place_of_birth == "BERLIN" and found.document_type == "ID"
    assert identity.Identity.from_json(found.to_json()) == found


def test_identity_from_card_with_partial_date_and_no_address():
    data = messages.parse_get_result_response(
        message("getresult_response_partial.xml")
    ).personal_data
    found = from_personal_data(data)
    # A date with unknown parts is not a verified date: not enough to identify.
    assert found.date_of_birth is None and not found.identifies
    assert found.place_of_birth == ""
    assert found.profile_values() == {"given_names": "AMINA", "family_name": "YUSUF"}
