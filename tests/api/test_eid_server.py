"""eID against a real-style eID-Server: HTTPS portal, no test mode, mutual TLS."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app import migrations
from app.db import db
from app.eid import tctoken
from app.models import EidSession
from tests.fakes.eid_server import FakeEidServer, make_pki

BASE = "https://portal.dueren.example"


@pytest.fixture
def portal(other_app, tmp_path):
    pki = make_pki(tmp_path / "pki")
    with FakeEidServer(pki) as server:
        flask_app = other_app(
            {
                "PORTAL_ENV": "test",
                "PORTAL_INSTANCE": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'eid.sqlite3'}",
                "PORTAL_BASE_URL": BASE,
                "EID_ADAPTER": "tr03130_soap",
                "EID_TEST_MODE": "0",
                "EID_SERVER_URL": server.url,
                "EID_CLIENT_CERT": str(pki.client_cert),
                "EID_CLIENT_KEY": str(pki.client_key),
                "EID_SERVER_CA": str(pki.ca),
                "EID_TIMEOUT_SECONDS": "5",
            }
        )
        migrations.upgrade(db.obj)
        yield flask_app.test_client(), server


def _start(client) -> dict:
    response = client.post(
        "/api/eid/start", json={"purpose": "login"}, headers={"Origin": BASE}, base_url=BASE
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_tc_token_meets_the_ausweisapp_rules_outside_test_mode(portal):
    client, server = portal
    started = _start(client)
    assert started["test_mode"] is False and started["simulator_url"] is None
    response = client.get(_path(started["tc_token_url"]), base_url=BASE)
    assert response.status_code == 200
    token = tctoken.validate(tctoken.parse(response.data), test_mode=False)
    assert token.server_address == "https://eid-server.example/eidserver/paos"
    assert token.session_identifier == "7B1F0A6E9C2D4E5FA0B1C2D3E4F50617"
    assert token.refresh_address.startswith(f"{BASE}/api/eid/refresh?ref=")
    assert server.requests[0].client_subject == "Buergerportal Dueren"


def test_whole_flow_with_recorded_results(portal):
    client, server = portal
    started = _start(client)
    document = client.get(_path(started["tc_token_url"]), base_url=BASE).data
    refresh = tctoken.parse(document).refresh_address
    landed = client.get(_path(refresh + "&ResultMajor=ok"), base_url=BASE)
    assert landed.status_code == 303
    assert landed.headers["Location"] == "/anmelden/ausweis?schritt=e-mail"
    status = client.get("/api/eid/status", base_url=BASE).get_json()
    assert status["attempt"]["identity"] == {"given_names": "ERIKA", "family_name": "MUSTERMANN"}
    get_result = server.requests[-1]
    assert get_result.soap_action == '"http://bsi.bund.de/eID/getResult"'


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
def test_error_results_choose_the_message(portal, fixture, code):
    client, server = portal
    server.answer("getResultRequest", fixture)
    started = _start(client)
    refresh = tctoken.parse(client.get(_path(started["tc_token_url"]), base_url=BASE).data)
    # Even a claimed success in the URL cannot outvote the eID-Server.
    landed = client.get(_path(refresh.refresh_address + "&ResultMajor=ok"), base_url=BASE)
    assert landed.headers["Location"] == f"/anmelden/ausweis?fehler={code}"
    assert client.get("/api/auth/session", base_url=BASE).get_json()["authenticated"] is False


def test_unreachable_or_failing_eid_server(portal):
    client, server = portal
    server.answer("getResultRequest", "soap_fault.xml", status=500)
    started = _start(client)
    refresh = tctoken.parse(client.get(_path(started["tc_token_url"]), base_url=BASE).data)
    landed = client.get(_path(refresh.refresh_address + "&ResultMajor=ok"), base_url=BASE)
    assert landed.headers["Location"] == "/anmelden/ausweis?fehler=server_error"


def test_use_id_refused_or_misconfigured_gives_no_tc_token(portal):
    client, server = portal
    server.answer("useIDRequest", "useid_response_too_many_sessions.xml")
    refused = client.get(_path(_start(client)["tc_token_url"]), base_url=BASE)
    assert refused.status_code == 502 and refused.get_json()["code"] == "eid_server_error"
    # A PAOS address without https would be refused by the AusweisApp: never handed out.
    server.answer("useIDRequest", "useid_response_http_server.xml")
    broken = client.get(_path(_start(client)["tc_token_url"]), base_url=BASE)
    assert broken.status_code == 502
    with db.connection_context():
        assert {s.error_code for s in EidSession.select()} == {"server_error"}
