"""End to end through the outbox and the job queue: a dog tax registration whose
definition names a FIT-Connect target reaches a local FIT-Connect (real HTTP, keys and
encryption), and the clerk's case view shows what became of it."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from app import tasks
from app.db import db, utcnow
from app.handoff import document, outbox
from app.handoff.backends.fit_connect import FitConnectBackend
from app.handoff.fit_connect import client as fit_client
from app.models import Application, HandoffDelivery
from tests.api.engine_helpers import start, submitted
from tests.api.service_answers import complete_answers
from tests.fakes.fit_connect import FakeFitConnect
from tests.handoff.support import publish_with, target


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    fit_client.forget_tokens()
    yield
    fit_client.forget_tokens()


@pytest.fixture
def fake(app, tmp_path, monkeypatch) -> Iterator[FakeFitConnect]:
    """The fake, the portal configured for it, and the registration's definition
    naming it as the target ``fachverfahren``."""
    assert tasks.huey.immediate, "jobs run as the outbox queues them"
    with FakeFitConnect() as running:
        roots = tmp_path / "fit-connect-roots.pem"
        roots.write_bytes(running.root_pem)
        settings = FitConnectBackend.settings(
            running.env(str(roots)) | {"FIT_CONNECT_REQUIRE_CERTIFICATE": "1"}, production=False
        )
        for name, value in settings.items():
            monkeypatch.setitem(tasks.config(), name, value)
        publish_with(
            "dog_tax_registration",
            target("fachverfahren", backend="fit_connect", destination_id=running.destination_id),
        )
        yield running


@pytest.fixture
def clerk(signed_in):
    return signed_in("hundesteuer-clerk@example.org", "staff", ("hundesteuer",))


class Clock:
    """The outbox's clock, moved by the test (the backends' own clocks stay real)."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(outbox, "utcnow", moved)
    return moved


def _sweep(now: datetime | None = None) -> dict[str, int]:
    with db.connection_context():
        return outbox.sweep(now)


def _row(application_id: str) -> HandoffDelivery:
    with db.connection_context():
        return HandoffDelivery.get(HandoffDelivery.application == application_id)


def _shown(clerk, application_id: str) -> dict:
    response = clerk.get(f"/api/staff/applications/{application_id}/handoffs")
    assert response.status_code == 200, response.get_json()
    [item] = response.get_json()
    return item


def test_a_registration_is_delivered_and_accepted(app, fake, clerk, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_FOLLOW_UP_SECONDS", 60)
    application = submitted(signed_in("fit-e2e@example.org"), "dog_tax_registration")

    (submission,) = fake.submitted
    (arrived,) = fake.received
    with app.app_context():
        stored = Application.get_by_id(application["id"])
        built = json.loads(json.dumps(document.build(stored).data))
    # The receipt is rendered for each build: all but its id and hash is the same.
    listed = arrived["data"].pop("attachments")
    assert arrived["data"] == {k: v for k, v in built.items() if k != "attachments"}
    assert arrived["data"]["application"]["reference"] == application["reference"]
    # Every listed file arrived, as the list describes it.
    contents = {a["filename"]: a["content"] for a in arrived["attachments"].values()}
    assert [a["filename"] for a in listed] == [a["filename"] for a in built["attachments"]]
    assert sorted(contents) == sorted(a["filename"] for a in listed)
    for entry in listed:
        assert hashlib.sha256(contents[entry["filename"]]).hexdigest() == entry["sha256"]
        assert len(contents[entry["filename"]]) == entry["size"]
    item = _shown(clerk, application["id"])
    assert (item["state"], item["remote_id"]) == ("sent", submission.id)

    assert _sweep(utcnow() + timedelta(seconds=61))["follow_ups"] == 1
    item = _shown(clerk, application["id"])
    assert (item["state"], item["remote_id"], item["problems"]) == (
        "accepted",
        submission.id,
        [],
    )
    assert item["finished_at"] and item["can_retry"] is False
    assert fake.created == 1


def test_a_file_swapped_on_the_way_ends_rejected_with_the_problem(fake, clerk, signed_in):
    fake.swap_next_attachment(b"%PDF-1.4 ein ganz anderes Dokument")
    application = submitted(signed_in("fit-swap@example.org"), "dog_tax_registration")
    assert fake.received == [] and fake.created == 1

    _sweep(utcnow() + timedelta(seconds=3600))
    item = _shown(clerk, application["id"])
    assert item["state"] == "rejected" and item["can_retry"] is True
    assert item["problems"] == [
        "Prüfsumme einer Anlage stimmt nicht: Der Hashwert der Anlage passt nicht zu den Metadaten."
    ]
    assert item["remote_id"] == fake.submissions[next(iter(fake.submissions))].id


def test_down_for_three_minutes_then_delivered_once(fake, clerk, signed_in, clock, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_RETRY_SECONDS", 5)
    fake.go_down("503")
    application = submitted(signed_in("fit-down@example.org"), "dog_tax_registration")
    row = _row(application["id"])
    assert (row.state, row.attempts) == ("waiting", 1)

    down_until = clock.now + timedelta(minutes=3)
    attempts = [row.attempts]
    while clock.advance(10) < down_until:
        _sweep()
        row = _row(application["id"])
        assert row.state == "waiting", row.last_error
        assert row.last_error and "503" in row.last_error
        attempts.append(row.attempts)
    # Backing off: 0, 5, 15, 35, 75, 155 seconds in.
    assert sorted(set(attempts)) == [1, 2, 3, 4, 5, 6]
    assert fake.created == 0

    fake.come_up()
    for _ in range(20):
        clock.advance(10)
        _sweep()
        if _row(application["id"]).state != "waiting":
            break
    row = _row(application["id"])
    assert (row.state, row.attempts) == ("sent", 7)
    clock.advance(61)
    _sweep()
    item = _shown(clerk, application["id"])
    assert item["state"] == "accepted" and item["last_error"] == ""
    (submission,) = fake.submitted
    assert item["remote_id"] == submission.id
    assert fake.created == 1 and len(fake.received) == 1


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_deregistration_arrives_with_its_upload(fake, clerk, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_FOLLOW_UP_SECONDS", 60)
    publish_with(
        "dog_tax_deregistration",
        target("fachverfahren", backend="fit_connect", destination_id=fake.destination_id),
    )
    fake.service_identifier = "urn:de:fim:leika:leistung:99102013070000"
    api = signed_in("fit-abmeldung@example.org")
    answers = complete_answers("dog_tax_deregistration")
    draft = start(api, "dog_tax_deregistration", answers)
    meta = api.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": "proof", "file": (io.BytesIO(PDF), "Nachweis.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    answers["proof"] = [
        {k: meta[k] for k in ("upload_id", "filename", "content_type", "size")},
    ]
    saved = api.put(
        f"/api/applications/{draft['id']}",
        json={"answers": answers},
        headers={"If-Match": f'"{draft["revision"]}"'},
    )
    assert saved.status_code == 200, saved.get_json()
    response = api.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "k"})
    assert response.status_code == 201, response.get_json()

    (arrived,) = fake.received
    assert arrived["data"]["application"]["id"] == draft["id"]
    by_name = {a["filename"]: a for a in arrived["attachments"].values()}
    assert by_name["Nachweis.pdf"]["content"] == PDF
    assert by_name["Nachweis.pdf"]["purpose"] == "attachment"
    assert len(by_name) == len(arrived["data"]["attachments"]) == 2  # the upload, the receipt

    _sweep(utcnow() + timedelta(seconds=61))
    item = _shown(clerk, draft["id"])
    (submission,) = fake.submitted
    assert (item["state"], item["remote_id"]) == ("accepted", submission.id)
