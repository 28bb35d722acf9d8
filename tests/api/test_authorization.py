"""Who may reach what: anonymous, citizen A, citizen B, staff, officer, admin."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import User

ACTORS = ("anonymous", "citizen_a", "citizen_b", "staff", "officer", "admin", "facility")


@pytest.fixture
def actors(make_client, signed_in):
    clients = {"anonymous": make_client()}
    clients["citizen_a"] = signed_in("a@example.org")
    clients["citizen_b"] = signed_in("b@example.org")
    clients["staff"] = signed_in("staff@example.org", "staff", ("hundesteuer",))
    clients["officer"] = signed_in("officer@example.org", "officer")
    clients["admin"] = signed_in("admin@example.org", "admin")
    clients["facility"] = signed_in("kita-leitung@example.org", "facility")
    return clients


# (method, path, body, who gets a success status; everybody else must be refused)
OWN_ACCOUNT = ("citizen_a", "citizen_b", "staff", "officer", "admin", "facility")
MATRIX = [
    ("GET", "/api/account", None, OWN_ACCOUNT),
    ("GET", "/api/account/profile", None, OWN_ACCOUNT),
    ("PUT", "/api/account/profile", {"city": "Düren"}, OWN_ACCOUNT),
    ("GET", "/api/account/passkeys", None, OWN_ACCOUNT),
    ("POST", "/api/account/passkeys/options", None, OWN_ACCOUNT),
    ("GET", "/api/account/sessions", None, OWN_ACCOUNT),
    ("GET", "/api/account/export", None, OWN_ACCOUNT),
    ("POST", "/api/auth/logout-all", None, OWN_ACCOUNT),
    ("GET", "/api/admin/users", None, ("admin",)),
    ("GET", "/api/admin/audit", None, ("admin",)),
    (
        "PUT",
        "/api/admin/users/{citizen_b}/role",
        {"role": "staff", "areas": ["abfall"]},
        ("admin",),
    ),
    # Day-care places: the facility list is public; the console is the admin's.
    ("GET", "/api/kita/facilities", None, ("anonymous", *OWN_ACCOUNT)),
    ("GET", "/api/kita/offers", None, ("citizen_a", "citizen_b")),
    ("GET", "/api/admin/kita/facilities", None, ("admin",)),
    ("GET", "/api/admin/kita/staff/{citizen_b}", None, ("admin",)),
    # Bürgerbüro appointments: booking is public; day plans are for its own staff area
    # (the staff member here works on dog tax only) and admins.
    ("GET", "/api/appointments/services", None, ("anonymous", *OWN_ACCOUNT)),
    ("GET", "/api/appointments/mine", None, ("citizen_a", "citizen_b")),
    ("GET", "/api/staff/appointments/counters", None, ("admin",)),
    ("GET", "/api/staff/appointments/figures", None, ("admin",)),
    # The Bürgerbüro terminal: every browser may ask whether it is one; registering
    # and listing terminals is the admin's.
    ("GET", "/api/kiosk", None, ("anonymous", *OWN_ACCOUNT)),
    ("GET", "/api/admin/kiosk-terminals", None, ("admin",)),
    ("POST", "/api/admin/kiosk-terminals", {"name": "Terminal Foyer"}, ("admin",)),
    # BundID: metadata and status are public, linking needs an account, and what BundID
    # said is only its owner's (a citizen without a bound BundID gets a 404, tested
    # with the flow in test_bundid.py).
    ("GET", "/api/bundid/metadata", None, ("anonymous", *OWN_ACCOUNT)),
    ("GET", "/api/bundid/status", None, ("anonymous", *OWN_ACCOUNT)),
    ("POST", "/api/bundid/start", {"purpose": "login"}, ("anonymous", *OWN_ACCOUNT)),
    ("POST", "/api/bundid/start", {"purpose": "link"}, OWN_ACCOUNT),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), MATRIX, ids=lambda v: str(v)[:40])
def test_matrix(actors, method, path, body, allowed):
    with db.connection_context():
        citizen_b = User.get(User.email == "b@example.org").id
    for name in ACTORS:
        response = actors[name].request(method, path.format(citizen_b=citizen_b), json=body)
        if name in allowed:
            assert response.status_code < 300, (name, response.get_json())
        else:
            expected = 401 if name == "anonymous" else 403
            assert response.status_code == expected, (name, response.status_code)


def test_own_data_only(actors):
    actors["citizen_a"].put("/api/account/profile", json={"family_name": "Alpha"})
    actors["citizen_b"].put("/api/account/profile", json={"family_name": "Beta"})
    assert actors["citizen_a"].get("/api/account/profile").get_json()["family_name"] == "Alpha"
    assert actors["citizen_b"].get("/api/account/profile").get_json()["family_name"] == "Beta"
    exported = actors["citizen_a"].get("/api/account/export").get_data(as_text=True)
    assert "b@example.org" not in exported and "Beta" not in exported


def test_admin_role_change_is_audited_and_validated(actors):
    admin = actors["admin"]
    with db.connection_context():
        target = User.get(User.email == "b@example.org").id
        me = User.get(User.email == "admin@example.org").id
    bad = admin.put(f"/api/admin/users/{target}/role", json={"role": "king"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "role"
    areas_for_citizen = admin.put(
        f"/api/admin/users/{target}/role", json={"role": "citizen", "areas": ["abfall"]}
    )
    assert areas_for_citizen.status_code == 422
    assert admin.put("/api/admin/users/999999/role", json={"role": "staff"}).status_code == 404
    assert admin.put(f"/api/admin/users/{me}/role", json={"role": "citizen"}).status_code == 409
    ok = admin.put(
        f"/api/admin/users/{target}/role", json={"role": "staff", "areas": ["abfall", "abfall"]}
    )
    assert ok.get_json()["areas"] == ["abfall"] and ok.get_json()["role"] == "staff"
    events = admin.get("/api/admin/audit", query_string={"action": "role_changed"}).get_json()
    assert events[0]["subject_id"] == str(target)
    assert events[0]["details"]["before"]["role"] == "citizen"
    # The new role counts at once for the changed user's next request.
    assert actors["citizen_b"].get("/api/admin/users").status_code == 403
    staff_list = admin.get("/api/admin/users", query_string={"role": "staff"}).get_json()
    assert {u["email"] for u in staff_list} == {"staff@example.org", "b@example.org"}


def test_only_admins_invite_facility_staff(actors):
    from app.kita import demo

    with db.connection_context():
        facility = demo.seed()[0].id
    for name in ACTORS:
        response = actors[name].post(
            "/api/admin/users/invitations",
            json={
                "email": f"invited-{name}@example.org",
                "role": "facility",
                "facility_ids": [facility],
            },
        )
        if name == "admin":
            assert response.status_code == 201, response.get_json()
        else:
            assert response.status_code == (401 if name == "anonymous" else 403), name
    with db.connection_context():
        invited = User.select().where(User.email.startswith("invited-"))
        assert [(u.email, u.role) for u in invited] == [("invited-admin@example.org", "facility")]
