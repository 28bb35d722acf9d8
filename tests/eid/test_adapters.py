"""eID-Server adapters: the plugin registry and the TR-03130 SOAP client over mTLS."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from app.eid import adapters, messages, results
from app.eid.adapters import (
    AdapterConfigError,
    AdapterSettings,
    EidServerAdapter,
    EidServerUnavailable,
)
from app.eid.messages import GetResultRequest, SoapFault, UseIdRequest
from tests.fakes.eid_server import FakeEidServer, make_pki

WANTED = {"RestrictedID": "REQUIRED", "GivenNames": "REQUIRED", "PlaceOfResidence": "ALLOWED"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def eid_server(pki):
    with FakeEidServer(pki) as server:
        yield server


def _settings(url: str, pki, **changes) -> AdapterSettings:
    values = {
        "base_url": "https://portal.dueren.example",
        "instance_path": "/nonexistent",
        "server_url": url,
        "client_cert": str(pki.client_cert),
        "client_key": str(pki.client_key),
        "server_ca": str(pki.ca),
        "timeout_seconds": 5,
    }
    values.update(changes)
    return AdapterSettings(**values)


def test_registry_builds_known_adapters_and_plugins():
    assert adapters.adapter_class("simulator").simulated
    assert adapters.adapter_class("tr03130_soap").name == "tr03130_soap"
    with pytest.raises(AdapterConfigError, match="unknown"):
        adapters.adapter_class("carrier-pigeon")

    @adapters.register("test_static")
    class Static(EidServerAdapter):
        def use_id(self, request):
            return messages.UseIdResponse(messages.Result.success(), "S1")

        def get_result(self, request):
            return messages.GetResultResponse(messages.Result.error(messages.MINOR_CANCELLED))

    adapter = adapters.create("test_static", AdapterSettings("https://p", "/tmp"))
    assert isinstance(adapter, Static) and adapter.name == "test_static"
    assert adapter.use_id(UseIdRequest(WANTED)).session_id == "S1"


def test_soap_adapter_refuses_incomplete_settings(pki):
    with pytest.raises(AdapterConfigError, match="EID_SERVER_URL is not set"):
        adapters.create("tr03130_soap", _settings("", pki))
    with pytest.raises(AdapterConfigError, match="must be set together"):
        adapters.create("tr03130_soap", _settings("https://x", pki, client_key=""))


def test_use_id_and_get_result_over_mutual_tls(eid_server, pki):
    adapter = adapters.create("tr03130_soap", _settings(eid_server.url, pki))
    opened = adapter.use_id(UseIdRequest(WANTED))
    assert opened.result.ok and opened.psk is not None
    result = adapter.get_result(GetResultRequest(opened.session_id, 1))
    assert result.result.ok and result.personal_data.family_names == "MUSTERMANN"
    use_id, get_result = eid_server.requests
    assert use_id.soap_action == '"http://bsi.bund.de/eID/useID"'
    assert get_result.soap_action == '"http://bsi.bund.de/eID/getResult"'
    assert use_id.content_type.startswith("text/xml")
    # The server saw the portal's client certificate and a well-formed request.
    assert use_id.client_subject == "Buergerportal Dueren"
    assert messages.parse_use_id_request(use_id.body).operations == WANTED
    assert messages.parse_get_result_request(get_result.body).session_id == opened.session_id


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("getresult_response_cancelled.xml", "cancelled"),
        ("getresult_response_card_blocked.xml", "card_blocked"),
        ("getresult_response_wrong_pin.xml", "wrong_pin"),
        ("getresult_response_server_error.xml", "server_error"),
    ],
)
def test_error_results_from_the_server(eid_server, pki, fixture, code):
    eid_server.answer("getResultRequest", fixture)
    adapter = adapters.create("tr03130_soap", _settings(eid_server.url, pki))
    result = adapter.get_result(GetResultRequest("7B1F", 1))
    assert not result.result.ok and results.error_code(result.result.minor) == code


def test_use_id_refused_by_the_server(eid_server, pki):
    eid_server.answer("useIDRequest", "useid_response_too_many_sessions.xml")
    adapter = adapters.create("tr03130_soap", _settings(eid_server.url, pki))
    assert not adapter.use_id(UseIdRequest(WANTED)).result.ok


def test_fault_unavailable_and_oversized_answers(eid_server, pki):
    adapter = adapters.create("tr03130_soap", _settings(eid_server.url, pki))
    eid_server.answer("getResultRequest", "soap_fault.xml", status=500)
    with pytest.raises(SoapFault):
        adapter.get_result(GetResultRequest("7B1F", 1))
    eid_server.answer("getResultRequest", b"<html>Maintenance</html>", status=503)
    with pytest.raises(EidServerUnavailable, match="HTTP 503"):
        adapter.get_result(GetResultRequest("7B1F", 1))
    eid_server.answer("getResultRequest", b"<x>" + b" " * 600_000 + b"</x>")
    with pytest.raises(EidServerUnavailable, match="too large"):
        adapter.get_result(GetResultRequest("7B1F", 1))


def test_no_client_certificate_no_connection(eid_server, pki):
    adapter = adapters.create(
        "tr03130_soap", _settings(eid_server.url, pki, client_cert="", client_key="")
    )
    with pytest.raises(EidServerUnavailable):
        adapter.use_id(UseIdRequest(WANTED))
    assert eid_server.requests == []


def test_server_certificate_must_match_the_configured_ca(eid_server, pki, monkeypatch):
    # Even a CA bundle in the environment must not replace the configured one.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca))
    adapter = adapters.create(
        "tr03130_soap", _settings(eid_server.url, pki, server_ca=str(pki.other_ca))
    )
    with pytest.raises(EidServerUnavailable, match="SSLError"):
        adapter.use_id(UseIdRequest(WANTED))
    assert eid_server.requests == []


def test_unreachable_server(pki):
    adapter = adapters.create(
        "tr03130_soap", _settings("https://127.0.0.1:9/eidserver", pki, timeout_seconds=2)
    )
    with pytest.raises(EidServerUnavailable):
        adapter.use_id(UseIdRequest(WANTED))


def test_soap_client_against_the_simulator_endpoint_over_http(app, pki):
    """The real SOAP client and the simulator speak the same messages over the wire."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/eid/simulator/soap"
        adapter = adapters.create(
            "tr03130_soap", _settings(url, pki, client_cert="", client_key="", server_ca="")
        )
        opened = adapter.use_id(UseIdRequest(WANTED))
        assert opened.result.ok and opened.psk is not None
        pending = adapter.get_result(GetResultRequest(opened.session_id, 1))
        assert pending.result.minor == messages.MINOR_NO_RESULT_YET
    finally:
        server.shutdown()
        server.server_close()
