"""Clerk queues: keyset pages, filters, search, detail with audit, assignment, notes."""

from __future__ import annotations

from app.db import db
from app.models import AuditEvent
from tests.api.engine_helpers import submitted


def test_keyset_pages_cover_the_queue_once(signed_in):
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    references = []
    for index in range(7):
        citizen = signed_in(f"p{index}@example.org")
        references.append(submitted(citizen, "waste_bins", key=f"k{index}")["reference"])
    seen, after = [], None
    while True:
        query = {"limit": 3} | ({"after": after} if after else {})
        page = clerk.get("/api/staff/applications", query_string=query).get_json()
        seen += [item["reference"] for item in page["items"]]
        after = page["next"]
        if not after:
            break
    assert seen == references  # oldest first, none twice, none missing
    assert (
        clerk.get("/api/staff/applications", query_string={"after": "garbage!"}).status_code == 422
    )
    filtered = clerk.get("/api/staff/applications", query_string={"status": "in_review"}).get_json()
    assert filtered["items"] == []


def test_search_by_reference_and_name(signed_in):
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    citizen = signed_in("name@example.org")
    citizen.put("/api/account/profile", json={"given_names": "Erika", "family_name": "Musterfrau"})
    ref = submitted(citizen, "waste_bins")["reference"]
    spoken = f"{ref[:4].lower()}-{ref[4:]}"
    assert [
        r["reference"]
        for r in clerk.get("/api/staff/applications/search", query_string={"q": spoken}).get_json()
    ] == [ref]
    typo = ref[:-1] + ("2" if ref[-1] != "2" else "3")
    assert clerk.get("/api/staff/applications/search", query_string={"q": typo}).get_json() == []
    by_name = clerk.get(
        "/api/staff/applications/search", query_string={"q": "Musterfrau"}
    ).get_json()
    assert [r["applicant_name"] for r in by_name] == ["Musterfrau, Erika"]


def test_detail_is_audited_and_notes_stay_internal(signed_in):
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    colleague = signed_in("colleague@example.org", "staff", ("abfall",))
    outsider = signed_in("dogs@example.org", "staff", ("hundesteuer",))
    citizen = signed_in("cit@example.org")
    application = submitted(citizen, "waste_bins")
    ref = application["reference"]
    detail = clerk.get(f"/api/staff/applications/{ref}").get_json()
    assert detail["applicant"]["email"] == "cit@example.org"
    assert detail["summary"] and [a["to"] for a in detail["staff_actions"]] == [
        "approved",
        "rejected",
        "info_requested",
        "in_review",
    ]
    with db.connection_context():
        views = AuditEvent.select().where(AuditEvent.action == "personal_data_viewed")
        assert views.count() == 1 and views.get().subject_id == application["id"]
    noted = clerk.post(
        f"/api/staff/applications/{ref}/notes", json={"text": "Nachbar hat angerufen."}
    )
    assert noted.status_code == 201 and noted.get_json()["history"][-1]["internal"] is True
    timeline = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    assert all("Nachbar" not in e["message"] for e in timeline)
    with db.connection_context():
        colleague_id = (
            __import__("app.models", fromlist=["User"]).User.get(email="colleague@example.org").id
        )
        outsider_id = (
            __import__("app.models", fromlist=["User"]).User.get(email="dogs@example.org").id
        )
    assigned = clerk.put(
        f"/api/staff/applications/{ref}/assignee", json={"assignee_id": colleague_id}
    )
    assert assigned.get_json()["assigned_to"] == colleague_id
    mine = colleague.get(
        "/api/staff/applications", query_string={"assigned_to": colleague_id}
    ).get_json()
    assert [i["reference"] for i in mine["items"]] == [ref]
    refused = clerk.put(
        f"/api/staff/applications/{ref}/assignee", json={"assignee_id": outsider_id}
    )
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "assignee_id"
    assert (
        outsider.put(
            f"/api/staff/applications/{ref}/assignee", json={"assignee_id": None}
        ).status_code
        == 404
    )


def test_queue_items_and_history_carry_labels_and_iso_times(signed_in):
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    citizen = signed_in("labels@example.org")
    ref = submitted(citizen, "waste_bins")["reference"]
    item = clerk.get("/api/staff/applications").get_json()["items"][0]
    # Clerks read their own wording: "Neu eingegangen", not the citizen's "Eingereicht".
    assert item["status_label"] == "Neu eingegangen" and item["service_title"]["de"]
    detail = clerk.get(f"/api/staff/applications/{ref}").get_json()
    assert detail["submitted_at"].endswith("Z") and "T" in detail["submitted_at"]
    assert detail["status_label"] == "Neu eingegangen"
    assert [h["status_label"] for h in detail["history"] if h["kind"] == "status"] == [
        "Neu eingegangen"
    ]
