"""Nobody reaches applications, uploads, inbox or documents that are not theirs."""

from __future__ import annotations

import pytest

from tests.api.engine_helpers import start, submitted

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(signed_in, make_client):
    alice = signed_in("alice@example.org")
    bob = signed_in("bob@example.org")
    draft = start(alice, "dog_tax_deregistration", {"reason": "given_away"})
    upload = alice.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": "proof", "file": (__import__("io").BytesIO(PDF), "vertrag.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.get_json()
    application = submitted(alice, "waste_bins", key="w")
    message = alice.get("/api/inbox").get_json()[0]
    document = next(m for m in alice.get("/api/inbox").get_json() if m["document"])["document"]
    return {
        "alice": alice,
        "bob": bob,
        "anonymous": make_client(),
        "dog_clerk": signed_in("dogs@example.org", "staff", ("hundesteuer",)),
        "waste_clerk": signed_in("waste@example.org", "staff", ("abfall",)),
        "officer": signed_in("officer@example.org", "officer"),
        "draft": draft,
        "upload": upload.get_json(),
        "application": application,
        "message": message,
        "document": document,
    }


def test_other_citizen_sees_nothing(world):
    bob, draft, application = world["bob"], world["draft"], world["application"]
    assert bob.get(f"/api/applications/{draft['id']}").status_code == 404
    assert (
        bob.put(
            f"/api/applications/{draft['id']}", json={"answers": {}}, headers={"If-Match": '"1"'}
        ).status_code
        == 404
    )
    assert bob.delete(f"/api/applications/{draft['id']}").status_code == 404
    assert bob.post(f"/api/applications/{draft['id']}/submit").status_code == 404
    assert bob.get(f"/api/applications/{application['id']}/events").status_code == 404
    assert (
        bob.post(
            f"/api/applications/{application['id']}/transitions", json={"to": "withdrawn"}
        ).status_code
        == 404
    )
    assert (
        bob.get(
            f"/api/applications/{draft['id']}/attachments/{world['upload']['upload_id']}"
        ).status_code
        == 404
    )
    assert bob.post(f"/api/inbox/{world['message']['id']}/read").status_code == 404
    assert bob.get(f"/api/documents/{world['document']['id']}").status_code == 404
    assert bob.get("/api/applications").get_json() == []
    assert bob.get("/api/inbox").get_json() == []


def test_anonymous_and_officer_are_refused(world):
    anonymous, officer, application = world["anonymous"], world["officer"], world["application"]
    assert anonymous.get("/api/applications").status_code == 401
    assert anonymous.get("/api/inbox").status_code == 401
    assert anonymous.get("/api/staff/applications").status_code == 401
    assert officer.get("/api/staff/applications").status_code == 403
    assert officer.get(f"/api/staff/applications/{application['reference']}").status_code == 403
    assert world["alice"].get("/api/staff/applications").status_code == 403


def test_clerks_see_only_their_area(world):
    ref = world["application"]["reference"]
    waste, dogs = world["waste_clerk"], world["dog_clerk"]
    assert [i["reference"] for i in waste.get("/api/staff/applications").get_json()["items"]] == [
        ref
    ]
    assert dogs.get("/api/staff/applications").get_json()["items"] == []
    assert (
        dogs.get("/api/staff/applications", query_string={"area": "abfall"}).get_json()["items"]
        == []
    )
    assert dogs.get(f"/api/staff/applications/{ref}").status_code == 404
    assert (
        dogs.post(
            f"/api/staff/applications/{ref}/transitions", json={"to": "in_review"}
        ).status_code
        == 404
    )
    assert dogs.get("/api/staff/applications/search", query_string={"q": ref}).get_json() == []
    assert waste.get(f"/api/staff/applications/{ref}").status_code == 200
    # Drafts never show up for clerks.
    assert waste.get(f"/api/staff/applications/{world['draft']['id']}").status_code == 404
