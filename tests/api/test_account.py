"""The citizen's own account: profile, language, sessions, data export, deletion."""

from __future__ import annotations

import json

from app import storage
from app.db import db
from app.models import AuditEvent, AuthSession, Passkey, Profile, User


def test_profile_roundtrip_marks_fields_self_declared(client):
    client.sign_in_by_email("p@example.org")
    data = {
        "given_names": "Erika",
        "family_name": "Musterfrau",
        "date_of_birth": "1964-08-12",
        "street": "Kaiserplatz",
        "house_number": "2",
        "postal_code": "52349",
        "city": "Düren",
        "phone": "+49 2421 25-0",
    }
    response = client.put("/api/account/profile", json=data)
    assert response.status_code == 200, response.get_json()
    body = client.get("/api/account/profile").get_json()
    assert {k: body[k] for k in data} == data
    assert body["verified"] == [] and body["sources"]["family_name"] == {"source": "self"}


def test_profile_bad_input_changes_nothing(client):
    client.sign_in_by_email("bad@example.org")
    client.put("/api/account/profile", json={"postal_code": "52349", "city": "Düren"})
    response = client.put(
        "/api/account/profile",
        json={
            "postal_code": "5234",
            "date_of_birth": "1964-13-40",
            "city": "Aachen",
            "shoe_size": 42,
        },
    )
    assert response.status_code == 422
    fields = {e["field"]: e["code"] for e in response.get_json()["errors"]}
    assert fields == {
        "postal_code": "invalid_format",
        "date_of_birth": "invalid_date",
        "shoe_size": "unknown_field",
    }
    body = client.get("/api/account/profile").get_json()
    assert body["postal_code"] == "52349" and body["city"] == "Düren"


def test_verified_fields_are_locked(client):
    client.sign_in_by_email("v@example.org")
    with db.connection_context():
        profile = Profile.get(Profile.user == User.get(User.email == "v@example.org"))
        profile.family_name = "Mustermann"
        profile.sources = {"family_name": {"source": "eid", "verified_at": "2026-11-01T10:00:00"}}
        profile.save()
    response = client.put("/api/account/profile", json={"family_name": "Anders", "city": "Düren"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {
            "field": "family_name",
            "code": "verified_locked",
            "message": "Diese Angabe ist mit dem Online-Ausweis bestätigt "
            "und kann hier nicht geändert werden.",
        }
    ]
    body = client.get("/api/account/profile").get_json()
    assert body["family_name"] == "Mustermann" and body["verified"] == ["family_name"]
    assert body["city"] == ""
    # Sending the same verified value again is fine.
    assert client.put("/api/account/profile", json={"family_name": "Mustermann"}).status_code == 200


def test_change_language(client):
    client.sign_in_by_email("lang@example.org")
    assert client.patch("/api/account", json={"locale": "en"}).get_json()["locale"] == "en"
    assert client.patch("/api/account", json={"locale": "fr"}).status_code == 422


def test_sessions_list_and_end_other_device(make_client):
    phone, laptop = make_client(), make_client()
    phone.sign_in_by_email("dev@example.org")
    laptop.sign_in_by_email("dev@example.org")
    listed = phone.get("/api/account/sessions").get_json()
    other = next(s for s in listed if not s["current"])
    assert phone.delete(f"/api/account/sessions/{other['id']}").status_code == 204
    assert laptop.get("/api/account").status_code == 401
    assert phone.get("/api/account").status_code == 200
    assert phone.delete("/api/account/sessions/doesnotexist").status_code == 404


def test_export_contains_all_personal_data(client, authenticator):
    client.sign_in_by_email("export@example.org")
    client.put("/api/account/profile", json={"family_name": "Export", "city": "Düren"})
    client.add_passkey(authenticator, "Mein Telefon")
    response = client.get("/api/account/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "export@example.org"
    assert data["profile"]["family_name"] == "Export"
    assert data["passkeys"][0]["name"] == "Mein Telefon"
    assert len(data["sessions"]) == 1
    assert [(s["method"], s["ended_at"]) for s in data["sign_ins"]] == [("email", None)]
    assert {"login", "account_created", "passkey_added"} <= {
        e["action"] for e in data["security_events"]
    }


def test_delete_account_requires_confirmation_and_removes_everything(client, authenticator):
    client.sign_in_by_email("gone@example.org")
    client.add_passkey(authenticator)
    wrong = client.delete("/api/account", json={"confirm_email": "other@example.org"})
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["code"] == "confirm_mismatch"
    assert (
        client.delete("/api/account", json={"confirm_email": "Gone@Example.org "}).status_code
        == 204
    )
    with db.connection_context():
        assert User.select().where(User.email == "gone@example.org").count() == 0
        assert Passkey.select().count() == 0 and AuthSession.select().count() == 0
        deleted = AuditEvent.get(AuditEvent.action == "account_deleted")
        assert deleted.actor is None
        # Earlier events stay in the log but no longer point at the person.
        assert AuditEvent.select().where(AuditEvent.actor.is_null(False)).count() == 0
    assert client.get("/api/account").status_code == 401


def test_export_then_deletion_keeps_only_filed_applications(signed_in, app):

    from app.models import Application, Attachment, Document, InboxMessage
    from tests.api.engine_helpers import start, submitted
    from tests.api.test_attachments import PDF, upload

    api = signed_in("full@example.org")
    application = submitted(api, "waste_bins")
    draft = start(api, "dog_tax_deregistration", {"reason": "given_away"})
    assert upload(api, draft, PDF).status_code == 201
    exported = json.loads(api.get("/api/account/export").data)
    filed = next(a for a in exported["applications"] if a["status"] != "draft")
    assert filed["reference"] == application["reference"]
    assert filed["answers"]["owner_name"] == "Wohnbau Düren GmbH"
    assert any("Eingangsbestätigung" in m["subject"] for m in exported["inbox"])
    files = storage.for_config(app.config)
    receipt_files = set(files.keys("documents/"))
    assert receipt_files and any(files.keys("attachments/"))

    assert api.delete("/api/account", json={"confirm_email": "full@example.org"}).status_code == 204

    with db.connection_context():
        assert User.get_or_none(User.email == "full@example.org") is None
        # The filed application and its receipt stay with the city, on a closed record
        # nobody can sign in to; the draft, its upload and the inbox are gone.
        kept = Application.get(Application.reference == application["reference"])
        closed = kept.user
        assert closed.closed_at is not None and closed.email.endswith(".invalid")
        assert Application.select().count() == 1 and Attachment.select().count() == 0
        assert Document.get().user_id == closed.id
        assert InboxMessage.select().count() == 0
        assert Profile.get_or_none(Profile.user == closed) is None
    assert set(files.keys("documents/")) == receipt_files
    assert not any(files.keys("attachments/"))

    # The clerk still works the case, is told to write by post, and nothing reaches an
    # inbox that no one reads.
    clerk = signed_in("clerk-closed@example.org", "staff", ("abfall",))
    detail = clerk.get(f"/api/staff/applications/{application['reference']}").get_json()
    assert detail["applicant"]["account_closed"] is True
    assert detail["applicant"]["email"] is None
    moved = clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions",
        json={"to": "info_requested", "message": "Bitte senden Sie uns den Nachweis."},
    )
    assert moved.status_code == 200, moved.get_json()
    with db.connection_context():
        assert InboxMessage.select().count() == 0

    # The same address starts afresh; the closed record's address cannot sign in.
    again = signed_in("full@example.org")
    assert again.get("/api/applications").get_json() == []
    refused = again.post("/api/auth/email/start", json={"email": closed.email})
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "email"

    # Nor can an administrator hand it a role; it is not listed as an account.
    admin = signed_in("admin-closed@example.org", "admin")
    listed = admin.get("/api/admin/users?limit=100").get_json()
    assert closed.email not in [u["email"] for u in listed]
    role = admin.put(f"/api/admin/users/{closed.id}/role", json={"role": "staff", "areas": []})
    assert role.status_code == 404
