"""The push API for the PWA: public key, devices (register, list, change, remove), topics."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from app.db import db
from app.models import PushSubscription
from tests.fakes.push_service import make_subscription
from tests.push.portal import device_count, set_config

FCM = "https://fcm.googleapis.com"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


def _browser(origin: str = FCM) -> dict:
    return make_subscription(origin).info


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_public_key_is_a_p256_point_and_stays_the_same(client, app):
    first = client.get("/api/push/public-key")
    assert first.status_code == 200
    key = first.get_json()["public_key"]
    point = _unb64(key)
    assert len(point) == 65 and point[0] == 4 and "=" not in key
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    assert client.get("/api/push/public-key").get_json()["public_key"] == key
    # Generated on the first start into the instance folder, private to the portal.
    from pathlib import Path

    path = Path(app.config["INSTANCE_PATH"]) / "vapid_private_key.pem"
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600


def test_push_switched_off_answers_503(client, app, monkeypatch):
    set_config(app, monkeypatch, PUSH_ENABLED=False)
    response = client.get("/api/push/public-key")
    assert response.status_code == 503 and response.get_json()["code"] == "push_unavailable"


def test_register_is_idempotent_per_endpoint_and_never_echoes_the_endpoint(signed_in):
    citizen = signed_in("a@example.org")
    browser = _browser()
    first = citizen.post(
        "/api/push/subscriptions",
        json={**browser, "expirationTime": None},
        headers={"User-Agent": ANDROID_CHROME},
    )
    assert first.status_code == 201, first.get_json()
    device = first.get_json()
    assert device["label"] == "Chrome auf Android"
    assert device["push_service"] == "fcm.googleapis.com"
    assert device["language"] == "de" and device["topics"] == []
    assert browser["endpoint"] not in str(device)

    again = citizen.post(
        "/api/push/subscriptions", json={**browser, "label": "Mein Telefon", "language": "en"}
    )
    assert again.status_code == 200
    assert again.get_json()["id"] == device["id"]
    assert again.get_json()["label"] == "Mein Telefon" and again.get_json()["language"] == "en"
    listed = citizen.get("/api/push/subscriptions").get_json()
    assert [d["id"] for d in listed] == [device["id"]]


def test_anonymous_cannot_register_or_list(client):
    assert client.post("/api/push/subscriptions", json=_browser()).status_code == 401
    assert client.get("/api/push/subscriptions").status_code == 401


def test_citizen_b_cannot_see_change_or_delete_a_s_devices(signed_in):
    alice = signed_in("alice@example.org")
    bob = signed_in("bob@example.org")
    device = alice.post("/api/push/subscriptions", json=_browser()).get_json()

    assert bob.get("/api/push/subscriptions").get_json() == []
    assert bob.delete(f"/api/push/subscriptions/{device['id']}").status_code == 404
    patched = bob.patch(f"/api/push/subscriptions/{device['id']}", json={"label": "Meins"})
    assert patched.status_code == 404
    assert [d["label"] for d in alice.get("/api/push/subscriptions").get_json()] == [
        device["label"]
    ]

    assert alice.delete(f"/api/push/subscriptions/{device['id']}").status_code == 204
    assert alice.get("/api/push/subscriptions").get_json() == []
    assert alice.delete(f"/api/push/subscriptions/{device['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"keys": None}, "keys", "required"),
        ({"keys": {"auth": "x"}}, "keys.p256dh", "required"),
        ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh", None),
        ({"endpoint": ""}, "endpoint", None),
        ({"endpoint": "not a url"}, "endpoint", "push_endpoint_invalid"),
        ({"endpoint": "https://user:pw@fcm.googleapis.com/x"}, "endpoint", "push_endpoint_invalid"),
        ({"label": "x" * 81}, "label", "too_long"),
        ({"language": "fr"}, "language", "invalid_choice"),
        ({"topics": ["waste_collection", "horoscope"]}, "topics", "push_topic_unknown"),
        ({"colour": "blue"}, "colour", "unknown_field"),
    ],
)
def test_bad_subscriptions_get_field_level_errors_and_store_nothing(signed_in, change, field, code):
    citizen = signed_in("c@example.org", "citizen")
    body = {**_browser(), **change}
    if change.get("keys") is None and "keys" in change:
        body.pop("keys")
    response = citizen.post("/api/push/subscriptions", json=body)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert errors and errors[0]["field"] == field, errors
    if code:
        assert errors[0]["code"] == code
    assert errors[0]["message"]
    assert device_count() == 0


def test_bad_keys_name_the_key(signed_in):
    citizen = signed_in("keys@example.org")
    good = _browser()
    bad_auth = {**good, "keys": {**good["keys"], "auth": "c2hvcnQ"}}
    response = citizen.post("/api/push/subscriptions", json=bad_auth)
    assert response.status_code == 422
    assert response.get_json()["errors"][0] == {
        "field": "keys.auth",
        "code": "push_key_invalid",
        "message": response.get_json()["errors"][0]["message"],
    }
    off_curve = {**good, "keys": {**good["keys"], "p256dh": "BA" + "A" * 85}}
    response = citizen.post("/api/push/subscriptions", json=off_curve)
    assert response.get_json()["errors"][0]["field"] == "keys.p256dh"


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",
        "https://10.0.0.5/admin",
        "https://[::1]/push",
        "https://127.0.0.1:8443/push/x",
        "https://localhost/push/x",
        "https://metadata.google.internal/computeMetadata/v1",
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilfcm.googleapis.com.example/x",
        "https://fcm.googleapis.com:8443/fcm/send/abc",
        "https://push.apple.com/bare-domain-is-not-a-push-host",
        "https://notify.windows.com.attacker.example/w",
    ],
)
def test_endpoints_outside_the_allow_list_are_refused(signed_in, endpoint):
    citizen = signed_in("ssrf@example.org")
    response = citizen.post("/api/push/subscriptions", json={**_browser(), "endpoint": endpoint})
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "endpoint"
    assert error["code"] == "push_endpoint_not_allowed"
    assert device_count() == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABm",
        "https://web.push.apple.com/QGZ1c2Vy",
        "https://wns2-db5p.notify.windows.com/w/?token=BQYAAAB",
    ],
)
def test_the_big_push_services_are_allowed(signed_in, endpoint):
    citizen = signed_in("ok@example.org")
    response = citizen.post("/api/push/subscriptions", json={**_browser(), "endpoint": endpoint})
    assert response.status_code == 201, response.get_json()


def test_local_push_service_only_when_configured(signed_in, app, monkeypatch):
    citizen = signed_in("local@example.org")
    body = _browser("http://127.0.0.1:8089")
    assert citizen.post("/api/push/subscriptions", json=body).status_code == 422
    set_config(
        app,
        monkeypatch,
        PUSH_ALLOWED_HOSTS=[*app.config["PUSH_ALLOWED_HOSTS"], "http://127.0.0.1:8089"],
    )
    assert citizen.post("/api/push/subscriptions", json=body).status_code == 201
    other_port = _browser("http://127.0.0.1:8090")
    assert citizen.post("/api/push/subscriptions", json=other_port).status_code == 422


def test_change_label_language_and_topics(signed_in):
    citizen = signed_in("topics@example.org", "citizen")
    device = citizen.post("/api/push/subscriptions", json=_browser()).get_json()
    path = f"/api/push/subscriptions/{device['id']}"

    changed = citizen.patch(
        path, json={"label": "Tablet", "language": "en", "topics": ["waste_collection"]}
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["label"] == "Tablet"
    assert changed.get_json()["topics"] == ["waste_collection"]
    assert changed.get_json()["language"] == "en"

    unknown = citizen.patch(path, json={"topics": ["lottery"]})
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "topics"
    assert citizen.patch(path, json={"topics": []}).get_json()["topics"] == []


def test_topics_are_listed_with_labels(client, make_client):
    german = client.get("/api/push/topics").get_json()
    english = make_client("en").get("/api/push/topics").get_json()
    assert german == [{"id": "waste_collection", "label": "Änderungen bei der Müllabfuhr"}]
    assert english == [{"id": "waste_collection", "label": "Changes to waste collection"}]


def test_same_browser_moves_to_the_account_that_registers_it(signed_in):
    browser = _browser()
    alice = signed_in("first@example.org")
    alice.post("/api/push/subscriptions", json={**browser, "topics": ["waste_collection"]})
    bob = signed_in("second@example.org")
    moved = bob.post("/api/push/subscriptions", json=browser)
    assert moved.status_code == 200
    assert moved.get_json()["topics"] == []  # Alice's choices do not carry over
    assert alice.get("/api/push/subscriptions").get_json() == []
    assert len(bob.get("/api/push/subscriptions").get_json()) == 1


def test_replaced_subscription_keeps_label_and_topics(signed_in):
    citizen = signed_in("rotate@example.org")
    old = _browser()
    device = citizen.post(
        "/api/push/subscriptions",
        json={**old, "label": "Küchentablet", "topics": ["waste_collection"]},
    ).get_json()
    new = _browser()
    replaced = citizen.post(
        "/api/push/subscriptions", json={**new, "old_endpoint": old["endpoint"]}
    )
    assert replaced.status_code == 200
    assert replaced.get_json()["id"] == device["id"]
    assert replaced.get_json()["label"] == "Küchentablet"
    assert replaced.get_json()["topics"] == ["waste_collection"]
    with db.connection_context():
        assert PushSubscription.get_by_id(device["id"]).endpoint == new["endpoint"]


def test_old_endpoint_of_someone_else_is_ignored(signed_in):
    alice, bob = signed_in("o1@example.org"), signed_in("o2@example.org")
    alices = _browser()
    alice.post("/api/push/subscriptions", json=alices)
    created = bob.post(
        "/api/push/subscriptions", json={**_browser(), "old_endpoint": alices["endpoint"]}
    )
    assert created.status_code == 201
    assert len(alice.get("/api/push/subscriptions").get_json()) == 1


def test_too_many_devices_forgets_the_oldest(signed_in, app, monkeypatch):
    set_config(app, monkeypatch, PUSH_MAX_DEVICES=2)
    citizen = signed_in("many@example.org")
    ids = [citizen.post("/api/push/subscriptions", json=_browser()).get_json()["id"] for _ in "abc"]
    remaining = {d["id"] for d in citizen.get("/api/push/subscriptions").get_json()}
    assert len(remaining) == 2 and ids[-1] in remaining


def test_devices_are_in_the_data_export_and_go_with_the_account(signed_in):
    citizen = signed_in("export@example.org")
    citizen.post("/api/push/subscriptions", json={**_browser(), "label": "Telefon"})
    exported = citizen.get("/api/account/export").get_json()
    [device] = exported["push_devices"]
    assert device["label"] == "Telefon" and device["push_service"] == "fcm.googleapis.com"
    assert "endpoint" not in device
    response = citizen.delete("/api/account", json={"confirm_email": "export@example.org"})
    assert response.status_code == 204
    assert device_count() == 0
