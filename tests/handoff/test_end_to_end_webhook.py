"""End to end through the outbox and the job queue: a dog tax registration whose
definition names a webhook target reaches a specialist system's endpoint once, and
that system's signed report comes back to the citizen and to the clerk's case view."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from app import tasks
from app.db import db, utcnow
from app.handoff import outbox
from app.handoff.backends.webhook import WebhookBackend
from app.models import Application, HandoffDelivery
from tests.api.engine_helpers import submitted
from tests.fakes.webhook_receiver import WebhookReceiver, specialist_headers
from tests.handoff.support import publish_with, target
from tests.push.portal import add_device, serve, set_config

SERVICE = "dog_tax_registration"
SECRET = "whsec_" + base64.b64encode(b"steueramt-secret-for-the-tests!!").decode()
CITIZEN = "webhook-e2e@example.org"


@pytest.fixture
def receiver(app, monkeypatch) -> Iterator[WebhookReceiver]:
    """The specialist system's endpoint, the secret in the portal's settings (web app
    and jobs alike) and the registration's definition naming the endpoint."""
    assert tasks.huey.immediate, "jobs run as the outbox queues them"
    settings = WebhookBackend.settings({"HANDOFF_WEBHOOK_SECRET_STEUERAMT": SECRET}, False)
    set_config(app, monkeypatch, **settings)
    with WebhookReceiver(SECRET) as running:
        publish_with(
            SERVICE, target("steueramt", backend="webhook", url=running.url, secret="steueramt")
        )
        yield running


@pytest.fixture
def push_portal(app, monkeypatch):
    yield from serve(app, monkeypatch)


@pytest.fixture
def clerk(signed_in):
    return signed_in("steueramt-clerk@example.org", "staff", ("hundesteuer",))


def _shown(clerk, application_id: str) -> dict:
    response = clerk.get(f"/api/staff/applications/{application_id}/handoffs")
    assert response.status_code == 200, response.get_json()
    [item] = response.get_json()
    return item


def _report(client, payload: dict, webhook_id: str):
    body = json.dumps(payload).encode()
    return client.post(
        f"/api/handoff/inbound/{SERVICE}/steueramt",
        data=body,
        headers=specialist_headers(SECRET, webhook_id, body),
    )


def test_delivered_once_and_the_report_back_reaches_citizen_and_clerk(
    app, client, receiver, push_portal, signed_in, clerk
):
    citizen = signed_in(CITIZEN)
    application = submitted(citizen, SERVICE)
    key = f"{application['id']}.steueramt"

    [first] = receiver.received
    assert first.webhook_id == key and receiver.distinct_ids == {key}
    assert first.json()["data"]["application"]["id"] == application["id"]
    item = _shown(clerk, application["id"])
    assert (item["state"], item["remote_id"], item["attempts"]) == (
        "delivered",
        receiver.case_numbers[key],
        1,
    )

    phone, _ = add_device(citizen, push_portal, language="de")
    response = _report(
        client,
        {"application_id": application["id"], "status": "approved", "case_number": "HSt-4711/26"},
        "report-1",
    )
    assert response.status_code == 200, response.get_json()
    # The citizen hears of it as of a clerk's decision: inbox and push.
    [pushed] = push_portal.deliveries
    assert pushed.subscription_id == phone.id
    assert pushed.payload["body"] == "Neuer Status: Genehmigt"
    assert any("Genehmigt" in m["subject"] for m in citizen.get("/api/inbox").get_json())
    with db.connection_context():
        assert Application.get_by_id(application["id"]).status == "approved"
    # The specialist system's case number is the one shown with the delivery now.
    item = _shown(clerk, application["id"])
    assert (item["state"], item["remote_id"]) == ("delivered", "HSt-4711/26")

    # The same report again is refused and changes nothing; nothing was sent twice.
    again = _report(client, {"application_id": application["id"], "case_number": "X-1"}, "report-1")
    assert again.status_code == 409 and again.get_json()["code"] == "handoff_replayed"
    assert _shown(clerk, application["id"])["remote_id"] == "HSt-4711/26"
    assert receiver.distinct_ids == {key} and len(receiver.received) == 1
    assert len(push_portal.deliveries) == 1


def test_a_busy_receiver_s_retry_after_is_waited_for(app, receiver, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_RETRY_SECONDS", 30)
    receiver.fail_next(1, 429, retry_after="240")
    before = utcnow()
    application = submitted(signed_in("busy-receiver@example.org"), SERVICE)
    with db.connection_context():
        row = HandoffDelivery.get(HandoffDelivery.application == application["id"])
        assert (row.state, row.last_error) == ("waiting", "HTTP 429")
        assert row.next_attempt_at - before >= timedelta(seconds=240)
        outbox.sweep(before + timedelta(seconds=120))  # the backoff alone would be over
        assert receiver.received == []
        outbox.sweep(before + timedelta(seconds=250))
        row = HandoffDelivery.get_by_id(row.id)
    assert (row.state, row.attempts) == ("delivered", 2)
    assert receiver.distinct_ids == {f"{application['id']}.steueramt"}
