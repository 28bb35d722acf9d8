"""Blocking a permit ("Ausweis sperren"): who may, what it changes, and that asking
twice (or twice at once) blocks once: one revocation, one audit entry, one message."""

from __future__ import annotations

import threading

import pytest

from app.db import db
from app.models import AuditEvent, PassRevocation
from app.passes import verify_pass
from tests.parking.support import apply_and_pay, only_permit, published_keyset, revocation_list


@pytest.fixture
def issued(signed_in):
    citizen = signed_in("gesperrt@example.org")
    apply_and_pay(citizen)
    return citizen, only_permit(citizen)


def _blocked_messages(citizen) -> list[dict]:
    return [m for m in citizen.get("/api/inbox").get_json() if "gesperrt" in m["subject"]]


def _audit_count() -> int:
    with db.connection_context():
        return AuditEvent.select().where(AuditEvent.action == "parking_permit_blocked").count()


def test_only_admins_and_parking_clerks_may_block(issued, signed_in, make_client):
    citizen, permit = issued
    path = f"/api/staff/parking/permits/{permit['id']}/block"
    body = {"reason": "stolen"}
    refused = {
        "anonymous": (make_client(), 401),
        "citizen": (citizen, 403),
        "officer": (signed_in("officer@example.org", "officer"), 403),
        "waste clerk": (signed_in("abfall@example.org", "staff", ("abfall",)), 403),
        "treasury clerk": (signed_in("kasse@example.org", "staff", ("kasse",)), 403),
    }
    for name, (client, status) in refused.items():
        assert client.post(path, json=body).status_code == status, name
        assert (
            client.get("/api/staff/parking/permits", query_string={"number": permit["number"]})
        ).status_code == status, name
    assert only_permit(citizen)["state"] == "valid" and _audit_count() == 0

    clerk = signed_in("parken@example.org", "staff", ("parken", "abfall"))
    found = clerk.get("/api/staff/parking/permits", query_string={"number": permit["number"]})
    assert [p["id"] for p in found.get_json()] == [permit["id"]]
    by_application = clerk.get(
        "/api/staff/parking/permits", query_string={"application": permit_application(citizen)}
    )
    assert [p["number"] for p in by_application.get_json()] == [permit["number"]]
    assert clerk.post(path, json=body).get_json()["changed"] is True

    admin = signed_in("admin@example.org", "admin")
    again = admin.post(path, json={"reason": "misuse"})
    assert again.status_code == 200 and again.get_json()["changed"] is False
    assert again.get_json()["revoke_reason"] == "stolen"


def permit_application(citizen) -> str:
    [application] = citizen.get("/api/applications").get_json()
    return application["id"]


def test_bad_reason_or_missing_note_changes_nothing(issued, signed_in):
    citizen, permit = issued
    clerk = signed_in("parken@example.org", "staff", ("parken",))
    path = f"/api/staff/parking/permits/{permit['id']}/block"
    for body, field in [
        ({"reason": "lost_interest"}, "reason"),
        ({}, "reason"),
        ({"reason": "other"}, "note"),
        ({"reason": "other", "note": "x" * 501}, "note"),
    ]:
        response = clerk.post(path, json=body)
        assert response.status_code == 422, body
        assert [e["field"] for e in response.get_json()["errors"]] == [field]
    assert (
        clerk.post("/api/staff/parking/permits/nope/block", json={"reason": "stolen"}).status_code
        == 404
    )
    assert only_permit(citizen)["state"] == "valid" and _audit_count() == 0


def test_blocking_revokes_audits_informs_and_is_idempotent(issued, signed_in, make_client):
    citizen, permit = issued
    clerk = signed_in("parken@example.org", "staff", ("parken",))
    scanner = make_client()
    keyset = published_keyset(scanner)
    before = revocation_list(scanner, keyset)
    assert verify_pass(permit["pass_text"], keyset, before.entries).valid

    path = f"/api/staff/parking/permits/{permit['id']}/block"
    first = clerk.post(path, json={"reason": "stolen", "note": "Anzeige Polizei 4711"})
    assert first.status_code == 200, first.get_json()
    assert first.get_json() | {"revoked_at": None} == first.get_json() | {
        "state": "revoked",
        "blocked": True,
        "revoke_reason": "stolen",
        "changed": True,
        "revoked_at": None,
    }
    second = clerk.post(path, json={"reason": "stolen"})
    assert second.status_code == 200 and second.get_json()["changed"] is False

    # The fresh signed list (verified against the published keys) holds the pass.
    after = revocation_list(scanner, keyset)
    assert after.version == before.version + 1
    verdict = verify_pass(permit["pass_text"], keyset, after.entries)
    assert (verdict.valid, verdict.reason) == (False, "revoked")
    with db.connection_context():
        assert PassRevocation.select().count() == 1

    assert _audit_count() == 1
    with db.connection_context():
        event = AuditEvent.get(AuditEvent.action == "parking_permit_blocked")
    assert event.details["reason"] == "stolen" and event.details["note"] == "Anzeige Polizei 4711"

    [message] = _blocked_messages(citizen)
    assert permit["number"] in message["subject"]
    assert "gestohlen" in message["body"]
    # Kept as keys: the same message reads in English for a reader asking in English.
    [english] = [
        m
        for m in citizen.get("/api/inbox", headers={"Accept-Language": "en"}).get_json()
        if m["id"] == message["id"]
    ]
    assert english["subject"].startswith("Your resident parking permit")
    assert "stolen" in english["body"]
    wallet = only_permit(citizen)
    assert (wallet["state"], wallet["blocked"], wallet["block_reason"]) == (
        "revoked",
        True,
        "stolen",
    )
    assert wallet["pass_text"] is None and wallet["actions"] == []


def test_clerks_blocking_at_once_block_once(signed_in):
    """Eight clerks press "sperren" at the same moment, three times over."""
    clerks = [signed_in(f"parken{i}@example.org", "staff", ("parken",)) for i in range(8)]
    for round_ in range(3):
        citizen = signed_in(f"gleichzeitig{round_}@example.org")
        apply_and_pay(citizen)
        permit = only_permit(citizen)
        path = f"/api/staff/parking/permits/{permit['id']}/block"
        start = threading.Barrier(len(clerks))
        results: list[int | bool] = []

        def block(client, path=path, start=start, results=results) -> None:
            start.wait()
            response = client.post(path, json={"reason": "misuse"})
            results.append(response.get_json().get("changed", response.status_code))

        threads = [threading.Thread(target=block, args=(c,)) for c in clerks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True]
        assert len(_blocked_messages(citizen)) == 1
    assert _audit_count() == 3
    with db.connection_context():
        assert PassRevocation.select().count() == 3
