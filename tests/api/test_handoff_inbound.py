"""Reports of specialist systems (``POST /api/handoff/inbound/<service>/<target>``):
signed like the portal's webhooks; a status change reaches the citizen like a clerk's;
anything replayed, stale, badly signed or not allowed is refused and changes nothing."""

from __future__ import annotations

import base64
import json
import time

import pytest

from api.handoff_schema import HandoffApplicationSchema
from app import events, tasks
from app.applications import definitions, history
from app.db import db
from app.handoff import document
from app.handoff.backends import webhook
from app.mail import read_outbox
from app.models import (
    Application,
    ApplicationEvent,
    HandoffDelivery,
    HandoffInboundReport,
    InboxMessage,
    User,
)
from tests.api.engine_helpers import submitted
from tests.fakes.webhook_receiver import WebhookReceiver, specialist_headers
from tests.push.portal import add_device, serve

SERVICE = "dog_tax_registration"
SECRET = "whsec_" + base64.b64encode(b"steueramt-secret-for-the-tests!!").decode()
URL = f"/api/handoff/inbound/{SERVICE}/steueramt"
CITIZEN = "hundehalter@example.org"


class HandingOff:
    """The service's webhook target: a real receiver on loopback that the outbox
    delivers to (at submission), so the target has the applications it reports on."""

    def __init__(self, app, receiver: WebhookReceiver) -> None:
        self.app = app
        self.receiver = receiver
        self.record = None  # the published version that names the target

    def submit(self, citizen, key: str = "submit-1") -> dict:
        """A submitted dog registration, handed off to the target (``delivered``)."""
        application = submitted(citizen, SERVICE, key=key)  # jobs run at once in tests
        with self.app.app_context(), db.connection_context():
            (delivery,) = HandoffDelivery.select().where(
                HandoffDelivery.application == application["id"]
            )
        assert delivery.state == "delivered", delivery.last_error
        return application


@pytest.fixture
def target(app, monkeypatch):
    """A published version of the dog registration that hands off to a webhook target
    whose secret is in the environment."""
    settings = webhook.WebhookBackend.settings({"HANDOFF_WEBHOOK_SECRET_STEUERAMT": SECRET}, False)
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
        monkeypatch.setitem(tasks.config(), name, value)  # what the delivery job reads
    with WebhookReceiver(SECRET) as receiver:
        handing_off = HandingOff(app, receiver)
        handing_off.record = publish(app, {"steueramt": receiver.url})
        yield handing_off


def publish(app, targets: dict[str, str]):
    """A new published version of the dog registration whose webhook targets (id: url)
    all sign with the secret ``steueramt``."""
    with app.app_context(), db.connection_context():
        admin = User.get_or_none(User.email == "admin-handoff@example.org") or User.create(
            email="admin-handoff@example.org", role="admin"
        )
        data = definitions.published(SERVICE).data
        data = {
            **data,
            "version": data["version"] + 1,
            "handoff": [
                {
                    "id": target_id,
                    "backend": "webhook",
                    "on": "submitted",
                    "label": {"de": "Steueramt (Fachverfahren)", "en": "Tax office"},
                    "settings": {"url": url, "secret": "steueramt"},
                }
                for target_id, url in targets.items()
            ],
        }
        record = definitions.create_version(data, admin)
        return definitions.change_state(record, "published", admin)


@pytest.fixture
def citizen(signed_in):
    return signed_in(CITIZEN)


@pytest.fixture
def push_portal(app, monkeypatch):
    yield from serve(app, monkeypatch)


def _post(client, payload, *, webhook_id="report-1", secret=SECRET, timestamp=None, url=URL):
    body = json.dumps(payload).encode()
    headers = specialist_headers(secret, webhook_id, body, timestamp)
    return client.post(url, data=body, headers=headers)


def _state(application_id: str) -> tuple:
    """Everything a refused report must leave as it was."""
    with db.connection_context():
        application = Application.get_by_id(application_id)
        return (
            application.status,
            application.revision,
            ApplicationEvent.select().where(ApplicationEvent.application == application_id).count(),
            InboxMessage.select().count(),
            HandoffInboundReport.select().count(),
        )


def _refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.get_json()
    assert response.get_json()["code"] == code


def test_a_status_report_reaches_the_citizen_like_a_clerk_s_change(
    app, client, citizen, target, push_portal, monkeypatch
):
    announced = []
    monkeypatch.setitem(
        events._handlers,
        "handoff.case_number_reported",
        [lambda **payload: announced.append(payload)],
    )
    application = target.submit(citizen)
    phone, _ = add_device(citizen, push_portal, language="de")
    mails_before = len(read_outbox(app.config["INSTANCE_PATH"], CITIZEN))

    response = _post(
        client,
        {"application_id": application["id"], "status": "approved", "case_number": "AZ-77/26"},
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "application_id": application["id"],
        "status": "approved",
        "changed": True,
        "case_number": "AZ-77/26",
    }
    # Push, inbox and e-mail, as after a clerk's decision, with the default message.
    [pushed] = push_portal.deliveries
    assert pushed.subscription_id == phone.id
    assert pushed.payload["body"] == "Neuer Status: Genehmigt"
    inbox = citizen.get("/api/inbox").get_json()
    assert any("Genehmigt" in message["subject"] for message in inbox)
    assert len(read_outbox(app.config["INSTANCE_PATH"], CITIZEN)) > mails_before
    assert citizen.get(f"/api/applications/{application['id']}").get_json()["status"] == "approved"
    with app.app_context(), db.connection_context():
        record = Application.get_by_id(application["id"])
        assert record.decided_by == "staff"
        staff_view = history.entries(record, "staff", "de")
        citizen_view = history.entries(record, "citizen", "de")
        [announcement] = announced
        assert announcement["application"].id == application["id"]
        assert (announcement["target_id"], announcement["case_number"]) == (
            "steueramt",
            "AZ-77/26",
        )
    # Clerks see where the change came from; the citizen sees the decision only.
    notes = [entry["message"] for entry in staff_view if entry["internal"]]
    assert notes == [
        "Meldung des Fachverfahrens „Steueramt (Fachverfahren)“: Aktenzeichen AZ-77/26."
    ]
    assert not any(entry["internal"] for entry in citizen_view)
    decision = [entry for entry in staff_view if entry["to_status"] == "approved"]
    assert decision and "zur Hundesteuer angemeldet" in decision[0]["message"]


def test_the_same_report_again_is_refused_and_changes_nothing(client, citizen, target):
    application = target.submit(citizen)
    payload = {"application_id": application["id"], "status": "in_review"}
    assert _post(client, payload).status_code == 200
    before = _state(application["id"])

    # Replayed as it was, and re-signed with a fresh timestamp: the id was seen.
    _refused(_post(client, payload), 409, "handoff_replayed")
    later = int(time.time()) + 60
    again = {"application_id": application["id"], "status": "approved"}
    _refused(_post(client, again, timestamp=later), 409, "handoff_replayed")
    assert _state(application["id"]) == before


@pytest.mark.parametrize("offset", [-301, 301])
def test_a_stale_or_future_timestamp_is_refused(client, citizen, target, offset):
    application = target.submit(citizen)
    before = _state(application["id"])
    payload = {"application_id": application["id"], "status": "approved"}
    response = _post(client, payload, timestamp=int(time.time()) + offset)
    _refused(response, 401, "handoff_timestamp_out_of_range")
    assert _state(application["id"]) == before
    # The refused id may still come, in time.
    assert _post(client, payload).status_code == 200


def test_bad_signatures_are_refused(client, citizen, target):
    application = target.submit(citizen)
    before = _state(application["id"])
    payload = {"application_id": application["id"], "status": "approved"}
    other = "whsec_" + base64.b64encode(b"o" * 32).decode()
    _refused(_post(client, payload, secret=other), 401, "handoff_signature_invalid")

    body = json.dumps(payload).encode()
    headers = specialist_headers(SECRET, "report-2", body)
    tampered = body.replace(b"approved", b"rejected")
    _refused(client.post(URL, data=tampered, headers=headers), 401, "handoff_signature_invalid")
    for missing in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        partial = {name: value for name, value in headers.items() if name != missing}
        _refused(client.post(URL, data=body, headers=partial), 401, "handoff_signature_invalid")
    unsigned = {**headers, "webhook-signature": "v1a,AAAA v2,BBBB"}
    _refused(client.post(URL, data=body, headers=unsigned), 401, "handoff_signature_invalid")
    assert _state(application["id"]) == before
    # Several signatures (a secret being rotated): one good one is enough.
    rotating = {**headers, "webhook-signature": "v1,AAAA " + headers["webhook-signature"]}
    assert client.post(URL, data=body, headers=rotating).status_code == 200


def test_unknown_targets_and_other_services_applications_are_refused(client, citizen, target):
    application = target.submit(citizen)
    other = submitted(citizen, "waste_bins", key="submit-2")
    before = _state(application["id"])
    payload = {"application_id": application["id"], "status": "approved"}
    for url in (
        f"/api/handoff/inbound/{SERVICE}/kasse",
        "/api/handoff/inbound/waste_bins/steueramt",
        "/api/handoff/inbound/nope/steueramt",
    ):
        _refused(_post(client, payload, url=url), 404, "handoff_target_unknown")
    for application_id in (other["id"], "unknown-id"):
        response = _post(client, {"application_id": application_id, "status": "approved"})
        _refused(response, 404, "handoff_application_unknown")
    assert _state(application["id"]) == before
    assert _state(other["id"])[0] == other["status"]


@pytest.mark.parametrize("status", ["completed", "withdrawn", "submitted", "nonsense"])
def test_a_status_the_table_does_not_allow_clerks_is_refused(client, citizen, target, status):
    application = target.submit(citizen)
    before = _state(application["id"])
    response = _post(client, {"application_id": application["id"], "status": status})
    _refused(response, 409, "transition_not_allowed")
    assert _state(application["id"]) == before


def test_a_rejection_needs_the_specialist_system_s_reasons(
    app, client, citizen, target, make_client
):
    application = target.submit(citizen)
    before = _state(application["id"])
    payload = {"application_id": application["id"], "status": "rejected"}
    response = _post(client, payload)
    _refused(response, 422, "invalid_input")
    assert response.get_json()["errors"][0]["code"] == "message_required"
    assert _state(application["id"]) == before

    payload["message"] = {"de": "Der Hund ist schon gemeldet.", "en": "The dog is registered."}
    assert _post(client, payload, webhook_id="report-2").status_code == 200
    inbox = citizen.get("/api/inbox").get_json()
    assert any("schon gemeldet" in json.dumps(message) for message in inbox)


def test_a_case_number_alone_is_stored_without_telling_the_citizen(
    app, client, citizen, target, monkeypatch
):
    announced = []
    monkeypatch.setitem(
        events._handlers,
        "handoff.case_number_reported",
        [lambda **payload: announced.append(payload["case_number"])],
    )
    application = target.submit(citizen)
    messages = _state(application["id"])[3]
    response = _post(client, {"application_id": application["id"], "case_number": "4711"})
    assert response.get_json() == {
        "application_id": application["id"],
        "status": "submitted",
        "changed": False,
        "case_number": "4711",
    }
    assert announced == ["4711"]
    assert _state(application["id"])[3] == messages


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"status": "approved"}, "application_id", "required"),
        ({"status": "approved", "extra": 1}, "extra", "unknown_field"),
        ({}, "status", "handoff_report_empty"),
        ({"message": {"de": "Hallo"}}, "message", "handoff_message_without_status"),
        ({"case_number": "a\nb"}, "case_number", "handoff_case_number"),
        ({"status": "approved", "message": {"en": "Hi"}}, "message.de", "required"),
    ],
)
def test_malformed_reports_name_the_field(client, citizen, target, payload, field, code):
    application = target.submit(citizen)
    before = _state(application["id"])
    payload = {"application_id": application["id"], **payload}
    if field == "application_id":
        del payload["application_id"]
    response = _post(client, payload)
    _refused(response, 422, "invalid_input")
    assert [(e["field"], e["code"]) for e in response.get_json()["errors"]] == [(field, code)]
    assert _state(application["id"]) == before


def test_a_body_that_is_not_json_is_refused_after_the_signature(client, target):
    body = b"not json"
    response = client.post(URL, data=body, headers=specialist_headers(SECRET, "r-1", body))
    _refused(response, 400, "malformed_json")


def test_the_outbound_document_is_no_inbound_report(client, citizen, target, app):
    """The same secret signs both ways: a message the portal sent, played back to it,
    is not a report."""
    application = target.submit(citizen)
    with app.app_context():
        built = document.build(Application.get_by_id(application["id"]))
    envelope = {"type": "application.handoff", "delivery": "x", "data": built.data}
    response = _post(client, envelope, webhook_id=f"{application['id']}.steueramt")
    _refused(response, 422, "invalid_input")


def test_the_document_validates_against_its_published_schema(app, client, citizen, target):
    application = target.submit(citizen)
    with app.app_context():
        undecided = document.build(Application.get_by_id(application["id"])).data
    assert HandoffApplicationSchema().validate(json.loads(json.dumps(undecided))) == {}
    _post(client, {"application_id": application["id"], "status": "approved"})
    with app.app_context():
        decided = document.build(Application.get_by_id(application["id"])).data
    assert decided["decision"]["kind"] == "positive"
    assert HandoffApplicationSchema().validate(json.loads(json.dumps(decided))) == {}
    # The schema is strict: a key the document grows must be published too.
    assert HandoffApplicationSchema().validate({**decided, "new": 1}) == {"new": ["Unknown field."]}

    spec = client.get("/api/openapi.json").get_json()
    component = spec["components"]["schemas"]["HandoffApplication"]
    assert set(component["properties"]) == set(undecided)
    operation = spec["paths"]["/api/handoff/inbound/{service_id}/{target_id}"]["post"]
    assert {p["name"] for p in operation["parameters"] if p["in"] == "header"} == {
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    }
    assert "InboundReport" in json.dumps(operation["requestBody"])
    assert {"200", "400", "401", "404", "409", "422"} <= set(operation["responses"])
    malformed = operation["responses"]["400"]
    assert "malformed_json" in malformed["description"]
    assert malformed["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


@pytest.mark.parametrize(("status", "state"), [(400, "failed"), (503, "waiting")])
def test_only_an_application_handed_off_to_the_target_may_be_reported_on(
    app, client, citizen, target, status, state
):
    target.receiver.answer_with(status, b"{}")
    application = submitted(citizen, SERVICE)
    with app.app_context(), db.connection_context():
        (delivery,) = HandoffDelivery.select().where(
            HandoffDelivery.application == application["id"]
        )
    assert delivery.state == state
    before = _state(application["id"])
    payload = {"application_id": application["id"], "status": "approved"}
    _refused(_post(client, payload), 404, "handoff_application_unknown")
    assert _state(application["id"]) == before


def test_targets_sharing_a_secret_do_not_take_each_other_s_replays(app, client, citizen, target):
    publish(app, {"steueramt": target.receiver.url, "kasse": target.receiver.url})
    application = submitted(citizen, SERVICE)
    with app.app_context(), db.connection_context():
        states = {
            row.target_id: row.state
            for row in HandoffDelivery.select().where(
                HandoffDelivery.application == application["id"]
            )
        }
    assert states == {"steueramt": "delivered", "kasse": "delivered"}
    body = json.dumps({"application_id": application["id"], "status": "in_review"}).encode()
    headers = specialist_headers(SECRET, "report-1", body)
    assert client.post(URL, data=body, headers=headers).status_code == 200
    before = _state(application["id"])
    # The same signed report, played to the other target: the secret has seen its id.
    replayed = client.post(f"/api/handoff/inbound/{SERVICE}/kasse", data=body, headers=headers)
    _refused(replayed, 409, "handoff_replayed")
    assert _state(application["id"]) == before


def test_a_target_the_newest_version_dropped_cannot_report(app, client, citizen, target):
    application = target.submit(citizen)
    publish(app, {"kasse": target.receiver.url})  # newer, without steueramt
    before = _state(application["id"])
    payload = {"application_id": application["id"], "status": "in_review"}
    _refused(_post(client, payload), 404, "handoff_target_unknown")
    assert _state(application["id"]) == before


def test_a_target_of_a_retired_version_only_cannot_report(app, client, citizen, target):
    application = target.submit(citizen)
    with app.app_context(), db.connection_context():
        admin = User.get(User.email == "admin-handoff@example.org")
        definitions.change_state(target.record, "retired", admin)
    before = _state(application["id"])
    payload = {"application_id": application["id"], "status": "in_review"}
    _refused(_post(client, payload), 404, "handoff_target_unknown")
    assert _state(application["id"]) == before
