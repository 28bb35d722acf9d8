"""Who may see what: a citizen only their own permits; officers look up plates (audited,
no names); admins edit zones; the key set and revocation list are public."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import AuditEvent
from tests.parking.support import answers, apply_and_pay, only_permit


@pytest.fixture
def holder(signed_in):
    api = signed_in("holder@example.org")
    apply_and_pay(api)
    return api, only_permit(api)


def test_another_citizen_cannot_see_or_touch_a_permit(signed_in, holder):
    _api, permit = holder
    other = signed_in("other@example.org")
    assert other.get("/api/parking/permits").get_json() == []
    base = f"/api/parking/permits/{permit['id']}"
    for path in (base, f"{base}/qr.png", f"{base}/qr.svg", f"{base}/pdf"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"{base}/cancel").status_code == 404
    assert other.post(f"{base}/renewal", json={}).status_code == 404
    assert (
        other.post(
            f"{base}/plates", json={"plates": ["DN-A 1"], "registered_to_me": True}
        ).status_code
        == 404
    )
    # The officer look-up is closed to citizens.
    assert other.get("/api/officer/plates/DN-AB%20123").status_code == 403
    assert other.post("/api/officer/passes/verify", json={"text": "x"}).status_code == 403
    assert other.get("/api/admin/parking/zones").status_code == 403
    # ... and the document stays the holder's.
    inbox = holder[0].get("/api/inbox").get_json()
    document = next(m["document"] for m in inbox if m["kind"] == "parking_permit")
    assert other.get(f"/api/documents/{document['id']}").status_code == 404


def test_anonymous_gets_401_except_public_documents(make_client, holder):
    anonymous = make_client()
    _api, permit = holder
    for path in (
        "/api/parking/permits",
        f"/api/parking/permits/{permit['id']}/pdf",
        "/api/officer/plates/DN-AB%20123",
        "/api/admin/parking/zones",
    ):
        assert anonymous.get(path).status_code == 401, path
    for path in ("/api/passes/keyset", "/api/passes/revocations", "/api/parking/zones"):
        assert anonymous.get(path).status_code == 200, path


@pytest.mark.parametrize("role", ["staff", "citizen"])
def test_clerks_and_citizens_cannot_look_up_plates(signed_in, role):
    api = signed_in(f"{role}-lookup@example.org", role, ("parken",) if role == "staff" else ())
    assert api.get("/api/officer/plates/DN-AB%20123").status_code == 403


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officer_plate_lookup_without_names_and_audited(signed_in, holder, role):
    _api, permit = holder
    officer = signed_in(f"{role}@example.org", role)
    response = officer.get("/api/officer/plates/dn%20ab%20123")
    assert response.status_code == 200
    body = response.get_json()
    assert body["plate"] == "DN-AB 123"
    [found] = body["permits"]
    assert found["number"] == permit["number"] and found["state"] == "valid"
    assert found["zone"] == "A" and found["plate_on_current_pass"] is True
    text = response.get_data(as_text=True)
    assert "holder@example.org" not in text and "applicant" not in text
    with db.connection_context():
        audit = [
            (e.action, e.subject_type, e.subject_id)
            for e in AuditEvent.select().where(AuditEvent.action == "parking_plate_lookup")
        ]
    assert audit == [("parking_plate_lookup", "licence_plate", "DN-AB 123")]
    assert officer.get("/api/officer/plates/nonsense").status_code == 422
    assert officer.get("/api/officer/plates/DN-ZZ%209999").get_json()["permits"] == []


def test_lookup_shows_a_plate_that_left_the_permit_as_superseded(signed_in, holder):
    api, permit = holder
    changed = api.post(
        f"/api/parking/permits/{permit['id']}/plates",
        json={"plates": ["DN-NW 1"], "registered_to_me": True},
    )
    assert changed.status_code == 200, changed.get_json()
    officer = signed_in("officer2@example.org", "officer")
    old = officer.get("/api/officer/plates/DN-AB%20123").get_json()["permits"]
    assert [(p["state"], p["plate_on_current_pass"]) for p in old] == [("superseded", False)]
    new = officer.get("/api/officer/plates/DN-NW%201").get_json()["permits"]
    assert [(p["state"], p["plates"]) for p in new] == [("valid", ["DN-NW 1"])]


def test_officer_server_side_verification(signed_in, holder):
    api, permit = holder
    officer = signed_in("officer3@example.org", "officer")
    ok = officer.post("/api/officer/passes/verify", json={"text": permit["pass_text"], "zone": "A"})
    assert ok.status_code == 200
    verdict = ok.get_json()
    assert verdict["valid"] and verdict["plates"] == ["DN-AB 123"]
    wrong = officer.post(
        "/api/officer/passes/verify", json={"text": permit["pass_text"], "zone": "B"}
    ).get_json()
    assert wrong["reason"] == "wrong_zone"
    text = permit["pass_text"]
    flipped = text[:60] + ("A" if text[60] != "A" else "B") + text[61:]
    forged = officer.post("/api/officer/passes/verify", json={"text": flipped}).get_json()
    assert forged["valid"] is False and forged["reason"] in ("forged", "malformed")
    assert forged["plates"] == [] and forged["permit_no"] is None
    changed = api.post(
        f"/api/parking/permits/{permit['id']}/plates",
        json={"plates": ["DN-NW 2"], "registered_to_me": True},
    )
    assert changed.status_code == 200, changed.get_json()
    revoked = officer.post("/api/officer/passes/verify", json={"text": text}).get_json()
    assert revoked["reason"] == "revoked"


def test_many_plates_lookup_orders_valid_first(signed_in):
    first = signed_in("a1@example.org")
    apply_and_pay(first, answers(plate="DN-Q 1"))
    permit = only_permit(first)
    first.post(f"/api/parking/permits/{permit['id']}/cancel")
    second = signed_in("a2@example.org")
    apply_and_pay(second, answers(plate="DN-Q 1"))
    officer = signed_in("officer4@example.org", "officer")
    states = [p["state"] for p in officer.get("/api/officer/plates/DN-Q%201").get_json()["permits"]]
    assert states == ["valid", "revoked"]
