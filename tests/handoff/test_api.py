"""The staff API of hand-off deliveries: per case, the console's list, send again."""

from __future__ import annotations

import pytest

from app import tasks
from app.db import db
from app.models import AuditEvent, HandoffDelivery
from tests.api.engine_helpers import submitted
from tests.handoff.support import DeliveryFailed, Outcome, publish_with, recording, target


@pytest.fixture
def backend(app):
    assert tasks.huey.immediate
    with recording() as cls:
        yield cls


@pytest.fixture
def clerk(signed_in):
    return signed_in("abfall-clerk@example.org", "staff", ("abfall",))


@pytest.fixture
def other_clerk(signed_in):
    return signed_in("standesamt-clerk@example.org", "staff", ("standesamt",))


@pytest.fixture
def admin(signed_in):
    return signed_in("console-admin@example.org", "admin")


def _failed_application(backend, signed_in, email="failed@example.org"):
    backend.script = [DeliveryFailed("HTTP 400: unknown field", retry=False)]
    return submitted(signed_in(email), "waste_bins")


def test_a_clerk_sees_the_deliveries_of_a_case(backend, signed_in, clerk):
    publish_with("waste_bins", target("fach"), target("later", on="decided"))
    application = submitted(signed_in("case@example.org"), "waste_bins")
    for key in (application["id"], application["reference"]):
        response = clerk.get(f"/api/staff/applications/{key}/handoffs")
        assert response.status_code == 200, response.get_json()
        [item] = response.get_json()
        assert item["target_id"] == "fach" and item["label"] == "Fachverfahren fach"
        assert (item["state"], item["remote_id"], item["can_retry"]) == ("delivered", "R-1", False)
        assert (item["backend"], item["moment"], item["round"], item["attempts"]) == (
            "recording",
            "submitted",
            1,
            1,
        )
    english = clerk.get(
        f"/api/staff/applications/{application['id']}/handoffs",
        headers={"Accept-Language": "en"},
    ).get_json()
    assert english[0]["label"] == "Specialist system fach"


def test_a_clerk_of_another_area_sees_nothing(backend, signed_in, other_clerk):
    publish_with("waste_bins", target())
    application = _failed_application(backend, signed_in)
    assert (
        other_clerk.get(f"/api/staff/applications/{application['id']}/handoffs").status_code == 404
    )
    [row] = _rows()
    assert other_clerk.post(f"/api/staff/handoffs/{row.id}/retry").status_code == 404
    listing = other_clerk.get("/api/staff/handoffs").get_json()
    assert (listing["items"], listing["total"]) == ([], 0)


def test_citizens_have_no_access(backend, signed_in):
    publish_with("waste_bins", target())
    citizen = signed_in("citizen@example.org")
    application = submitted(citizen, "waste_bins")
    assert citizen.get(f"/api/staff/applications/{application['id']}/handoffs").status_code == 403
    assert citizen.get("/api/staff/handoffs").status_code == 403


def _rows() -> list[HandoffDelivery]:
    with db.connection_context():
        return list(HandoffDelivery.select().order_by(HandoffDelivery.id))


def test_send_again_from_the_case(backend, signed_in, clerk):
    publish_with("waste_bins", target())
    application = _failed_application(backend, signed_in)
    [item] = clerk.get(f"/api/staff/applications/{application['id']}/handoffs").get_json()
    assert (item["state"], item["last_error"], item["can_retry"]) == (
        "failed",
        "HTTP 400: unknown field",
        True,
    )

    response = clerk.post(f"/api/staff/handoffs/{item['id']}/retry")
    assert response.status_code == 200, response.get_json()
    again = response.get_json()
    assert (again["state"], again["round"], again["last_error"], again["can_retry"]) == (
        "delivered",
        2,
        "",
        False,
    )
    assert backend.calls[-1][0].key == f"{application['id']}.fach-2"
    with db.connection_context():
        [event] = AuditEvent.select().where(AuditEvent.action == "handoff_sent_again")
    assert (event.subject_id, event.details) == (
        application["id"],
        {"target_id": "fach", "round": 2},
    )

    refused = clerk.post(f"/api/staff/handoffs/{item['id']}/retry")
    assert refused.status_code == 409
    assert refused.get_json()["code"] == "handoff_not_retryable"
    assert len(backend.calls) == 2


def test_the_console_lists_what_needs_a_look(backend, signed_in, admin, clerk):
    publish_with("waste_bins", target())
    failed = _failed_application(backend, signed_in, "one@example.org")
    backend.script = [Outcome("sent", remote_id="S-1")]
    waiting = submitted(signed_in("two@example.org"), "waste_bins")
    submitted(signed_in("three@example.org"), "waste_bins")  # delivered: not listed

    page = admin.get("/api/staff/handoffs").get_json()
    assert page["total"] == 2 and page["page"] == 1
    assert {i["application_id"] for i in page["items"]} == {failed["id"], waiting["id"]}
    by_state = {
        state: admin.get(f"/api/staff/handoffs?state={state}").get_json()["items"]
        for state in ("failed", "rejected", "open")
    }
    assert [i["reference"] for i in by_state["failed"]] == [failed["reference"]]
    assert by_state["rejected"] == []
    assert [(i["state"], i["remote_id"]) for i in by_state["open"]] == [("sent", "S-1")]
    assert by_state["open"][0]["service_id"] == "waste_bins"

    assert admin.get("/api/staff/handoffs?service_id=dog_tax_registration").get_json()["total"] == 0
    assert clerk.get("/api/staff/handoffs").get_json()["total"] == 2
    assert admin.get("/api/staff/handoffs?page=2").get_json()["items"] == []


@pytest.mark.parametrize("query", ["state=delivered", "page=0", "page=x", "service_id=" + "x" * 65])
def test_bad_filters_are_refused_with_the_field(admin, query):
    response = admin.get(f"/api/staff/handoffs?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] in ("state", "page", "service_id")


def test_an_unknown_delivery_is_not_found(admin):
    assert admin.post("/api/staff/handoffs/999999/retry").status_code == 404
