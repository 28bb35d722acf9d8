"""Admins edit zones and street ranges; the address → zone look-up follows at once."""

from __future__ import annotations

from app.db import db
from app.models import AuditEvent
from tests.parking.support import answers, apply_and_pay, only_permit


def test_zones_are_seeded_from_the_yaml(make_client):
    zones = make_client().get("/api/parking/zones").get_json()
    assert [z["code"] for z in zones] == [*"ABCDEFGHIJKL", "N"]
    assert zones[0]["name"] == "Markt / Kaiserplatz"


def test_public_zone_lookup(make_client):
    client = make_client()
    found = client.get("/api/parking/zone?street=josef+schregel+str.&house_number=12a")
    assert found.status_code == 200
    assert found.get_json() == {
        "street": "Josef-Schregel-Straße",
        "house_number": "12a",
        "zone": "E",
        "zone_name": "Josef-Schregel-Straße / Goethestraße",
    }
    outside = client.get("/api/parking/zone?street=Kölnstraße&house_number=200")
    assert outside.status_code == 422
    assert outside.get_json()["errors"][0]["code"] == "parking_outside_zone"
    assert (
        client.get("/api/parking/zone?street=Kölnstraße&house_number=100").get_json()["zone"] == "D"
    )


def test_admin_edits_ranges_and_the_lookup_follows(signed_in, make_client):
    admin = signed_in("admin@example.org", "admin")
    client = make_client()
    # Euskirchener Straße lies in no zone; put its odd numbers 1-49 into zone N.
    created = admin.post(
        "/api/admin/parking/streets",
        json={"street": "euskirchener str", "first": 1, "last": 49, "parity": "odd", "zone": "n"},
    )
    assert created.status_code == 201, created.get_json()
    row = created.get_json()
    assert (row["street"], row["postal_code"], row["zone"]) == (
        "Euskirchener Straße",
        row["postal_code"],
        "N",
    )
    lookup = "/api/parking/zone?street=Euskirchener+Straße&house_number="
    assert client.get(lookup + "7").get_json()["zone"] == "N"
    assert client.get(lookup + "8").status_code == 422
    # The even side goes to a new zone M.
    zone = admin.post("/api/admin/parking/zones", json={"code": "m", "name": "Euskirchener"})
    assert zone.status_code == 201 and zone.get_json()["code"] == "M"
    even = admin.post(
        "/api/admin/parking/streets",
        json={
            "street": "Euskirchener Straße",
            "first": 2,
            "last": 60,
            "parity": "even",
            "zone": "M",
        },
    )
    assert even.status_code == 201
    assert client.get(lookup + "8").get_json()["zone"] == "M"
    # Overlaps are refused, with the range they collide with.
    clash = admin.post(
        "/api/admin/parking/streets",
        json={"street": "Euskirchener Straße", "first": 40, "last": 80, "zone": "A"},
    )
    assert clash.status_code == 422
    assert clash.get_json()["errors"][0]["code"] == "parking_range_overlap"
    # Move the odd range to zone A.
    moved = admin.put(
        f"/api/admin/parking/streets/{row['id']}",
        json={
            "street": "Euskirchener Straße",
            "first": 1,
            "last": 49,
            "parity": "odd",
            "zone": "A",
        },
    )
    assert moved.status_code == 200 and moved.get_json()["zone"] == "A"
    assert client.get(lookup + "7").get_json()["zone"] == "A"
    listed = admin.get("/api/admin/parking/streets?street=euskirchener").get_json()
    assert [(r["first"], r["parity"], r["zone"]) for r in listed] == [
        (1, "odd", "A"),
        (2, "even", "M"),
    ]
    with db.connection_context():
        actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.count("parking_range_created") == 2 and "parking_zone_created" in actions


def test_range_validation(signed_in):
    admin = signed_in("admin2@example.org", "admin")
    bad = admin.post(
        "/api/admin/parking/streets",
        json={"street": "Nirgendwo", "first": 0, "last": 5, "parity": "all", "zone": "Q"},
    )
    assert bad.status_code == 422
    assert {e["field"]: e["code"] for e in bad.get_json()["errors"]} == {
        "street": "parking_street_unknown",
        "first": "parking_house_number_range",
        "zone": "parking_zone_unknown",
    }
    backwards = admin.post(
        "/api/admin/parking/streets",
        json={"street": "Aachener Straße", "first": 9, "last": 5, "zone": "A"},
    )
    assert backwards.get_json()["errors"][0]["code"] == "parking_range_order"
    code = admin.post("/api/admin/parking/zones", json={"code": "a b"})
    assert code.get_json()["errors"][0]["code"] == "parking_zone_code_format"
    dup = admin.post("/api/admin/parking/zones", json={"code": "A"})
    assert dup.status_code == 409 and dup.get_json()["code"] == "parking_zone_exists"


def test_zone_in_use_cannot_be_deleted_and_closed_zones_are_listed_for_admins(signed_in):
    admin = signed_in("admin3@example.org", "admin")
    in_use = admin.delete("/api/admin/parking/zones/A")
    assert in_use.status_code == 409 and in_use.get_json()["code"] == "parking_zone_in_use"
    fresh = admin.post("/api/admin/parking/zones", json={"code": "Z9", "name": "Test"})
    assert fresh.status_code == 201
    assert admin.delete("/api/admin/parking/zones/Z9").status_code == 204
    assert admin.patch("/api/admin/parking/zones/B", json={"active": False}).status_code == 200
    public = [z["code"] for z in signed_in("pub@example.org").get("/api/parking/zones").get_json()]
    assert "B" not in public
    listed = {z["code"]: z for z in admin.get("/api/admin/parking/zones").get_json()}
    assert listed["B"]["active"] is False and listed["A"]["ranges"] == 3


def test_moving_a_street_out_of_a_zone_keeps_issued_permits(signed_in):
    citizen = signed_in("keeps@example.org")
    apply_and_pay(citizen)
    admin = signed_in("admin4@example.org", "admin")
    [markt] = admin.get("/api/admin/parking/streets?street=Markt").get_json()
    assert admin.delete(f"/api/admin/parking/streets/{markt['id']}").status_code == 204
    assert only_permit(citizen)["state"] == "valid"
    # New applications for that address are refused before payment.
    other = signed_in("late-markt@example.org")
    created = other.post(
        "/api/applications",
        json={"service_id": "resident_parking", "answers": answers(plate="DN-MK 5")},
    ).get_json()
    response = other.post(
        f"/api/applications/{created['id']}/submit", headers={"Idempotency-Key": "m"}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["code"] == "parking_outside_zone"
