"""The simulated eID-Server: the same message exchange as a real one, strictly."""

from __future__ import annotations

import pytest

from app.eid import messages
from app.eid.messages import GetResultRequest, UseIdRequest
from app.eid.simulator.server import SimulatedEidServer, SimulatorError

WANTED = {"RestrictedID": "REQUIRED", "GivenNames": "REQUIRED", "PlaceOfBirth": "ALLOWED"}


@pytest.fixture
def server(tmp_path) -> SimulatedEidServer:
    return SimulatedEidServer(tmp_path, "https://portal.example", "https://portal.example/paos")


def _open(server: SimulatedEidServer) -> messages.UseIdResponse:
    response = server.use_id(UseIdRequest(WANTED))
    assert response.result.ok and response.psk is not None
    server.remember_client(
        response.session_id, response.psk.key, "https://portal.example/r?x=1", ""
    )
    return response


def test_result_only_after_the_card_step_and_only_once(server):
    session = _open(server)
    early = server.get_result(GetResultRequest(session.session_id, 1))
    assert early.result.minor == messages.MINOR_NO_RESULT_YET
    target = server.authenticate(session.session_id, session.psk.key, "ohne_geburtsort", "ok")
    assert target == "https://portal.example/r?x=1&ResultMajor=ok"
    result = server.get_result(GetResultRequest(session.session_id, 2))
    assert result.result.ok and result.personal_data.given_names == "LEYLA"
    # Only what was asked for is released; a missing place of birth is NOTONCHIP.
    assert result.personal_data.family_names == "" and result.personal_data.place_of_birth is None
    assert result.operations_allowed == {
        "GivenNames": "ALLOWED",
        "PlaceOfBirth": "NOTONCHIP",
        "RestrictedID": "ALLOWED",
    }
    again = server.get_result(GetResultRequest(session.session_id, 3))
    assert again.result.minor == messages.MINOR_INVALID_SESSION


def test_counter_must_grow(server):
    session = _open(server)
    server.get_result(GetResultRequest(session.session_id, 1))
    replay = server.get_result(GetResultRequest(session.session_id, 1))
    assert replay.result.minor == messages.MINOR_INVALID_COUNTER


def test_card_step_needs_the_psk_and_happens_once(server):
    session = _open(server)
    with pytest.raises(SimulatorError):
        server.authenticate(session.session_id, "00" * 32, "erika", "ok")
    with pytest.raises(SimulatorError):
        server.authenticate(session.session_id, session.psk.key, "nobody", "ok")
    target = server.authenticate(session.session_id, session.psk.key, "erika", "wrong_pin")
    assert target.endswith("ResultMajor=error&ResultMinor=securityConditionNotSatisfied")
    with pytest.raises(SimulatorError):
        server.authenticate(session.session_id, session.psk.key, "erika", "ok")
    failed = server.get_result(GetResultRequest(session.session_id, 1))
    assert failed.result.minor == messages.MINOR_WRONG_PIN and failed.personal_data is None


def test_pseudonyms_are_per_card_and_per_provider(server, tmp_path):
    erika = server.release("erika", WANTED)[0].restricted_id
    assert erika == server.release("erika", WANTED)[0].restricted_id
    assert erika != server.release("erika_neu", WANTED)[0].restricted_id
    other = SimulatedEidServer(tmp_path / "o", "https://other.example", "https://other.example/p")
    assert erika != other.release("erika", WANTED)[0].restricted_id


def test_soap_endpoint_logic(server):
    status, answer = server.handle(messages.build_use_id_request(UseIdRequest(WANTED)))
    assert status == 200 and messages.parse_use_id_response(answer).result.ok
    status, answer = server.handle(b"<nonsense/>")
    assert status == 500 and b"Fault" in answer
    status, answer = server.handle(messages.build_use_id_request(UseIdRequest({})))
    assert messages.parse_use_id_response(answer).result.minor == messages.MINOR_MISSING_ARGUMENT
