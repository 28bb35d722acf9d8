"""The city's view of a permit: found by number or plate, its history from issue to block."""

from __future__ import annotations

from app.db import db
from app.models import AuditEvent
from tests.parking.support import apply_and_pay, only_permit


def test_history_shows_issue_plate_change_and_block(signed_in, make_client):
    citizen = signed_in("verlauf@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    changed = citizen.post(
        f"/api/parking/permits/{permit['id']}/plates",
        json={"plates": ["DN-XY 77"], "registered_to_me": True},
    )
    assert changed.status_code == 200, changed.get_json()
    admin = signed_in("admin@example.org", "admin")
    # The old plate and the new one both find the permit.
    for plate in ("dn ab 123", "DN-XY 77"):
        found = admin.get("/api/staff/parking/permits", query_string={"plate": plate})
        assert [p["number"] for p in found.get_json()] == [permit["number"]], plate
    assert admin.get("/api/staff/parking/permits", query_string={"plate": "X"}).get_json() == []
    blocked = admin.post(
        f"/api/staff/parking/permits/{permit['id']}/block",
        json={"reason": "other", "note": "Ausweis doppelt ausgegeben"},
    )
    assert blocked.get_json()["changed"] is True

    body = admin.get(f"/api/staff/parking/permits/{permit['id']}/history").get_json()
    assert body["permit"]["number"] == permit["number"] and body["permit"]["blocked"] is True
    kinds = [(e["kind"], e["sequence"], e["plates"]) for e in body["events"]]
    assert kinds == [
        ("issued", 1, ["DN-AB 123"]),
        ("plate_change", 2, ["DN-XY 77"]),
        ("blocked", 2, ["DN-XY 77"]),
    ]
    assert body["events"][1]["previous_plates"] == ["DN-AB 123"]
    last = body["events"][-1]
    assert (last["reason"], last["note"], last["by"]) == (
        "other",
        "Ausweis doppelt ausgegeben",
        "admin@example.org",
    )
    with db.connection_context():
        viewed = AuditEvent.select().where(AuditEvent.action == "parking_permit_history_viewed")
        assert [e.subject_id for e in viewed] == [permit["id"]]
    assert (
        make_client().get(f"/api/staff/parking/permits/{permit['id']}/history").status_code == 401
    )
    assert citizen.get(f"/api/staff/parking/permits/{permit['id']}/history").status_code == 403
    assert admin.get("/api/staff/parking/permits/nope/history").status_code == 404


def test_a_cancelled_permit_shows_the_cancellation(signed_in):
    citizen = signed_in("kuendigt@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    assert citizen.post(f"/api/parking/permits/{permit['id']}/cancel").status_code == 200
    admin = signed_in("admin@example.org", "admin")
    events = admin.get(f"/api/staff/parking/permits/{permit['id']}/history").get_json()["events"]
    assert [(e["kind"], e["reason"], e["by"]) for e in events][-1] == (
        "cancelled",
        "cancelled",
        None,
    )
