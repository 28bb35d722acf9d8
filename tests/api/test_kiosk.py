"""The Bürgerbüro terminal: registration in the console, the one-time setup link, the
device's marker, revocation, and what a kiosk session may and may not do."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from app.db import db, utcnow
from app.models import AuditEvent, AuthSession, KioskTerminal, User
from tests.conftest import BASE_URL

COOKIE = "bp_kiosk"


def _audit(action: str) -> list[AuditEvent]:
    with db.connection_context():
        return list(AuditEvent.select().where(AuditEvent.action == action))


def _token(setup_url: str) -> str:
    parts = urlsplit(setup_url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE_URL
    assert parts.path == "/"
    return parse_qs(parts.query)["kiosk"][0]


@pytest.fixture
def admin(signed_in):
    return signed_in("admin@example.org", "admin")


def _register(admin, name: str = "Terminal Foyer") -> dict:
    response = admin.post("/api/admin/kiosk-terminals", json={"name": name})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _marker(client) -> str | None:
    cookie = client.client.get_cookie(COOKIE, domain="localhost")
    return cookie.value if cookie else None


def test_registration_shows_the_link_once_and_stores_only_a_hash(admin):
    created = _register(admin)
    token = _token(created["setup_url"])
    assert created["status"] == "waiting"
    with db.connection_context():
        stored = KioskTerminal.get_by_id(created["id"])
        assert stored.setup_token_hash and token not in stored.setup_token_hash
        assert stored.name == "Terminal Foyer"
    listed = admin.get("/api/admin/kiosk-terminals").get_json()["items"]
    assert [item["name"] for item in listed] == ["Terminal Foyer"]
    assert "setup_url" not in listed[0]
    assert token not in str(listed)
    [event] = _audit("kiosk_terminal_registered")
    assert event.subject_id == str(created["id"])


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_name_is_a_field_error_and_registers_nothing(admin, name):
    response = admin.post("/api/admin/kiosk-terminals", json={"name": name})
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["name"]
    assert admin.get("/api/admin/kiosk-terminals").get_json()["items"] == []


def test_the_setup_link_marks_the_device_once(admin, make_client):
    token = _token(_register(admin)["setup_url"])
    device = make_client()
    assert device.get("/api/kiosk").get_json()["kiosk"] is False
    response = device.post("/api/kiosk/activate", json={"token": token})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["kiosk"] is True and body["terminal"] == "Terminal Foyer"
    assert body["idle_seconds"] == 120 and body["countdown_seconds"] > 0
    header = response.headers["Set-Cookie"]
    assert header.startswith(f"{COOKIE}=") and "HttpOnly" in header
    assert device.get("/api/kiosk").get_json()["kiosk"] is True
    # The link works once: a second device gets nothing from it.
    other = make_client()
    again = other.post("/api/kiosk/activate", json={"token": token})
    assert again.status_code == 422
    assert again.get_json()["code"] == "kiosk_setup_invalid"
    assert _marker(other) is None
    assert admin.get("/api/admin/kiosk-terminals").get_json()["items"][0]["status"] == "active"
    assert len(_audit("kiosk_terminal_activated")) == 1


def test_an_expired_link_is_refused(admin, make_client):
    created = _register(admin)
    with db.connection_context():
        KioskTerminal.update(setup_expires_at=utcnow() - timedelta(minutes=1)).execute()
    response = make_client().post(
        "/api/kiosk/activate", json={"token": _token(created["setup_url"])}
    )
    assert response.status_code == 422


def test_a_forged_or_changed_marker_is_no_terminal(admin, make_client):
    token = _token(_register(admin)["setup_url"])
    device = make_client()
    device.post("/api/kiosk/activate", json={"token": token})
    terminal_id, nonce, signature = _marker(device).split(".")
    forger = make_client()
    for forged in (
        f"{terminal_id}.{nonce}.{'0' * len(signature)}",
        f"{int(terminal_id) + 1}.{nonce}.{signature}",
        "garbage",
    ):
        forger.client.set_cookie(COOKIE, forged, domain="localhost")
        status = forger.get("/api/kiosk")
        assert status.get_json()["kiosk"] is False
        # The browser is told to drop a marker the server does not accept.
        assert f"{COOKIE}=;" in status.headers["Set-Cookie"]


def test_revocation_ends_the_marker_and_the_link(admin, make_client):
    first = _register(admin, "Terminal 1")
    second = _register(admin, "Terminal 2")
    device = make_client()
    device.post("/api/kiosk/activate", json={"token": _token(first["setup_url"])})
    assert admin.post(f"/api/admin/kiosk-terminals/{first['id']}/revoke").status_code == 200
    assert admin.post(f"/api/admin/kiosk-terminals/{second['id']}/revoke").status_code == 200
    assert device.get("/api/kiosk").get_json()["kiosk"] is False
    unused = make_client().post("/api/kiosk/activate", json={"token": _token(second["setup_url"])})
    assert unused.status_code == 422
    assert len(_audit("kiosk_terminal_revoked")) == 2
    listed = admin.get("/api/admin/kiosk-terminals").get_json()["items"]
    statuses = {item["name"]: item["status"] for item in listed}
    assert statuses == {"Terminal 1": "revoked", "Terminal 2": "revoked"}
    # A revoked terminal gets no new link.
    refused = admin.post(f"/api/admin/kiosk-terminals/{first['id']}/setup-link")
    assert refused.status_code == 409


def test_revocation_signs_out_the_visitor_at_the_terminal_and_no_one_else(admin, make_client):
    """A stolen or misused terminal: revoking it ends the session begun there at once,
    not when it would expire; the same citizen's session at home goes on."""
    created = _register(admin)
    device = make_client()
    device.post("/api/kiosk/activate", json={"token": _token(created["setup_url"])})
    device.sign_in_by_email("besuch@example.org")
    at_home = make_client()
    at_home.sign_in_by_email("besuch@example.org")
    assert device.get("/api/auth/session").get_json()["authenticated"] is True
    assert admin.post(f"/api/admin/kiosk-terminals/{created['id']}/revoke").status_code == 200
    assert device.get("/api/auth/session").get_json()["authenticated"] is False
    assert at_home.get("/api/auth/session").get_json()["authenticated"] is True
    assert admin.get("/api/auth/session").get_json()["authenticated"] is True
    [event] = _audit("kiosk_terminal_revoked")
    assert event.details["sessions"] == 1
    with db.connection_context():
        ended = AuthSession.select().where(AuthSession.kiosk_terminal == created["id"])
        assert not ended.exists()


def test_a_new_setup_link_retires_the_old_marker(admin, make_client):
    created = _register(admin)
    old_device = make_client()
    old_device.post("/api/kiosk/activate", json={"token": _token(created["setup_url"])})
    renewed = admin.post(f"/api/admin/kiosk-terminals/{created['id']}/setup-link")
    assert renewed.status_code == 200
    # Until the new link is used the old marker still works (the terminal keeps serving).
    assert old_device.get("/api/kiosk").get_json()["kiosk"] is True
    new_device = make_client()
    new_device.post("/api/kiosk/activate", json={"token": _token(renewed.get_json()["setup_url"])})
    assert new_device.get("/api/kiosk").get_json()["kiosk"] is True
    assert old_device.get("/api/kiosk").get_json()["kiosk"] is False
    assert len(_audit("kiosk_setup_link_issued")) == 1


def test_unknown_terminal_is_not_found(admin):
    assert admin.post("/api/admin/kiosk-terminals/424242/revoke").status_code == 404
    assert admin.post("/api/admin/kiosk-terminals/424242/setup-link").status_code == 404


def test_a_sign_in_at_the_terminal_is_short_and_keeps_no_passkey(admin, make_client):
    device = make_client()
    device.post("/api/kiosk/activate", json={"token": _token(_register(admin)["setup_url"])})
    started = utcnow()
    device.sign_in_by_email("besuch@example.org")
    with db.connection_context():
        session = AuthSession.select().join(User).where(User.email == "besuch@example.org").get()
        assert session.expires_at - started <= timedelta(minutes=31)
    refused = device.post("/api/account/passkeys/options")
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "kiosk_not_available"
    push = device.post(
        "/api/push/subscriptions",
        json={"endpoint": "https://push.example.org/x", "keys": {"p256dh": "a", "auth": "b"}},
    )
    assert push.status_code == 403
    # Signing out at the terminal ends the session on the server.
    assert device.post("/api/auth/logout").status_code == 204
    with db.connection_context():
        assert not AuthSession.select().where(AuthSession.user == session.user_id).exists()
    assert device.get("/api/auth/session").get_json()["authenticated"] is False


def test_at_home_sessions_stay_long(make_client):
    device = make_client()
    started = utcnow()
    device.sign_in_by_email("daheim@example.org")
    with db.connection_context():
        session = AuthSession.select().get()
        assert session.expires_at - started > timedelta(days=1)
    assert device.post("/api/account/passkeys/options").status_code == 200


def test_an_instance_for_terminals_only(other_app):
    kiosk_app = other_app({"PORTAL_ENV": "test", "PORTAL_KIOSK": "1"})
    status = kiosk_app.test_client().get("/api/kiosk").get_json()
    assert status["kiosk"] is True and status["instance_wide"] is True
    assert status["terminal"] is None
