"""FIT-Connect's built-in demo destination ("Testmodus"): without a configured
Submission API a fit_connect target is encrypted as for a real destination, decrypted
and checked inside the portal, accepted, and shown to clerks as Testmodus; production
refuses such a target instead of pretending to deliver."""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwe

from app import tasks
from app.db import db
from app.handoff import document
from app.handoff.backends.fit_connect import FitConnectBackend
from app.handoff.base import Delivery, DeliveryFailed
from app.handoff.fit_connect import envelope, simulator
from app.models import Application, HandoffDelivery
from tests.api.engine_helpers import submitted
from tests.handoff.support import publish_with, target

DESTINATION = "8e4a6a2c-2a5f-4b47-9c1c-3a52d1a0d0d1"


@pytest.fixture
def clerk(signed_in):
    return signed_in("hundesteuer-clerk@example.org", "staff", ("hundesteuer",))


def _delivery(application_id: str, stored: list) -> Delivery:
    return Delivery(
        id=1,
        key=f"{application_id}.fachverfahren",
        application_id=application_id,
        service_id="dog_tax_deregistration",
        target_id="fachverfahren",
        backend="fit_connect",
        moment="submitted",
        settings={"destination_id": DESTINATION},
        attempt=1,
        progress={},
        record=stored.append,
    )


def test_the_demo_deregistration_is_accepted_by_the_simulated_destination(app, signed_in, clerk):
    from app.demo import seed_demo

    assert tasks.huey.immediate
    seed_demo()  # the demo hands dog tax deregistrations to FIT-Connect
    shown = submitted(signed_in("abmeldung@example.org"), "dog_tax_deregistration")
    with db.connection_context():
        (row,) = HandoffDelivery.select().where(HandoffDelivery.application == shown["id"])
    assert (row.backend, row.state) == ("fit_connect", "accepted")
    assert row.remote_id.startswith(simulator.REMOTE_ID_PREFIX)
    assert row.progress["simulated"] is True and row.attempts == 1

    [item] = clerk.get(f"/api/staff/applications/{shown['id']}/handoffs").get_json()
    assert item["test_mode"] is True and item["state"] == "accepted"
    assert item["remote_id"] == row.remote_id
    listed = clerk.get("/api/staff/handoffs").get_json()["items"]
    assert all(entry["application_id"] != shown["id"] for entry in listed)  # done, not open


def test_what_is_encrypted_is_what_the_document_holds(app, signed_in, monkeypatch):
    shown = submitted(signed_in("abmeldung2@example.org"), "dog_tax_deregistration")
    opened: list[tuple[str, bytes]] = []
    real_open = simulator._open

    def watching(compact: str, cty: str) -> bytes:
        # A JWE for the demo key, as for a real destination: RSA-OAEP-256 + A256GCM.
        header = json.loads(jwe.JWE.from_jose_token(compact).objects["protected"])
        assert header["alg"] == "RSA-OAEP-256" and header["enc"] == "A256GCM"
        payload = real_open(compact, cty)
        opened.append((cty, payload))
        return payload

    monkeypatch.setattr(simulator, "_open", watching)
    plugin = FitConnectBackend(tasks.config())
    assert plugin.simulated
    stored: list = []
    with app.app_context():
        built = document.build(Application.get_by_id(shown["id"]))
        outcome = plugin.deliver(_delivery(shown["id"], stored), built)
    assert outcome.state == "accepted" and outcome.details["simulated"] is True
    assert stored == [{"simulated": True}, {"simulated": True, "submission_id": outcome.remote_id}]
    meta = json.loads(opened[0][1])
    assert meta["publicServiceType"]["identifier"] == "urn:de:fim:leika:leistung:99102013070000"
    assert json.loads(opened[1][1]) == json.loads(json.dumps(built.data))
    files = sorted(payload for _cty, payload in opened[2:])
    assert files == sorted(a.read() for a in built.attachments)
    assert plugin.follow_up(_delivery(shown["id"], [])) is None


def test_a_file_changed_on_the_way_is_not_accepted(app, signed_in, monkeypatch):
    shown = submitted(signed_in("abmeldung3@example.org"), "dog_tax_deregistration")
    real_encrypt = envelope.encrypt

    def tampering(payload, key, kid, content_type=""):
        if content_type == "application/pdf":
            payload = payload + b"\n% changed"
        return real_encrypt(payload, key, kid, content_type)

    monkeypatch.setattr(envelope, "encrypt", tampering)
    with app.app_context():
        built = document.build(Application.get_by_id(shown["id"]))
        with pytest.raises(DeliveryFailed) as failed:
            FitConnectBackend(tasks.config()).deliver(_delivery(shown["id"], []), built)
    assert "hash" in failed.value.reason and failed.value.retry is False


def test_a_configured_submission_api_is_used_instead():
    config = FitConnectBackend.settings(
        {"FIT_CONNECT_SUBMISSION_URL": "http://127.0.0.1:9"}, production=False
    )
    assert not FitConnectBackend(config).simulated
    assert FitConnectBackend(FitConnectBackend.settings({}, production=False)).simulated


def test_production_never_simulates_and_refuses_an_unconfigured_target():
    config = FitConnectBackend.settings({}, production=True) | {"PORTAL_ENV": "production"}
    plugin = FitConnectBackend(config)
    assert not plugin.simulated
    assert plugin.check_target({"destination_id": DESTINATION}) == [
        "FIT-Connect is not configured (FIT_CONNECT_SUBMISSION_URL is not set): "
        "production has no simulated destination"
    ]
    settled = FitConnectBackend(config | {"FIT_CONNECT_SUBMISSION_URL": "https://fit.example"})
    assert settled.check_target({"destination_id": DESTINATION}) == []


def test_other_deliveries_are_not_test_mode(app, signed_in, clerk):
    publish_with(
        "dog_tax_deregistration",
        target("fachverfahren", backend="fit_connect", destination_id=DESTINATION),
    )
    shown = submitted(signed_in("abmeldung4@example.org"), "dog_tax_deregistration")
    with db.connection_context():
        HandoffDelivery.update(progress={}, remote_id="0f2c").where(
            HandoffDelivery.application == shown["id"]
        ).execute()
    [item] = clerk.get(f"/api/staff/applications/{shown['id']}/handoffs").get_json()
    assert item["test_mode"] is False
