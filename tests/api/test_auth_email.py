"""Registration and sign-in with an e-mail code."""

from __future__ import annotations

from datetime import timedelta

from app.db import db, utcnow
from app.models import AuditEvent, EmailCode, User


def test_register_with_code_creates_account_and_session(client):
    response = client.post("/api/auth/email/start", json={"email": "  Neu@Example.org "})
    assert response.status_code == 202
    mail_subject = client.latest_code("neu@example.org")
    assert len(mail_subject) == 6 and mail_subject.isdigit()

    body = client.post(
        "/api/auth/email/verify", json={"email": "neu@example.org", "code": mail_subject}
    ).get_json()
    assert body["authenticated"] is True and body["new_account"] is True
    assert body["user"]["email"] == "neu@example.org"
    assert body["user"]["trust_level"] == "basic" and body["user"]["role"] == "citizen"

    session = client.get("/api/auth/session").get_json()
    assert session["authenticated"] and session["user"]["email"] == "neu@example.org"
    with db.connection_context():
        assert AuditEvent.select().where(AuditEvent.action == "account_created").count() == 1


def test_session_cookie_is_httponly_and_samesite(client):
    client.post("/api/auth/email/start", json={"email": "c@example.org"})
    response = client.post(
        "/api/auth/email/verify",
        json={"email": "c@example.org", "code": client.latest_code("c@example.org")},
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_no_account_enumeration(client):
    with db.connection_context():
        User.create(email="known@example.org")
    known = client.post("/api/auth/email/start", json={"email": "known@example.org"})
    unknown = client.post("/api/auth/email/start", json={"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()


def test_code_can_be_used_only_once(client, make_client):
    client.post("/api/auth/email/start", json={"email": "once@example.org"})
    code = client.latest_code("once@example.org")
    assert (
        client.post(
            "/api/auth/email/verify", json={"email": "once@example.org", "code": code}
        ).status_code
        == 200
    )
    other = make_client()
    replay = other.post("/api/auth/email/verify", json={"email": "once@example.org", "code": code})
    assert replay.status_code == 422
    assert replay.get_json()["code"] == "code_invalid"


def test_wrong_code_counts_attempts_then_locks(client):
    client.post("/api/auth/email/start", json={"email": "w@example.org"})
    right = client.latest_code("w@example.org")
    wrong = "000000" if right != "000000" else "111111"
    first = client.post("/api/auth/email/verify", json={"email": "w@example.org", "code": wrong})
    assert first.status_code == 422
    error = first.get_json()["errors"][0]
    assert error["field"] == "code" and error["code"] == "code_wrong" and "4" in error["message"]
    for _ in range(4):
        last = client.post("/api/auth/email/verify", json={"email": "w@example.org", "code": wrong})
    assert last.get_json()["code"] == "code_attempts_exceeded"
    # Even the right code is refused now: a new one must be requested.
    after = client.post("/api/auth/email/verify", json={"email": "w@example.org", "code": right})
    assert after.get_json()["code"] == "code_attempts_exceeded"
    with db.connection_context():
        assert User.select().where(User.email == "w@example.org").count() == 0


def test_expired_code_is_refused(client):
    client.post("/api/auth/email/start", json={"email": "e@example.org"})
    code = client.latest_code("e@example.org")
    with db.connection_context():
        EmailCode.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    response = client.post("/api/auth/email/verify", json={"email": "e@example.org", "code": code})
    assert response.status_code == 422 and response.get_json()["code"] == "code_expired"


def test_new_code_voids_the_old_one(client):
    client.post("/api/auth/email/start", json={"email": "v@example.org"})
    old = client.latest_code("v@example.org")
    client.post("/api/auth/email/start", json={"email": "v@example.org"})
    new = client.latest_code("v@example.org")
    if old != new:
        refused = client.post(
            "/api/auth/email/verify", json={"email": "v@example.org", "code": old}
        )
        assert refused.status_code == 422
    assert (
        client.post(
            "/api/auth/email/verify", json={"email": "v@example.org", "code": new}
        ).status_code
        == 200
    )


def test_malformed_code_gets_field_error_in_english(make_client):
    english = make_client("en")
    english.post("/api/auth/email/start", json={"email": "f@example.org"})
    response = english.post(
        "/api/auth/email/verify", json={"email": "f@example.org", "code": "12ab"}
    )
    body = response.get_json()
    assert response.status_code == 422
    assert body["errors"] == [
        {"field": "code", "code": "code_format", "message": "The code has 6 digits."}
    ]


def test_invalid_email_is_a_field_error(client):
    response = client.post("/api/auth/email/start", json={"email": "not-an-address"})
    body = response.get_json()
    assert response.status_code == 422
    assert body["errors"][0]["field"] == "email" and body["errors"][0]["code"] == "invalid_email"
    assert "E-Mail-Adresse" in body["errors"][0]["message"]


def test_existing_user_gets_login_mail_in_their_language(client):
    with db.connection_context():
        User.create(email="en@example.org", locale="en")
    client.post("/api/auth/email/start", json={"email": "en@example.org"})
    from app.mail import read_outbox

    mail = read_outbox(client.app.config["INSTANCE_PATH"], "en@example.org")[0]
    assert mail["subject"].startswith("Your sign-in code")


def test_logout_ends_the_session(client):
    client.sign_in_by_email("out@example.org")
    assert client.post("/api/auth/logout").status_code == 204
    assert client.get("/api/auth/session").get_json()["authenticated"] is False
    assert client.get("/api/account").status_code == 401


def test_logout_everywhere_ends_all_sessions(make_client):
    phone, laptop = make_client(), make_client()
    phone.sign_in_by_email("two@example.org")
    laptop.sign_in_by_email("two@example.org")
    assert len(phone.get("/api/account/sessions").get_json()) == 2
    assert laptop.post("/api/auth/logout-all").status_code == 204
    assert phone.get("/api/account").status_code == 401
    assert laptop.get("/api/account").status_code == 401
