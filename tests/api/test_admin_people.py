"""The console's people: inviting staff by e-mail, deactivating and reactivating
accounts, an account's sign-ins and passkeys.

Invitation mails go through a real SMTP server on loopback and are read there.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app import tasks
from app.accounts import passkeys, sessions
from app.db import db, utcnow
from app.mail import read_outbox
from app.models import AuditEvent, AuthSession, NotificationMail, Passkey, SignInRecord, User
from app.notifications import sending
from tests.api.test_eid import EidBrowser, _signed_up_with_erika
from tests.fakes.smtp_server import SmtpServer
from tests.push.portal import set_config

ADMIN = "admin@example.org"


@pytest.fixture
def smtp(app, monkeypatch):
    """The portal sends its mail to a local SMTP server for this test."""
    assert tasks.huey.immediate, "mail tests expect Huey's immediate mode"
    tasks.huey.storage.flush_all()
    with SmtpServer() as server:
        set_config(
            app,
            monkeypatch,
            SMTP_HOST=server.host,
            SMTP_PORT=server.port,
            SMTP_STARTTLS=False,
            SMTP_USER=None,
        )
        yield server
    tasks.huey.storage.flush_all()


@pytest.fixture
def admin(signed_in):
    return signed_in(ADMIN, "admin")


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _audit(action: str) -> list[AuditEvent]:
    with db.connection_context():
        return list(AuditEvent.select().where(AuditEvent.action == action))


def _user(email: str) -> User:
    with db.connection_context():
        return User.get(User.email == email)


def test_inviting_a_new_clerk_creates_the_account_and_mails_once(admin, smtp):
    response = admin.post(
        "/api/admin/users/invitations",
        json={"email": " Neu@Example.org ", "role": "staff", "areas": ["hundesteuer", "kasse"]},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["created"] is True
    assert body["user"]["email"] == "neu@example.org"
    assert body["user"]["role"] == "staff"
    assert body["user"]["areas"] == ["hundesteuer", "kasse"]
    assert body["user"]["active"] is True

    mails = smtp.messages_to("neu@example.org")
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Einladung ins Bürgerportal Düren"
    text = _text(mails[0])
    assert ADMIN in text  # who invited
    assert "Sachbearbeitung" in text and "hundesteuer, kasse" in text  # for what
    assert "/anmelden" in text and "Passwort brauchen Sie nicht" in text
    [event] = _audit("user_invited")
    assert event.details == {"role": "staff", "areas": ["hundesteuer", "kasse"], "created": True}

    # Running the mail job again sends nothing more.
    with db.connection_context():
        mail = NotificationMail.get(NotificationMail.kind == "invitation")
    sending.send_notification_mail.call_local(mail.id)
    assert len(smtp.messages_to("neu@example.org")) == 1


def test_the_invitation_is_in_english_when_asked(admin, smtp):
    response = admin.post(
        "/api/admin/users/invitations",
        json={"email": "officer@example.org", "role": "officer", "locale": "en"},
    )
    assert response.status_code == 201, response.get_json()
    [mail] = smtp.messages_to("officer@example.org")
    assert mail["Subject"] == "Invitation to the Düren citizen portal"
    assert "enforcement officer" in _text(mail)


def test_an_existing_citizen_is_upgraded_only_after_confirmation(admin, signed_in, smtp):
    citizen = signed_in("buerger@example.org")
    payload = {"email": "buerger@example.org", "role": "staff", "areas": ["abfall"]}

    refused = admin.post("/api/admin/users/invitations", json=payload)
    assert refused.status_code == 409
    assert refused.get_json()["errors"][0]["field"] == "email"
    assert refused.get_json()["errors"][0]["code"] == "citizen_account_exists"
    assert _user("buerger@example.org").role == "citizen"
    assert smtp.messages_to("buerger@example.org") == []

    confirmed = admin.post(
        "/api/admin/users/invitations", json={**payload, "confirm_upgrade": True}
    )
    assert confirmed.status_code == 201, confirmed.get_json()
    assert confirmed.get_json()["created"] is False
    assert _user("buerger@example.org").role == "staff"
    assert len(smtp.messages_to("buerger@example.org")) == 1
    assert len(_audit("role_changed")) == 1
    # The citizen's session lives on with the new role.
    assert citizen.get("/api/auth/session").get_json()["user"]["role"] == "staff"

    again = admin.post("/api/admin/users/invitations", json={**payload, "confirm_upgrade": True})
    assert again.status_code == 409
    assert again.get_json()["errors"][0]["code"] == "already_staff"
    assert len(smtp.messages_to("buerger@example.org")) == 1


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"email": "kein-at", "role": "staff"}, "email", "invalid_email"),
        ({"email": "a@example.org", "role": "citizen"}, "role", None),
        ({"email": "a@example.org", "role": "officer", "areas": ["parken"]}, "areas", None),
        ({"email": "a@example.org", "role": "staff", "areas": ["Groß"]}, "areas", None),
        ({"role": "staff"}, "email", None),
    ],
)
def test_bad_invitations_get_field_errors_and_change_nothing(admin, smtp, payload, field, code):
    response = admin.post("/api/admin/users/invitations", json=payload)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert errors and errors[0]["field"].split(".")[0] == field
    assert errors[0]["message"]
    if code:
        assert errors[0]["code"] == code
    with db.connection_context():
        assert User.select().count() == 1
    assert smtp.messages == []


def test_field_errors_come_in_english_too(signed_in):
    admin = signed_in(ADMIN, "admin")
    admin.lang = "en"
    response = admin.post(
        "/api/admin/users/invitations",
        json={"email": "a@example.org", "role": "officer", "areas": ["parken"]},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["message"] == (
        "Only clerks and administrators have service areas."
    )
    response = admin.post(
        "/api/admin/users/invitations",
        json={"email": "a@example.org", "role": "staff", "areas": ["x y"]},
    )
    assert response.get_json()["errors"][0]["field"].startswith("areas")
    german = signed_in(ADMIN, "admin").post(
        "/api/admin/users/invitations", json={"email": "a@example.org", "role": "chef"}
    )
    assert german.get_json()["errors"][0]["message"] == (
        "Bitte wählen Sie eine der angebotenen Möglichkeiten."
    )


def test_known_areas_come_from_services_treasury_and_staff(admin, signed_in):
    signed_in("clerk@example.org", "staff", ("eigener-bereich",))
    areas = admin.get("/api/admin/users/areas").get_json()["areas"]
    assert "kasse" in areas and "hundesteuer" in areas and "eigener-bereich" in areas
    assert areas == sorted(areas)


def test_a_deactivated_user_loses_sessions_and_cannot_sign_in(admin, make_client, authenticator):
    clerk = make_client()
    clerk.sign_in_by_email("clerk@example.org")
    clerk_id = clerk.get("/api/auth/session").get_json()["user"]["id"]
    clerk.add_passkey(authenticator)

    response = admin.post(f"/api/admin/users/{clerk_id}/deactivate")
    assert response.status_code == 200
    assert response.get_json()["active"] is False
    assert response.get_json()["deactivated_at"]
    assert clerk.get("/api/auth/session").get_json()["authenticated"] is False
    with db.connection_context():
        assert AuthSession.select().where(AuthSession.user == clerk_id).count() == 0
    [event] = _audit("user_deactivated")
    assert event.details == {"sessions_ended": 1}

    # Not by e-mail code: the answer looks like any other, the mail carries no code …
    again = make_client()
    assert (
        again.post("/api/auth/email/start", json={"email": "clerk@example.org"}).status_code == 202
    )
    [mail] = read_outbox(again.app.config["INSTANCE_PATH"], "clerk@example.org")[:1]
    assert "deaktiviert" in mail["subject"]
    assert not re.search(r"\b\d{6}\b", mail["body"])
    refused = again.post(
        "/api/auth/email/verify", json={"email": "clerk@example.org", "code": "123456"}
    )
    assert refused.get_json()["code"] in ("code_invalid", "code_expired")
    assert again.get("/api/auth/session").get_json()["authenticated"] is False
    # … nor by passkey.
    options = again.post("/api/auth/passkey/options").get_json()
    refused = again.post(
        "/api/auth/passkey/verify",
        json={
            "challenge_id": options["challenge_id"],
            "credential": authenticator.get(options["public_key"]),
        },
    )
    assert refused.status_code == 403
    assert again.get("/api/auth/session").get_json()["authenticated"] is False

    # Reactivated, the same passkey works again.
    assert admin.post(f"/api/admin/users/{clerk_id}/reactivate").get_json()["active"] is True
    options = again.post("/api/auth/passkey/options").get_json()
    signed = again.post(
        "/api/auth/passkey/verify",
        json={
            "challenge_id": options["challenge_id"],
            "credential": authenticator.get(options["public_key"]),
        },
    )
    assert signed.status_code == 200, signed.get_json()
    assert len(_audit("user_reactivated")) == 1


def test_an_admin_cannot_deactivate_themselves(admin):
    me = admin.get("/api/auth/session").get_json()["user"]["id"]
    response = admin.post(f"/api/admin/users/{me}/deactivate")
    assert response.status_code == 409
    assert response.get_json()["code"] == "cannot_deactivate_self"
    assert _user(ADMIN).deactivated_at is None
    assert admin.get("/api/auth/session").get_json()["authenticated"] is True


def test_the_list_shows_status_and_last_sign_in(admin, signed_in):
    signed_in("clerk@example.org", "staff", ("abfall",))
    clerk_id = _user("clerk@example.org").id
    admin.post(f"/api/admin/users/{clerk_id}/deactivate")
    listed = admin.get("/api/admin/users?role=staff").get_json()
    assert [(u["email"], u["active"]) for u in listed] == [("clerk@example.org", False)]
    assert listed[0]["last_login_at"]
    assert admin.get(f"/api/admin/users/{clerk_id}").get_json()["areas"] == ["abfall"]
    assert admin.get("/api/admin/users/999999").status_code == 404


def test_sign_ins_are_listed_and_an_admin_can_end_one(admin, make_client):
    clerk = make_client()
    clerk.sign_in_by_email("clerk@example.org")
    clerk_id = clerk.get("/api/auth/session").get_json()["user"]["id"]

    listed = admin.get(f"/api/admin/users/{clerk_id}/sessions").get_json()
    assert len(listed) == 1
    [entry] = listed
    assert entry["method"] == "email" and entry["active"] is True
    assert len(entry["id"]) == 16
    assert len(_audit("sign_ins_viewed")) == 1

    assert admin.delete(f"/api/admin/users/{clerk_id}/sessions/{'0' * 16}").status_code == 404
    assert admin.delete(f"/api/admin/users/{clerk_id}/sessions/%25%25").status_code == 404
    assert admin.delete(f"/api/admin/users/{clerk_id}/sessions/{entry['id']}").status_code == 204
    assert clerk.get("/api/auth/session").get_json()["authenticated"] is False
    [event] = _audit("session_ended_by_admin")
    assert event.details == {"session": entry["id"], "method": "email"}
    # The ended sign-in stays listed, as ended; ending it again finds nothing.
    [after] = admin.get(f"/api/admin/users/{clerk_id}/sessions").get_json()
    assert after["id"] == entry["id"] and after["active"] is False and after["ended_at"]
    assert admin.delete(f"/api/admin/users/{clerk_id}/sessions/{entry['id']}").status_code == 404


def test_signed_out_and_expired_sign_ins_are_listed_as_ended(admin, make_client):
    clerk = make_client()
    clerk.sign_in_by_email("clerk@example.org")
    clerk_id = clerk.get("/api/auth/session").get_json()["user"]["id"]
    assert clerk.post("/api/auth/logout").status_code == 204
    second = make_client()
    second.sign_in_by_email("clerk@example.org")
    with db.connection_context():
        AuthSession.update(expires_at=utcnow() - timedelta(minutes=1)).where(
            AuthSession.user == clerk_id
        ).execute()
    listed = admin.get(f"/api/admin/users/{clerk_id}/sessions").get_json()
    assert [e["active"] for e in listed] == [False, False]
    assert listed[1]["ended_at"]  # signed out
    assert second.get("/api/auth/session").get_json()["authenticated"] is False
    with db.connection_context():
        still_open = SignInRecord.ended_at.is_null() & (SignInRecord.user == clerk_id)
        assert SignInRecord.select().where(still_open).count() == 0


def test_old_sign_in_records_are_purged(admin, make_client):
    clerk = make_client()
    clerk.sign_in_by_email("clerk@example.org")
    clerk_id = clerk.get("/api/auth/session").get_json()["user"]["id"]
    with db.connection_context():
        SignInRecord.update(started_at=utcnow() - sessions.SIGN_IN_HISTORY).where(
            SignInRecord.user == clerk_id
        ).execute()
        AuthSession.update(expires_at=utcnow() - timedelta(minutes=1)).where(
            AuthSession.user == clerk_id
        ).execute()
        assert sessions.purge_expired() == 1
        # The admin's recent sign-in stays; the clerk's old one is gone.
        assert SignInRecord.select().count() == 1
        assert SignInRecord.select().where(SignInRecord.user == clerk_id).count() == 0


def test_passkeys_are_listed_without_their_keys(admin, client, authenticator):
    client.sign_in_by_email("clerk@example.org")
    clerk_id = client.get("/api/auth/session").get_json()["user"]["id"]
    client.add_passkey(authenticator, "Dienst-Laptop")
    listed = admin.get(f"/api/admin/users/{clerk_id}/passkeys").get_json()
    assert [p["name"] for p in listed] == ["Dienst-Laptop"]
    entry = listed[0]
    assert set(entry) == {
        "id",
        "name",
        "credential_hint",
        "backed_up",
        "created_at",
        "last_used_at",
    }
    assert entry["credential_hint"].endswith("…") and len(entry["credential_hint"]) == 9
    with db.connection_context():
        full = passkeys.credential_id_text(Passkey.get())
    assert entry["credential_hint"] == full[:8] + "…" and full not in str(listed)
    assert len(_audit("passkeys_viewed")) == 1


def test_a_deactivated_account_cannot_sign_in_with_the_id_card(make_client, signed_in):
    _signed_up_with_erika(EidBrowser(make_client()))
    admin = signed_in(ADMIN, "admin")
    erika = _user("erika@example.org")
    assert admin.post(f"/api/admin/users/{erika.id}/deactivate").status_code == 200

    device = EidBrowser(make_client())
    assert device.run("erika") == "/anmelden/ausweis?fehler=account_deactivated"
    assert device.session()["authenticated"] is False
    with db.connection_context():
        assert AuthSession.select().where(AuthSession.user == erika.id).count() == 0


@pytest.fixture
def kita_facilities(app):
    from app.kita import demo

    with db.connection_context():
        return {facility.name: facility.id for facility in demo.seed()}


def test_facility_staff_are_invited_with_their_facilities_in_one_step(
    admin, smtp, signed_in, kita_facilities
):
    sonne = kita_facilities["Kita Sonnenblume (Demo)"]
    other = kita_facilities["Kita Regenbogen (Demo)"]
    response = admin.post(
        "/api/admin/users/invitations",
        json={"email": "leitung@example.org", "role": "facility", "facility_ids": [sonne]},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["user"]["role"] == "facility" and body["user"]["areas"] == []
    assert body["facility_ids"] == [sonne]
    user = _user("leitung@example.org")
    assert admin.get(f"/api/admin/kita/staff/{user.id}").get_json() == {"facility_ids": [sonne]}
    [mail] = smtp.messages_to("leitung@example.org")
    text = _text(mail)
    assert "Kita-Einrichtung (Platzvergabe) für die Einrichtungen: Kita Sonnenblume (Demo)" in text
    [link] = _audit("kita_facility_staff_changed")
    assert link.subject_id == str(user.id) and link.details == {"before": [], "after": [sonne]}
    assert _audit("user_invited")[0].details["role"] == "facility"

    # The role's limits are unchanged: their facility only, no other staff page.
    leader = signed_in("leitung@example.org")
    assert [f["id"] for f in leader.get("/api/staff/kita/facilities").get_json()] == [sonne]
    assert leader.get(f"/api/staff/kita/facilities/{sonne}/demand").status_code == 200
    assert leader.get(f"/api/staff/kita/facilities/{other}/demand").status_code == 403
    assert leader.get("/api/staff/applications").status_code == 403
    assert leader.get("/api/admin/users").status_code == 403


def test_a_citizen_becomes_facility_staff_after_confirmation(
    admin, smtp, signed_in, kita_facilities
):
    signed_in("erzieherin@example.org")
    ids = sorted(kita_facilities.values())[:2]
    payload = {"email": "erzieherin@example.org", "role": "facility", "facility_ids": ids}
    refused = admin.post("/api/admin/users/invitations", json=payload)
    assert refused.status_code == 409
    assert _user("erzieherin@example.org").role == "citizen"
    user_id = _user("erzieherin@example.org").id
    assert admin.get(f"/api/admin/kita/staff/{user_id}").get_json() == {"facility_ids": []}
    confirmed = admin.post(
        "/api/admin/users/invitations", json={**payload, "confirm_upgrade": True}
    )
    assert confirmed.status_code == 201, confirmed.get_json()
    assert _user("erzieherin@example.org").role == "facility"
    assert admin.get(f"/api/admin/kita/staff/{user_id}").get_json() == {"facility_ids": ids}
    assert len(smtp.messages_to("erzieherin@example.org")) == 1


@pytest.mark.parametrize(
    ("payload", "field", "code", "english"),
    [
        (
            {"role": "facility"},
            "facility_ids",
            "kita_facility_needed",
            "Please choose at least one facility.",
        ),
        (
            {"role": "facility", "facility_ids": [999999]},
            "facility_ids",
            "kita_unknown_facility_id",
            "This facility does not exist (any more). Please reload the page and choose again.",
        ),
        (
            {"role": "staff", "areas": ["kita"], "facility_ids": ["sonne"]},
            "facility_ids",
            "kita_facilities_need_facility_role",
            "Facilities are only for the role “day-care facility”.",
        ),
        (
            {"role": "facility", "areas": ["kita"], "facility_ids": ["sonne"]},
            "areas",
            "areas_need_staff",
            "Only clerks and administrators have service areas.",
        ),
    ],
)
def test_bad_facility_invitations_get_field_errors_and_change_nothing(
    admin, smtp, kita_facilities, payload, field, code, english
):
    sonne = kita_facilities["Kita Sonnenblume (Demo)"]
    payload = {
        "email": "neu@example.org",
        **payload,
        "facility_ids": [sonne if f == "sonne" else f for f in payload.get("facility_ids", [])],
    }
    for lang in ("de", "en"):
        admin.lang = lang
        response = admin.post("/api/admin/users/invitations", json=payload)
        assert response.status_code == 422, response.get_json()
        [error] = response.get_json()["errors"]
        assert (error["field"], error["code"]) == (field, code)
        if lang == "en":
            assert error["message"] == english
        else:
            assert error["message"] and error["message"] != english
    with db.connection_context():
        assert User.select().count() == 1
    assert smtp.messages == []
    assert _audit("kita_facility_staff_changed") == []
