"""FIT-Connect: a dog tax registration travels to a local FIT-Connect (real HTTP, real
keys, real encryption) and the receiver's signed answer comes back."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from app.handoff import base, document
from app.handoff.backends import register_builtin
from app.handoff.backends.fit_connect import FitConnectBackend
from app.handoff.base import Delivery, DeliveryFailed, Outcome
from app.handoff.fit_connect import client as fit_client
from app.models import Application
from tests.api.engine_helpers import start, submitted
from tests.api.service_answers import complete_answers
from tests.fakes.fit_connect import FakeFitConnect, _rsa, certificate, make_root, x5c

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    fit_client.forget_tokens()
    yield
    fit_client.forget_tokens()


@pytest.fixture
def fake() -> Iterator[FakeFitConnect]:
    with FakeFitConnect() as running:
        yield running


@pytest.fixture
def roots(tmp_path, fake) -> str:
    path = tmp_path / "fit-connect-roots.pem"
    path.write_bytes(fake.root_pem)
    return str(path)


def backend(fake: FakeFitConnect, roots: str, **env: str) -> FitConnectBackend:
    settings = FitConnectBackend.settings(
        fake.env(roots) | {"FIT_CONNECT_REQUIRE_CERTIFICATE": "1"} | env, production=False
    )
    return FitConnectBackend(settings)


class Target:
    """One delivery's row as the outbox keeps it: progress stored by ``record``."""

    def __init__(self, fake: FakeFitConnect, application_id: str, destination_id: str = "") -> None:
        self.destination_id = destination_id or fake.destination_id
        self.application_id = application_id
        self.progress: dict[str, Any] = {}
        self.records = 0
        self.attempt = 0

    def _record(self, progress) -> None:
        self.records += 1
        self.progress = copy.deepcopy(json.loads(json.dumps(progress)))  # as stored (JSON)

    def delivery(self, remote_id: str = "") -> Delivery:
        self.attempt += 1
        return Delivery(
            id=1,
            key=f"{self.application_id}.fachverfahren",
            application_id=self.application_id,
            service_id="dog_tax_registration",
            target_id="fachverfahren",
            backend="fit_connect",
            moment="submitted",
            settings={"destination_id": self.destination_id},
            attempt=self.attempt,
            progress=copy.deepcopy(self.progress),
            remote_id=remote_id,
            record=self._record,
        )


@pytest.fixture
def registration(app, signed_in) -> Application:
    api = signed_in("hundehalter@example.org")
    shown = submitted(api, "dog_tax_registration")
    with app.app_context():
        return Application.get_by_id(shown["id"])


def send(app, plugin: FitConnectBackend, target: Target, application: Application) -> Outcome:
    with app.app_context():
        return plugin.deliver(target.delivery(), document.build(application))


def test_a_dog_tax_registration_arrives_decrypted_and_complete(app, fake, roots, registration):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    with app.app_context():
        built = document.build(registration)
        files = {a.filename: a.read() for a in built.attachments}
    outcome = send(app, plugin, target, registration)

    assert outcome.state == "sent"
    (submission,) = fake.submitted
    assert outcome.remote_id == submission.id and target.progress["submitted"] is True
    assert fake.created == 1
    (arrived,) = fake.received
    assert arrived["data"] == json.loads(json.dumps(built.data))
    assert arrived["data"]["application"]["reference"] == registration.reference
    metadata = arrived["metadata"]
    assert metadata["publicServiceType"]["identifier"] == (
        "urn:de:fim:leika:leistung:99102013104000"
    )
    assert metadata["replyChannel"] == {"eMail": {"address": "hundehalter@example.org"}}
    assert {a["filename"]: a["content"] for a in arrived["attachments"].values()} == files
    purposes = {a["filename"]: a["purpose"] for a in arrived["attachments"].values()}
    receipt = next(a.filename for a in built.attachments if a.kind == "receipt")
    assert purposes[receipt] == "form"

    answer = plugin.follow_up(target.delivery(remote_id=outcome.remote_id))
    assert answer is not None and answer.state == "accepted"
    assert answer.remote_id == submission.id
    assert fake.token_requests == 1  # the token is kept until it expires


def test_uploads_travel_as_attachments(app, fake, roots, signed_in):
    api = signed_in("abmeldung@example.org")
    answers = complete_answers("dog_tax_deregistration")
    draft = start(api, "dog_tax_deregistration", answers)
    meta = api.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": "proof", "file": (io.BytesIO(PDF), "Nachweis.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    answers["proof"] = [
        {
            "upload_id": meta["upload_id"],
            "filename": meta["filename"],
            "content_type": meta["content_type"],
            "size": meta["size"],
        }
    ]
    saved = api.put(
        f"/api/applications/{draft['id']}",
        json={"answers": answers},
        headers={"If-Match": f'"{draft["revision"]}"'},
    )
    assert saved.status_code == 200, saved.get_json()
    response = api.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "k"})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        application = Application.get_by_id(draft["id"])
    fake.service_identifier = (
        "urn:de:fim:leika:leistung:" + (document.build(application).data["service"]["leika"])
    )
    outcome = send(app, backend(fake, roots), Target(fake, application.id), application)
    assert outcome.state == "sent"
    (arrived,) = fake.received
    by_name = {a["filename"]: a for a in arrived["attachments"].values()}
    assert by_name["Nachweis.pdf"]["content"] == PDF
    assert by_name["Nachweis.pdf"]["purpose"] == "attachment"


def test_a_file_swapped_on_the_way_is_rejected_and_the_reject_names_it(
    app, fake, roots, registration
):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    fake.swap_next_attachment(b"%PDF-1.4 ein ganz anderes Dokument")
    outcome = send(app, plugin, target, registration)
    assert outcome.state == "sent"  # the service took it; only the receiver can tell
    assert fake.received == []

    answer = plugin.follow_up(target.delivery(remote_id=outcome.remote_id))
    assert answer is not None and answer.state == "rejected"
    assert answer.problems == (
        "Prüfsumme einer Anlage stimmt nicht: Der Hashwert der Anlage passt nicht zu den "
        "Metadaten.",
    )


def test_down_for_a_while_then_delivered_once(app, fake, roots, registration):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    for how in ("503", "refused", "503"):
        fake.go_down(how)
        with pytest.raises(DeliveryFailed) as failed:
            send(app, plugin, target, registration)
        assert failed.value.retry is True
        fake.come_up()
        assert fake.created == 0
    outcome = send(app, plugin, target, registration)
    assert outcome.state == "sent"
    assert fake.created == 1 and len(fake.submitted) == 1 and len(fake.received) == 1


def test_an_attempt_after_a_failure_midway_continues_the_same_submission(
    app, fake, roots, registration
):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    fake.fail_uploads = 1
    with pytest.raises(DeliveryFailed) as failed:
        send(app, plugin, target, registration)
    assert failed.value.retry is True
    assert target.progress["submission_id"] and target.progress["uploaded"] == []

    outcome = send(app, plugin, target, registration)
    assert outcome.state == "sent" and outcome.remote_id == target.progress["submission_id"]
    assert fake.created == 1 and len(fake.received) == 1


def test_a_file_made_anew_on_a_later_attempt_is_described_as_uploaded(
    app, fake, roots, registration
):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    fake.fail_submits = 1
    with app.app_context():
        first = document.build(registration)
        sent_bytes = {a.filename: a.read() for a in first.attachments}
        with pytest.raises(DeliveryFailed):
            plugin.deliver(target.delivery(), first)
        # The receipt rendered again (its bytes differ): the upload stands as it was.
        again = document.build(registration)
        changed = tuple(
            dataclasses.replace(
                a, read=lambda: b"%PDF-1.4 neu", sha256=hashlib.sha256(b"%PDF-1.4 neu").hexdigest()
            )
            for a in again.attachments
        )
        outcome = plugin.deliver(target.delivery(), dataclasses.replace(again, attachments=changed))
    assert outcome.state == "sent"
    (arrived,) = fake.received
    assert {a["filename"]: a["content"] for a in arrived["attachments"].values()} == sent_bytes
    assert plugin.follow_up(target.delivery()).state == "accepted"


def test_a_crash_after_submitting_is_not_sent_twice(app, fake, roots, registration):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    stored = target._record

    def crash_once_submitted(progress) -> None:
        if progress.get("submitted"):
            raise RuntimeError("worker died")
        stored(progress)

    target._record = crash_once_submitted
    with pytest.raises(RuntimeError):
        send(app, plugin, target, registration)
    target._record = stored
    outcome = send(app, plugin, target, registration)
    assert outcome.state == "sent" and target.progress["submitted"] is True
    assert fake.created == 1 and len(fake.submitted) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"x5c": None},  # no certificate, but production-like checks demand one
        {"alg": "RSA-OAEP"},
        {"key_ops": ["wrapKey", "encrypt"]},
        {"kid": "another"},
    ],
)
def test_a_destination_key_that_fails_a_check_is_never_used(app, fake, roots, registration, change):
    key = fake.public_key(fake.encryption_kid) | change
    fake.encryption_key_override = {k: v for k, v in key.items() if v is not None}
    with pytest.raises(DeliveryFailed) as failed:
        send(app, backend(fake, roots), Target(fake, registration.id), registration)
    assert failed.value.retry is False and "key is refused" in failed.value.reason
    assert fake.created == 0


def test_a_certificate_from_an_untrusted_root_is_refused(app, fake, tmp_path, registration):
    _key, other = make_root("Fremde Wurzel")
    path = tmp_path / "other.pem"
    path.write_bytes(other.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(DeliveryFailed) as failed:
        send(app, backend(fake, str(path)), Target(fake, registration.id), registration)
    assert failed.value.retry is False and "trusted root" in failed.value.reason
    assert fake.created == 0


def test_only_signed_answers_of_the_receiver_count(app, fake, roots, registration):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    fake.auto_decide = False
    outcome = send(app, plugin, target, registration)
    assert plugin.follow_up(target.delivery()) is None  # nothing decided yet

    reject = {"problems": [{"type": "x", "title": "Gefälscht", "detail": "", "instance": "x"}]}
    fake.add_event(outcome.remote_id, "reject-submission", reject, signer="stranger")
    fake.add_event(outcome.remote_id, "reject-submission", reject, signer="service")
    assert plugin.follow_up(target.delivery()) is None

    # An accept of something else than what the portal encrypted does not count either.
    other = {"authenticationTags": {"metadata": "x", "data": "y", "attachments": {}}}
    fake.add_event(outcome.remote_id, "accept-submission", other, signer="destination")
    assert plugin.follow_up(target.delivery()) is None

    # Nor does an accept that quotes no authentication tags at all.
    fake.add_event(outcome.remote_id, "accept-submission", {}, signer="destination")
    assert plugin.follow_up(target.delivery()) is None

    sent = target.progress["tags"]
    tags = {
        "metadata": sent["metadata"],
        "data": sent["data"],
        "attachments": {k: v for k, v in sent.items() if k not in ("metadata", "data")},
    }
    fake.add_event(
        outcome.remote_id, "accept-submission", {"authenticationTags": tags}, signer="destination"
    )
    answer = plugin.follow_up(target.delivery())
    assert answer is not None and answer.state == "accepted"


@pytest.mark.parametrize(
    "change",
    [
        {"x5c": None},  # no certificate
        {"x5c": "encryption"},  # certified, but for encryption, not for signatures
    ],
)
def test_the_receivers_signature_key_needs_its_certificate(app, fake, roots, registration, change):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    outcome = send(app, plugin, target, registration)
    key = fake.public_key(fake.signature_kid)
    if change["x5c"] is None:
        key = {k: v for k, v in key.items() if k != "x5c"}
    else:
        # A chain made for the signature key, but with keyEncipherment only.
        root_key = _rsa("root-Testwurzel FIT-Connect", 2048)
        public = _rsa("destination-signature").public_key()
        leaf = certificate("Zustellpunkt", public, "Testwurzel FIT-Connect", root_key, ca=False)
        key = key | {"x5c": x5c(leaf, fake.root)}
    fake.signature_key_override = key
    # The receiver's accept is signed, but its key is not certified for signing.
    assert plugin.follow_up(target.delivery(remote_id=outcome.remote_id)) is None

    fake.signature_key_override = None
    answer = plugin.follow_up(target.delivery(remote_id=outcome.remote_id))
    assert answer is not None and answer.state == "accepted"


def test_rejected_credentials_and_client_errors_are_not_retried(app, fake, roots, registration):
    plugin = backend(fake, roots, FIT_CONNECT_CLIENT_SECRET="falsch")
    with pytest.raises(DeliveryFailed) as failed:
        send(app, plugin, Target(fake, registration.id), registration)
    assert failed.value.retry is False and "401" in failed.value.reason

    unknown = Target(fake, registration.id, "00000000-0000-4000-8000-000000000000")
    with pytest.raises(DeliveryFailed) as failed:
        send(app, backend(fake, roots), unknown, registration)
    assert failed.value.retry is False and "404" in failed.value.reason


def test_a_revoked_token_is_fetched_again_once(app, fake, roots, registration):
    plugin = backend(fake, roots)
    target = Target(fake, registration.id)
    outcome = send(app, plugin, target, registration)
    fake.revoke_tokens()
    assert plugin.follow_up(target.delivery(remote_id=outcome.remote_id)).state == "accepted"
    assert fake.token_requests == 2


def test_target_settings_are_checked():
    plugin = FitConnectBackend({})
    assert plugin.check_target({"destination_id": "8e4a6a2c-2a5f-4b47-9c1c-3a52d1a0d0d1"}) == []
    problems = plugin.check_target(
        {"destination_id": "nope", "service_identifier": "99102013104000", "colour": "blau"},
    )
    assert problems == [
        "colour: is not a FIT-Connect setting",
        "destination_id: must be a UUID (the destination's id)",
        "service_identifier: must be a URN, e.g. urn:de:fim:leika:leistung:<LeiKa>",
    ]
    assert plugin.check_target(
        {"destination_id": "8e4a6a2c-2a5f-4b47-9c1c-3a52d1a0d0d1"}, definition={"id": "x"}
    ) == ["service_identifier: is needed, the definition has no 14-digit leika key"]


def test_production_refuses_incomplete_or_unsafe_settings():
    assert FitConnectBackend.problems(FitConnectBackend.settings({}, production=True)) == []
    config = FitConnectBackend.settings(
        {
            "FIT_CONNECT_SUBMISSION_URL": "http://submission.example",
            "FIT_CONNECT_CLIENT_ID": "portal",
            "FIT_CONNECT_REQUIRE_CERTIFICATE": "0",
        },
        production=True,
    )
    assert FitConnectBackend.problems(config) == [
        "FIT_CONNECT_TOKEN_URL is not set",
        "FIT_CONNECT_CLIENT_SECRET is not set",
        "FIT_CONNECT_TRUST_ANCHORS is not set",
        "FIT_CONNECT_SUBMISSION_URL must be an https:// address",
        "FIT_CONNECT_JWKS_URL must be an https:// address",
        "FIT_CONNECT_REQUIRE_CERTIFICATE=0 would encrypt for keys without a checked certificate",
    ]


def test_the_backend_is_built_in_with_its_settings():
    register_builtin()
    register_builtin()  # again: nothing changes
    assert base.REGISTRY.find("fit_connect") is FitConnectBackend
    settings = base.all_settings({"FIT_CONNECT_SUBMISSION_URL": "https://fit.example/"}, False)
    assert settings["FIT_CONNECT_SUBMISSION_URL"] == "https://fit.example"
    assert settings["FIT_CONNECT_JWKS_URL"] == "https://fit.example/.well-known/jwks.json"
    assert settings["FIT_CONNECT_REQUIRE_CERTIFICATE"] is False
    assert base.all_settings({}, True)["FIT_CONNECT_REQUIRE_CERTIFICATE"] is True


def test_outside_production_a_key_is_used_without_trust_anchors(app, fake, registration):
    plugin = FitConnectBackend(FitConnectBackend.settings(fake.env(""), production=False))
    outcome = send(app, plugin, Target(fake, registration.id), registration)
    assert outcome.state == "sent" and len(fake.received) == 1
