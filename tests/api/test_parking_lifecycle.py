"""A permit's life: change the plate (new pass, old one revoked), renew (same number),
cancel (revoked), expire; each with a message in the inbox. Scanners learn about the
revoked passes only from the public revocation list."""

from __future__ import annotations

from datetime import timedelta

from app.db import db
from app.models import ParkingPermit
from app.parking import permits as permit_domain
from app.passes import apply_delta, verify_pass
from app.service_definitions.relative_dates import add_months, local_today
from tests.parking.support import (
    answers,
    apply_and_pay,
    only_permit,
    pay,
    published_keyset,
    revocation_list,
    submit,
)


def _messages(api) -> list[dict]:
    return [m for m in api.get("/api/inbox").get_json() if m["kind"] == "parking_permit"]


def test_plate_change_reissues_and_revokes_the_old_pass(signed_in, make_client):
    citizen = signed_in("newcar@example.org")
    apply_and_pay(citizen)
    old = only_permit(citizen)
    scanner = make_client()
    keyset = published_keyset(scanner)
    before = revocation_list(scanner, keyset)

    response = citizen.post(
        f"/api/parking/permits/{old['id']}/plates",
        json={"plates": ["dn-cd 456e"], "registered_to_me": True},
        headers={"If-Match": f'"{old["sequence"]}"'},
    )
    assert response.status_code == 200, response.get_json()
    new = response.get_json()
    assert new["number"] == old["number"]
    assert (new["sequence"], new["plates"]) == (2, ["DN-CD 456E"])
    assert (new["valid_from"], new["valid_to"]) == (old["valid_from"], old["valid_to"])
    assert new["pass_text"] != old["pass_text"]

    # The scanner syncs: a delta from its version, applied to its full list.
    delta = revocation_list(scanner, keyset, since=before.version)
    assert delta.is_delta and delta.base_version == before.version
    state = apply_delta(before, delta)
    assert verify_pass(old["pass_text"], keyset, state, zone="A").reason == "revoked"
    assert verify_pass(new["pass_text"], keyset, state, zone="A").valid
    full = revocation_list(scanner, keyset)
    assert full.version == state.version and full.entries == state.entries

    messages = _messages(citizen)
    assert len(messages) == 2 and "Kennzeichen" in messages[0]["subject"]
    assert messages[0]["document"]["filename"].endswith("-2.pdf")


def test_plate_change_rules(signed_in):
    citizen = signed_in("rules@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    url = f"/api/parking/permits/{permit['id']}/plates"
    more = citizen.post(url, json={"plates": ["DN-A 1", "DN-B 2"], "registered_to_me": True})
    assert more.status_code == 422
    assert {e["code"] for e in more.get_json()["errors"]} == {"parking_more_plates"}
    undeclared = citizen.post(url, json={"plates": ["DN-A 1"], "registered_to_me": False})
    assert [e["field"] for e in undeclared.get_json()["errors"]] == ["registered_to_me"]
    invalid = citizen.post(url, json={"plates": ["DNA1"], "registered_to_me": True})
    assert [e["field"] for e in invalid.get_json()["errors"]] == ["plates[0]"]
    stale = citizen.post(
        url, json={"plates": ["DN-A 1"], "registered_to_me": True}, headers={"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    same = citizen.post(url, json={"plates": ["DN-AB 123"], "registered_to_me": True})
    assert same.status_code == 200 and same.get_json()["sequence"] == 1
    neighbour = signed_in("neighbour@example.org")
    apply_and_pay(neighbour, answers(plate="DN-ZZ 9"), key="n")
    taken = citizen.post(url, json={"plates": ["DN-ZZ 9"], "registered_to_me": True})
    assert taken.status_code == 422
    assert [e["code"] for e in taken.get_json()["errors"]] == ["parking_plate_taken"]
    assert only_permit(citizen)["sequence"] == 1


def test_cancel_revokes_the_pass(signed_in, make_client):
    citizen = signed_in("giveback@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    response = citizen.post(f"/api/parking/permits/{permit['id']}/cancel")
    assert response.status_code == 200
    cancelled = response.get_json()
    assert (cancelled["status"], cancelled["state"]) == ("revoked", "revoked")
    assert cancelled["pass_text"] is None and cancelled["actions"] == []
    again = citizen.post(f"/api/parking/permits/{permit['id']}/cancel")
    assert again.status_code == 200 and again.get_json()["status"] == "revoked"

    scanner = make_client()
    keyset = published_keyset(scanner)
    listed = revocation_list(scanner, keyset)
    assert verify_pass(permit["pass_text"], keyset, listed, zone="A").reason == "revoked"
    for suffix in ("qr.png", "qr.svg", "pdf"):
        gone = citizen.get(f"/api/parking/permits/{permit['id']}/{suffix}")
        assert gone.status_code == 410, suffix
    assert (
        citizen.post(
            f"/api/parking/permits/{permit['id']}/plates",
            json={"plates": ["DN-A 1"], "registered_to_me": True},
        ).status_code
        == 409
    )
    messages = _messages(citizen)
    assert "zurückgegeben" in messages[0]["subject"] and messages[0]["document"] is None
    assert len(messages) == 2  # issued, then cancelled: exactly one message each


def _expiring_soon(citizen, days: int = 20, plate: str = "DN-AB 123") -> dict:
    """An issued permit whose last valid day is ``days`` from today (renewal window open)."""
    apply_and_pay(citizen, answers(plate=plate))
    permit = only_permit(citizen)
    with db.connection_context():
        ParkingPermit.update(valid_to=local_today() + timedelta(days=days)).where(
            ParkingPermit.id == permit["id"]
        ).execute()
    return citizen.get(f"/api/parking/permits/{permit['id']}").get_json()


def test_renewal_keeps_the_number_and_extends_validity(signed_in, make_client):
    citizen = signed_in("renew@example.org")
    permit = _expiring_soon(citizen)
    assert permit["renewal"]["possible"] and "renew" in permit["actions"]
    old_valid_to = permit["valid_to"]

    response = citizen.post(f"/api/parking/permits/{permit['id']}/renewal", json={"months": 12})
    assert response.status_code == 201, response.get_json()
    renewal = response.get_json()
    assert renewal["status"] == "draft" and renewal["service_id"] == "resident_parking"
    assert renewal["answers"]["plate"] == "DN-AB 123" and renewal["answers"]["months"] == 12
    assert "truthful" not in renewal["answers"]  # the citizen confirms again
    same = citizen.post(f"/api/parking/permits/{permit['id']}/renewal", json={})
    assert same.status_code == 200 and same.get_json()["id"] == renewal["id"]

    confirmed = citizen.put(
        f"/api/applications/{renewal['id']}",
        json={"answers": {**renewal["answers"], "truthful": True}},
        headers={"If-Match": f'"{renewal["revision"]}"'},
    )
    assert confirmed.status_code == 200
    submitted = submit(citizen, renewal["id"], key="renew-1")
    assert submitted.status_code == 201 and submitted.get_json()["fee_cents"] == 3000
    pay(renewal["id"])

    renewed = only_permit(citizen)
    assert renewed["number"] == permit["number"] and renewed["sequence"] == 2
    from datetime import date

    expected_end = add_months(date.fromisoformat(old_valid_to) + timedelta(days=1), 12)
    assert renewed["valid_to"] == (expected_end - timedelta(days=1)).isoformat()
    assert renewed["valid_from"] == local_today().isoformat()
    assert citizen.get(f"/api/applications/{renewal['id']}").get_json()["status"] == "completed"

    scanner = make_client()
    keyset = published_keyset(scanner)
    listed = revocation_list(scanner, keyset)
    assert verify_pass(permit["pass_text"], keyset, listed).reason == "revoked"
    assert verify_pass(renewed["pass_text"], keyset, listed).valid
    assert "verlängert" in _messages(citizen)[0]["subject"]


def test_renewal_only_in_the_window_and_within_two_years(signed_in):
    citizen = signed_in("early@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    early = citizen.post(f"/api/parking/permits/{permit['id']}/renewal", json={})
    assert early.status_code == 409 and early.get_json()["code"] == "parking_renewal_not_yet"
    assert permit["renewal"]["possible"] is False and "renew" not in permit["actions"]

    soon = _expiring_soon(signed_in("late@example.org"), days=40, plate="DN-LA 7")
    allowed = soon["renewal"]["max_months"]
    assert 22 <= allowed < 24
    too_long = signed_in("late@example.org").post(
        f"/api/parking/permits/{soon['id']}/renewal", json={"months": 24}
    )
    assert too_long.status_code == 422
    assert too_long.get_json()["errors"][0]["code"] == "parking_months_range"


def test_renewal_submission_refuses_more_months_than_allowed(signed_in):
    citizen = signed_in("sneaky@example.org")
    permit = _expiring_soon(citizen, days=50)
    renewal = citizen.post(f"/api/parking/permits/{permit['id']}/renewal", json={}).get_json()
    changed = citizen.put(
        f"/api/applications/{renewal['id']}",
        json={"answers": {**renewal["answers"], "months": 24, "truthful": True}},
        headers={"If-Match": f'"{renewal["revision"]}"'},
    )
    assert changed.status_code == 200
    response = submit(citizen, renewal["id"], key="too-long")
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert error["field"] == "months" and error["code"] == "parking_renewal_too_long"


def test_expired_permits(signed_in):
    citizen = signed_in("old@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    with db.connection_context():
        ParkingPermit.update(valid_to=local_today() - timedelta(days=1)).where(
            ParkingPermit.id == permit["id"]
        ).execute()
    shown = citizen.get(f"/api/parking/permits/{permit['id']}").get_json()
    assert (shown["state"], shown["status"], shown["actions"]) == ("expired", "expired", [])
    assert citizen.post(f"/api/parking/permits/{permit['id']}/cancel").status_code == 409
    assert citizen.post(f"/api/parking/permits/{permit['id']}/renewal", json={}).status_code == 409
    with db.connection_context():
        assert permit_domain.expire_due() == 1
        assert ParkingPermit.get_by_id(permit["id"]).status == "expired"
        assert permit_domain.expire_due() == 0


def test_two_years_is_the_longest_validity(signed_in):
    citizen = signed_in("long@example.org")
    apply_and_pay(citizen, answers(months=24))
    permit = only_permit(citizen)
    assert permit["valid_to"] <= (add_months(local_today(), 24)).isoformat()


def test_export_lists_permits_and_deletion_revokes_them(signed_in, make_client):
    citizen = signed_in("leaving@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    exported = citizen.get("/api/account/export")
    assert exported.status_code == 200
    data = exported.get_json()
    [mine] = data["parking_permits"]
    assert mine["number"] == permit["number"]
    assert mine["passes"][0]["pass_text"] == permit["pass_text"]

    deleted = citizen.delete("/api/account", json={"confirm_email": "leaving@example.org"})
    assert deleted.status_code == 204
    scanner = make_client()
    keyset = published_keyset(scanner)
    listed = revocation_list(scanner, keyset)
    assert verify_pass(permit["pass_text"], keyset, listed).reason == "revoked"
    # The permit stays on file (with its application), so the officer's look-up
    # explains a printed pass that no longer verifies.
    officer = signed_in("officer-del@example.org", "officer")
    [found] = officer.get("/api/officer/plates/DN-AB%20123").get_json()["permits"]
    assert (found["number"], found["state"]) == (permit["number"], "revoked")
