"""TCToken: built as the AusweisApp expects it and checked by the rules it applies."""

from __future__ import annotations

import pytest

from app.eid import tctoken
from app.eid.tctoken import TcToken, TcTokenError

GOOD = TcToken(
    server_address="https://eid-server.example/paos",
    session_identifier="7B1F0A6E9C2D4E5FA0B1C2D3E4F50617",
    refresh_address="https://portal.dueren.example/api/eid/refresh?ref=abc",
    communication_error_address="https://portal.dueren.example/api/eid/refresh?ref=abc",
    psk="4A8F1E3C6B2D9A7F",
)


def _with(**changes) -> TcToken:
    from dataclasses import replace

    return replace(GOOD, **changes)


def test_round_trip_and_elements():
    document = tctoken.build(GOOD)
    text = document.decode()
    assert text.startswith("<?xml") and "<TCTokenType>" in text
    assert "<Binding>urn:liberty:paos:2006-08</Binding>" in text
    assert "<PathSecurity-Protocol>urn:ietf:rfc:4279</PathSecurity-Protocol>" in text
    assert "<PathSecurity-Parameters><PSK>4A8F1E3C6B2D9A7F</PSK></PathSecurity-Parameters>" in text
    # The ampersand of a query string must be escaped, or the AusweisApp cannot parse it.
    query = _with(refresh_address="https://portal.dueren.example/api/eid/refresh?a=1&b=2")
    assert "a=1&amp;b=2" in tctoken.build(query).decode()
    assert tctoken.parse(document) == GOOD
    assert tctoken.validate(tctoken.parse(document)) == GOOD


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"binding": "urn:liberty:paos:2003-08"}, "Binding must be urn:liberty:paos:2006-08"),
        ({"path_security_protocol": "urn:ietf:rfc:5246"}, "PathSecurity-Protocol must be"),
        ({"psk": "ABC"}, "PSK must be hexadecimal with an even number of digits"),
        ({"psk": "4A8G"}, "PSK must be hexadecimal with an even number of digits"),
        ({"psk": ""}, "PSK is missing"),
        ({"session_identifier": ""}, "SessionIdentifier is missing"),
        ({"server_address": "http://eid-server.example/paos"}, "ServerAddress must be an https"),
        ({"refresh_address": "http://portal.example/r"}, "RefreshAddress must be an https"),
        ({"refresh_address": ""}, "RefreshAddress is missing"),
        ({"refresh_address": "/api/eid/refresh"}, "RefreshAddress is not an absolute URL"),
        (
            {"communication_error_address": "http://portal.example/e"},
            "CommunicationErrorAddress must be an https",
        ),
    ],
)
def test_rules_of_the_ausweisapp(changes, problem):
    with pytest.raises(TcTokenError) as info:
        tctoken.validate(_with(**changes))
    assert any(found.startswith(problem) for found in info.value.problems), info.value.problems


def test_test_mode_allows_plain_http_but_not_other_breakage():
    local = _with(
        server_address="http://localhost:5000/api/eid/simulator/paos",
        refresh_address="http://localhost:5000/api/eid/refresh?ref=x",
        communication_error_address="http://localhost:5000/api/eid/refresh?ref=x",
    )
    assert tctoken.problems(local, test_mode=True) == []
    assert len(tctoken.problems(local, test_mode=False)) == 3
    assert tctoken.problems(_with(psk="ABC"), test_mode=True)


def test_optional_communication_error_address_and_lower_case_psk():
    assert tctoken.problems(_with(communication_error_address="", psk="0a1b")) == []


def test_parse_refuses_other_documents_and_dtds():
    with pytest.raises(TcTokenError):
        tctoken.parse(b"<TCToken><Binding>urn:liberty:paos:2006-08</Binding></TCToken>")
    with pytest.raises(ValueError):
        tctoken.parse(
            b'<?xml version="1.0"?><!DOCTYPE TCTokenType [<!ENTITY x "y">]>'
            b"<TCTokenType><Binding>&x;</Binding></TCTokenType>"
        )
    missing = tctoken.parse(
        b"<TCTokenType><Binding>urn:liberty:paos:2006-08</Binding></TCTokenType>"
    )
    assert "ServerAddress is missing" in tctoken.problems(missing)
