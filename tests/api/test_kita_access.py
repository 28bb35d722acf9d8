"""Facility staff act only for their own facility; admins link them in the console."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import db
from app.kita import demo
from app.models import AuditEvent, User
from app.service_definitions.relative_dates import local_today
from tests.api.engine_helpers import start
from tests.api.service_answers import complete_answers


@pytest.fixture
def world(signed_in):
    with db.connection_context():
        own, other, _third = (f.id for f in demo.seed())
    admin = signed_in("admin@example.org", "admin")
    leader = signed_in("leitung@example.org", "facility")
    with db.connection_context():
        leader_id = User.get(User.email == "leitung@example.org").id
    linked = admin.put(f"/api/admin/kita/staff/{leader_id}", json={"facility_ids": [own]})
    assert linked.status_code == 200 and linked.get_json() == {"facility_ids": [own]}
    parent = signed_in("eltern@example.org")
    applications = {}
    for facility in (own, other):
        answers = complete_answers("daycare_place")
        answers.update(facility_1=str(facility), facility_2="", facility_3="")
        answers.update(start_date=(local_today() + timedelta(days=60)).isoformat())
        draft = start(parent, "daycare_place", answers)
        sent = parent.post(
            f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": f"k{facility}"}
        )
        assert sent.status_code == 201, sent.get_json()
        applications[facility] = draft["id"]
    return {
        "own": own,
        "other": other,
        "admin": admin,
        "leader": leader,
        "leader_id": leader_id,
        "applications": applications,
        "parent": parent,
    }


def test_facility_staff_see_and_act_only_for_their_facility(world, signed_in):
    leader, own, other = world["leader"], world["own"], world["other"]
    assert [f["id"] for f in leader.get("/api/staff/kita/facilities").get_json()] == [own]
    assert leader.get(f"/api/staff/kita/facilities/{own}/demand").status_code == 200
    assert leader.get(f"/api/staff/kita/facilities/{other}/demand").status_code == 403
    refused = leader.post(
        "/api/staff/kita/offers",
        json={"facility_id": other, "application_id": world["applications"][other]},
    )
    assert refused.status_code == 403
    # An offer of the other facility, made by the admin, cannot be withdrawn by them.
    foreign = (
        world["admin"]
        .post(
            "/api/staff/kita/offers",
            json={"facility_id": other, "application_id": world["applications"][other]},
        )
        .get_json()
    )
    assert leader.post(f"/api/staff/kita/offers/{foreign['id']}/withdraw").status_code == 403
    made = leader.post(
        "/api/staff/kita/offers",
        json={"facility_id": own, "application_id": world["applications"][own]},
    )
    assert made.status_code == 201, made.get_json()
    withdrawn = leader.post(f"/api/staff/kita/offers/{made.get_json()['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    # No other staff page is theirs: the role is not a clerk's.
    assert leader.get("/api/staff/applications").status_code == 403
    assert leader.get("/api/admin/kita/facilities").status_code == 403


@pytest.mark.parametrize(
    ("role", "areas", "expected"),
    [
        ("facility", (), 403),  # a facility role without any link
        ("staff", ("hundesteuer",), 403),  # a clerk of another area
        ("staff", ("kita",), 200),
        ("admin", (), 200),
        ("officer", (), 403),
        ("citizen", (), 403),
    ],
)
def test_who_sees_the_demand(world, signed_in, role, areas, expected):
    client = signed_in(f"{role}-{'-'.join(areas)}@example.org", role, areas)
    assert client.get(f"/api/staff/kita/facilities/{world['own']}/demand").status_code == expected


def test_links_need_the_facility_role_and_known_facilities(world, signed_in):
    admin = world["admin"]
    signed_in("clerk@example.org", "staff", ("kita",))
    with db.connection_context():
        clerk_id = User.get(User.email == "clerk@example.org").id
    wrong_role = admin.put(
        f"/api/admin/kita/staff/{clerk_id}", json={"facility_ids": [world["own"]]}
    )
    assert wrong_role.status_code == 409
    unknown = admin.put(
        f"/api/admin/kita/staff/{world['leader_id']}", json={"facility_ids": [999999]}
    )
    assert unknown.status_code == 404
    assert admin.get(f"/api/admin/kita/staff/{world['leader_id']}").get_json() == {
        "facility_ids": [world["own"]]
    }
    with db.connection_context():
        assert (
            AuditEvent.select().where(AuditEvent.action == "kita_facility_staff_changed").count()
            == 1
        )


def test_console_creates_and_edits_facilities_with_field_errors(world):
    admin = world["admin"]
    body = {
        "name": "Kita Testweg (Demo)",
        "street": "Testweg",
        "house_number": "1",
        "postal_code": "52349",
        "city": "Düren",
        "carrier": "Stadt Düren (Demo)",
        "places_under_3": 0,
        "places_over_3": 0,
        "hours": [35],
    }
    empty = admin.post("/api/admin/kita/facilities", json=body)
    assert empty.status_code == 422
    assert empty.get_json()["errors"][0]["field"] == "places_over_3"
    body["places_over_3"] = 10
    bad_hours = admin.post("/api/admin/kita/facilities", json={**body, "hours": [30]})
    assert bad_hours.status_code == 422
    made = admin.post("/api/admin/kita/facilities", json=body)
    assert made.status_code == 201, made.get_json()
    taken = admin.post("/api/admin/kita/facilities", json=body)
    assert taken.status_code == 422 and taken.get_json()["errors"][0]["code"] == "kita_name_taken"
    changed = admin.put(
        f"/api/admin/kita/facilities/{made.get_json()['id']}", json={**body, "active": False}
    )
    assert changed.status_code == 200 and changed.get_json()["active"] is False
    public = world["parent"].get("/api/kita/facilities").get_json()
    assert "Kita Testweg (Demo)" not in [f["name"] for f in public]
