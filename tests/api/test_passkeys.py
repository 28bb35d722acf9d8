"""Passkeys: add several, list, rename, remove; discoverable sign-in; attacks refused."""

from __future__ import annotations

from app.db import db
from app.models import AuditEvent, Passkey


def test_add_list_rename_remove(client, authenticator):
    client.sign_in_by_email("pk@example.org")
    first = client.add_passkey(authenticator, "Telefon")
    second = client.add_passkey(authenticator, "Laptop")
    names = [p["name"] for p in client.get("/api/account/passkeys").get_json()]
    assert names == ["Telefon", "Laptop"]
    renamed = client.patch(f"/api/account/passkeys/{first['id']}", json={"name": "Altes Telefon"})
    assert renamed.get_json()["name"] == "Altes Telefon"
    assert client.delete(f"/api/account/passkeys/{second['id']}").status_code == 204
    assert [p["name"] for p in client.get("/api/account/passkeys").get_json()] == ["Altes Telefon"]
    with db.connection_context():
        actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.count("passkey_added") == 2 and "passkey_removed" in actions


def test_sign_in_with_discoverable_passkey(client, make_client, authenticator):
    client.sign_in_by_email("login@example.org")
    client.add_passkey(authenticator)
    fresh = make_client()
    options = fresh.post("/api/auth/passkey/options").get_json()
    assert options["public_key"]["allowCredentials"] == []
    assert options["public_key"]["userVerification"] == "required"
    assertion = authenticator.get(options["public_key"])
    response = fresh.post(
        "/api/auth/passkey/verify",
        json={"challenge_id": options["challenge_id"], "credential": assertion},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["email"] == "login@example.org"
    assert fresh.get("/api/account").get_json()["email"] == "login@example.org"
    with db.connection_context():
        assert Passkey.get().sign_count == 1


def test_replayed_assertion_is_refused(client, make_client, authenticator):
    client.sign_in_by_email("replay@example.org")
    client.add_passkey(authenticator)
    attacker = make_client()
    options = attacker.post("/api/auth/passkey/options").get_json()
    assertion = authenticator.get(options["public_key"])
    payload = {"challenge_id": options["challenge_id"], "credential": assertion}
    assert attacker.post("/api/auth/passkey/verify", json=payload).status_code == 200
    again = make_client().post("/api/auth/passkey/verify", json=payload)
    assert again.status_code == 422 and again.get_json()["code"] == "passkey_challenge_invalid"


def test_wrong_origin_is_refused(client, make_client, authenticator):
    client.sign_in_by_email("origin@example.org")
    client.add_passkey(authenticator)
    phished = make_client()
    options = phished.post("/api/auth/passkey/options").get_json()
    assertion = authenticator.get(
        options["public_key"], origin="https://buergerportal-dueren.example"
    )
    response = phished.post(
        "/api/auth/passkey/verify",
        json={"challenge_id": options["challenge_id"], "credential": assertion},
    )
    assert response.status_code == 401 and response.get_json()["code"] == "passkey_rejected"
    assert phished.get("/api/auth/session").get_json()["authenticated"] is False


def test_registration_with_wrong_origin_is_refused(client, authenticator):
    client.sign_in_by_email("regorigin@example.org")
    options = client.post("/api/account/passkeys/options").get_json()
    credential = authenticator.create(options["public_key"], origin="http://evil.example")
    response = client.post(
        "/api/account/passkeys",
        json={"challenge_id": options["challenge_id"], "credential": credential, "name": "x"},
    )
    assert response.status_code == 422 and response.get_json()["code"] == "passkey_rejected"
    with db.connection_context():
        assert Passkey.select().count() == 0


def test_registration_without_user_verification_is_refused(client, authenticator):
    client.sign_in_by_email("uv@example.org")
    options = client.post("/api/account/passkeys/options").get_json()
    credential = authenticator.create(options["public_key"], user_verified=False)
    response = client.post(
        "/api/account/passkeys",
        json={"challenge_id": options["challenge_id"], "credential": credential, "name": "x"},
    )
    assert response.status_code == 422


def test_cloned_authenticator_with_old_counter_is_refused(client, make_client, authenticator):
    client.sign_in_by_email("clone@example.org")
    client.add_passkey(authenticator)
    for _ in range(2):
        api = make_client()
        options = api.post("/api/auth/passkey/options").get_json()
        api.post(
            "/api/auth/passkey/verify",
            json={
                "challenge_id": options["challenge_id"],
                "credential": authenticator.get(options["public_key"]),
            },
        )
    authenticator.credentials[-1].sign_count = 0
    api = make_client()
    options = api.post("/api/auth/passkey/options").get_json()
    response = api.post(
        "/api/auth/passkey/verify",
        json={
            "challenge_id": options["challenge_id"],
            "credential": authenticator.get(options["public_key"]),
        },
    )
    assert response.status_code == 401


def test_unknown_passkey_and_foreign_challenge(client, make_client, authenticator):
    client.sign_in_by_email("a@example.org")
    options = client.post("/api/account/passkeys/options").get_json()
    # A registration challenge cannot be spent on a login.
    authenticator.create(options["public_key"])
    login = make_client().post(
        "/api/auth/passkey/verify",
        json={
            "challenge_id": options["challenge_id"],
            "credential": authenticator.get(options["public_key"]),
        },
    )
    assert login.status_code == 422 and login.get_json()["code"] == "passkey_challenge_invalid"
    fresh = make_client()
    options = fresh.post("/api/auth/passkey/options").get_json()
    unknown = fresh.post(
        "/api/auth/passkey/verify",
        json={
            "challenge_id": options["challenge_id"],
            "credential": authenticator.get(options["public_key"]),
        },
    )
    assert unknown.status_code == 401 and unknown.get_json()["code"] == "passkey_unknown"


def test_other_users_passkey_cannot_be_renamed_or_removed(client, make_client, authenticator):
    client.sign_in_by_email("owner@example.org")
    passkey = client.add_passkey(authenticator)
    intruder = make_client()
    intruder.sign_in_by_email("intruder@example.org")
    assert (
        intruder.patch(f"/api/account/passkeys/{passkey['id']}", json={"name": "x"}).status_code
        == 404
    )
    assert intruder.delete(f"/api/account/passkeys/{passkey['id']}").status_code == 404
    assert client.get("/api/account/passkeys").get_json()[0]["name"] == "Telefon"


def test_passkey_name_is_required(client, authenticator):
    client.sign_in_by_email("name@example.org")
    options = client.post("/api/account/passkeys/options").get_json()
    credential = authenticator.create(options["public_key"])
    response = client.post(
        "/api/account/passkeys",
        json={"challenge_id": options["challenge_id"], "credential": credential, "name": ""},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "name"
