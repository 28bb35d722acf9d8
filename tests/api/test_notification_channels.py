"""The citizen chooses how to hear from the portal: e-mail, push, both or neither."""

from __future__ import annotations

from app.db import db
from app.models import NotificationPreference


def test_both_channels_are_on_until_the_citizen_chooses(signed_in):
    citizen = signed_in("wahl@example.org")
    assert citizen.get("/api/account/notifications").get_json() == {"email": True, "push": True}

    response = citizen.put("/api/account/notifications", json={"email": False, "push": True})
    assert response.status_code == 200
    assert response.get_json() == {"email": False, "push": True}
    assert citizen.get("/api/account/notifications").get_json() == {"email": False, "push": True}

    citizen.put("/api/account/notifications", json={"email": True, "push": False})
    assert citizen.get("/api/account/notifications").get_json() == {"email": True, "push": False}
    with db.connection_context():
        assert NotificationPreference.select().count() == 1


def test_each_citizen_has_their_own_choice(signed_in):
    first = signed_in("erste@example.org")
    second = signed_in("zweite@example.org")
    first.put("/api/account/notifications", json={"email": False, "push": False})
    assert second.get("/api/account/notifications").get_json() == {"email": True, "push": True}


def test_bad_input_gets_field_errors_in_both_languages_and_changes_nothing(signed_in):
    citizen = signed_in("falsch@example.org")
    citizen.put("/api/account/notifications", json={"email": False, "push": True})
    expected = {
        "de": "Bitte füllen Sie dieses Feld aus.",
        "en": "Please fill in this field.",
    }
    for lang, required in expected.items():
        citizen.lang = lang
        response = citizen.put(
            "/api/account/notifications", json={"email": "vielleicht", "colour": "blau"}
        )
        assert response.status_code == 422
        errors = {e["field"]: (e["code"], e["message"]) for e in response.get_json()["errors"]}
        assert errors["push"] == ("required", required)
        assert errors["email"][0] == "invalid_type"
        assert errors["colour"][0] == "unknown_field"
    assert citizen.get("/api/account/notifications").get_json() == {"email": False, "push": True}


def test_signed_out_visitors_have_no_channels(client):
    assert client.get("/api/account/notifications").status_code == 401
    assert client.put(
        "/api/account/notifications", json={"email": True, "push": True}
    ).status_code in (401, 403)


def test_the_choice_is_part_of_the_data_export(signed_in):
    citizen = signed_in("export@example.org")
    citizen.put("/api/account/notifications", json={"email": False, "push": True})
    export = citizen.get("/api/account/export").get_json()
    assert export["notification_channels"] == {"email": False, "push": True}
