"""From BundID's attributes to the person the portal keeps, and the request extension."""

from __future__ import annotations

from datetime import date, datetime
from xml.etree import ElementTree

import pytest

from app.bundid import profile
from app.bundid.binding import hash_pseudonym, person_from
from app.bundid.saml import Answer
from app.errors import DomainError


def answer(level: str, **attributes: str) -> Answer:
    values = {profile.BPK2: "bpk2-value", **attributes}
    return Answer(
        assertion_id="id-1",
        expires_at=datetime(2030, 1, 1),
        level=level,
        attributes={name: [value] for name, value in values.items()},
    )


FULL = {
    profile.GIVEN_NAME: "Anna  Lena",
    profile.SURNAME: "von der Heide",
    profile.BIRTH_DATE: "1990-02-03",
    profile.PLACE_OF_BIRTH: "Düren",
    profile.POSTAL_ADDRESS: "Kaiserplatz 2a",
    profile.POSTAL_CODE: "52349",
    profile.LOCALITY: "Düren",
    profile.COUNTRY: "DE",
    profile.MAIL: "anna@example.org",
}


def test_an_online_id_sign_in_brings_verified_data_split_like_the_card():
    person = person_from(answer(profile.LEVEL_4, **FULL))
    assert person.trust_level == "high"
    assert person.pseudonym_hash == hash_pseudonym("bpk2-value") != "bpk2-value"
    identity = person.identity
    assert identity.given_names == "Anna Lena" and identity.family_name == "von der Heide"
    assert identity.date_of_birth == date(1990, 2, 3)
    assert (identity.street, identity.house_number) == ("Kaiserplatz", "2a")
    assert (identity.postal_code, identity.city) == ("52349", "Düren")
    assert person.email == "anna@example.org"


def test_a_password_sign_in_vouches_for_nothing_but_the_pseudonym():
    person = person_from(answer(profile.LEVEL_1, **FULL))
    assert person.trust_level == "basic"
    assert person.identity.profile_values() == {}
    assert person.email == "anna@example.org"  # offered in the e-mail step, never trusted


def test_an_address_abroad_and_a_partial_birth_date_are_not_taken():
    person = person_from(
        answer(profile.LEVEL_3, **{**FULL, profile.COUNTRY: "AT", profile.BIRTH_DATE: "1990-00-00"})
    )
    assert person.trust_level == "substantial"
    values = person.identity.profile_values()
    assert "city" not in values and "street" not in values
    assert "date_of_birth" not in values


def test_an_answer_without_pseudonym_is_refused():
    empty = Answer("id-2", datetime(2030, 1, 1), profile.LEVEL_4, {profile.SURNAME: ["X"]})
    with pytest.raises(DomainError) as info:
        person_from(empty)
    assert info.value.code == "bundid_data_missing"


@pytest.mark.parametrize(
    ("level", "enabled"),
    [
        ("basic", {"Benutzername", "Elster", "eID"}),
        ("substantial", {"Elster", "eID"}),
        ("high", {"eID"}),
    ],
)
def test_the_request_extension_offers_the_methods_that_reach_the_level(level, enabled):
    root = ElementTree.fromstring(profile.authentication_request_extension(level))
    ns = f"{{{profile.AKDB_NS}}}"
    assert root.tag == f"{ns}AuthenticationRequest" and root.get("Version") == "2"
    methods = root.find(f"{ns}AuthnMethods")
    found = {
        child.tag.removeprefix(ns) for child in methods if child.findtext(f"{ns}Enabled") == "true"
    }
    assert found == enabled
    requested = {
        item.get("Name"): item.get("RequiredAttribute")
        for item in root.iter(f"{ns}RequestedAttribute")
    }
    assert requested[profile.BPK2] == "true" and requested[profile.SURNAME] == "false"
    assert "urn:oid:2.5.4.18" not in requested
