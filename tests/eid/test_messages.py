"""TR-03130 messages: requests we build, recorded eID-Server answers we parse."""

from __future__ import annotations

from datetime import date

import pytest

from app.eid import messages, results
from app.eid.messages import (
    GetResultRequest,
    GetResultResponse,
    MessageError,
    PersonalData,
    Result,
    SoapFault,
    UseIdRequest,
)
from tests.fakes.eid_server import message


def test_use_id_request_in_schema_order_without_prohibited():
    operations = {"RestrictedID": "REQUIRED", "GivenNames": "ALLOWED", "BirthName": "PROHIBITED"}
    document = messages.build_use_id_request(UseIdRequest(operations))
    text = document.decode()
    assert 'xmlns:eid="http://bsi.bund.de/eID/"' in text
    assert "http://schemas.xmlsoap.org/soap/envelope/" in text
    assert text.index("GivenNames") < text.index("RestrictedID")
    assert "BirthName" not in text
    name, _ = messages.operation(document)
    assert name == "useIDRequest"
    assert messages.parse_use_id_request(document).operations == {
        "GivenNames": "ALLOWED",
        "RestrictedID": "REQUIRED",
    }
    with pytest.raises(MessageError):
        messages.build_use_id_request(UseIdRequest({"Fingerprint": "REQUIRED"}))
    with pytest.raises(MessageError):
        messages.build_use_id_request(UseIdRequest({"GivenNames": "PLEASE"}))


def test_get_result_request_round_trip():
    document = messages.build_get_result_request(GetResultRequest("ABC123", 2))
    assert b"<eid:RequestCounter>2</eid:RequestCounter>" in document
    assert messages.parse_get_result_request(document) == GetResultRequest("ABC123", 2)


def test_recorded_use_id_response():
    response = messages.parse_use_id_response(message("useid_response_ok.xml"))
    assert response.result.ok
    assert response.session_id == "7B1F0A6E9C2D4E5FA0B1C2D3E4F50617"
    assert response.server_address == "https://eid-server.example/eidserver/paos"
    assert response.psk is not None and response.psk.id == response.session_id
    assert len(response.psk.key) == 64


def test_recorded_use_id_error():
    response = messages.parse_use_id_response(message("useid_response_too_many_sessions.xml"))
    assert not response.result.ok and response.psk is None
    assert response.result.minor.endswith("useID#tooManyOpenSessions")
    assert response.result.message.startswith("Too many open sessions")


def test_recorded_get_result_with_all_data():
    response = messages.parse_get_result_response(message("getresult_response_ok.xml"))
    assert response.result.ok
    data = response.personal_data
    assert data is not None
    assert (data.given_names, data.family_names, data.birth_name) == (
        "ERIKA",
        "MUSTERMANN",
        "GABLER",
    )
    assert data.date_of_birth is not None and data.date_of_birth.date_value == date(1964, 8, 12)
    assert data.date_of_expiry == date(2031, 10, 31)
    assert data.place_of_birth is not None and data.place_of_birth.freetext == "BERLIN"
    residence = data.place_of_residence
    assert residence is not None
    assert (residence.street, residence.zip_code, residence.city) == (
        "HEIDESTRASSE 17",
        "51147",
        "KÖLN",
    )
    # Hex case differs between servers; the pseudonym is normalised to lower case.
    assert data.restricted_id == data.restricted_id.lower() and len(data.restricted_id) == 64
    assert response.operations_allowed["PlaceOfBirth"] == "ALLOWED"


def test_recorded_get_result_with_missing_and_partial_data():
    response = messages.parse_get_result_response(message("getresult_response_partial.xml"))
    data = response.personal_data
    assert data is not None
    assert data.date_of_birth is not None
    assert data.date_of_birth.date_string == "1979    " and data.date_of_birth.date_value is None
    assert data.place_of_birth is not None and data.place_of_birth.no_place_info
    assert data.place_of_residence is not None and not data.place_of_residence.structured
    assert response.operations_allowed["PlaceOfBirth"] == "NOTONCHIP"


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("getresult_response_cancelled.xml", "cancelled"),
        ("getresult_response_card_blocked.xml", "card_blocked"),
        ("getresult_response_wrong_pin.xml", "wrong_pin"),
        ("getresult_response_server_error.xml", "server_error"),
        ("getresult_response_no_result_yet.xml", "failed"),
    ],
)
def test_recorded_get_result_errors(fixture, code):
    response = messages.parse_get_result_response(message(fixture))
    assert not response.result.ok and response.personal_data is None
    assert results.error_code(response.result.minor) == code


def test_soap_fault_and_broken_documents():
    with pytest.raises(SoapFault) as info:
        messages.parse_get_result_response(message("soap_fault.xml"))
    assert "not authorised" in info.value.message
    for broken in (
        b"not xml",
        b"<Envelope/>",
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        message("useid_response_ok.xml"),  # the wrong answer for getResult
    ):
        with pytest.raises(MessageError):
            messages.parse_get_result_response(broken)


def test_success_without_personal_data_or_with_bad_pseudonym_is_refused():
    empty = messages.build_get_result_response(GetResultResponse(Result.success()))
    with pytest.raises(MessageError):
        messages.parse_get_result_response(empty)
    for broken in (b"NOT-HEX!", b"3F8A2C6"):  # not hex; odd number of digits
        bad = message("getresult_response_ok.xml").replace(b"3F8A2C6E", broken)
        with pytest.raises(MessageError):
            messages.parse_get_result_response(bad)


def test_unknown_result_major_is_not_success():
    warning = message("getresult_response_ok.xml").replace(
        b"resultmajor#ok", b"resultmajor#warning"
    )
    assert not messages.parse_get_result_response(warning).result.ok


def test_built_get_result_response_parses_back():
    data = PersonalData(
        restricted_id="00ff",
        given_names="ERIKA",
        date_of_birth=messages.GeneralDate.of(date(1964, 8, 12)),
        place_of_residence=messages.Place(street="HEIDESTRASSE 17", city="KÖLN", country="D"),
    )
    document = messages.build_get_result_response(
        GetResultResponse(Result.success(), data, {"GivenNames": "ALLOWED"})
    )
    parsed = messages.parse_get_result_response(document)
    assert parsed.personal_data == data and parsed.operations_allowed == {"GivenNames": "ALLOWED"}


@pytest.mark.parametrize(
    ("minor", "code"),
    [
        ("cancellationByUser", "cancelled"),
        ("trustedChannelEstablishmentFailed", "server_error"),
        ("serverError", "server_error"),
        ("noPermission", "card_blocked"),
        ("http://www.bsi.bund.de/ecard/api/1.1/resultminor/sal#cancellationByUser", "cancelled"),
        ("http://www.bsi.bund.de/ecard/api/1.1/resultminor/ifdl/passwordBlocked", "card_blocked"),
        ("", "failed"),
        (None, "failed"),
        ("<script>", "failed"),
    ],
)
def test_result_minor_chooses_the_message(minor, code):
    assert results.error_code(minor) == code
