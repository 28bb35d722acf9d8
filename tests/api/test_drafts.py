"""Drafts on the server: prefill, If-Match (412 on a stale revision), refusal of bad input."""

from __future__ import annotations

from app.applications.drafts import prefill_values
from app.db import db
from app.models import Application, User
from app.service_definitions.field_types import PREFILL_TYPES
from tests.api.engine_helpers import save, start


def test_draft_is_prefilled_from_profile(signed_in):
    api = signed_in("pre@example.org")
    api.put(
        "/api/account/profile",
        json={
            "street": "Kaiserplatz",
            "house_number": "2",
            "postal_code": "52349",
            "city": "Düren",
            "phone": "02421 250",
        },
    )
    draft = start(api, "dog_tax_registration")
    assert draft["status"] == "draft" and draft["revision"] == 1 and draft["reference"] is None
    assert draft["answers"]["holder_address"]["street"] == "Kaiserplatz"
    assert draft["answers"]["holder_address"]["parking_zone"]  # looked up in the street directory
    assert draft["answers"]["holder_phone"] == "02421 250"


def test_create_with_same_key_returns_same_draft(signed_in):
    api = signed_in("key@example.org")
    first = start(api, "waste_bins", key="draft-abc")
    second = start(api, "waste_bins", key="draft-abc")
    assert first["id"] == second["id"]
    with db.connection_context():
        assert Application.select().count() == 1


def test_update_with_if_match_and_conflict(signed_in):
    api = signed_in("etag@example.org")
    draft = start(api, "waste_bins")
    ok = save(api, draft, {"owner_name": "Erste Fassung"})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    assert ok.get_json()["revision"] == 2
    # A second device still holding revision 1 must not overwrite silently.
    stale = save(api, draft, {"owner_name": "Zweite Fassung"})
    assert stale.status_code == 412 and stale.get_json()["code"] == "precondition_failed"
    assert (
        api.get(f"/api/applications/{draft['id']}").get_json()["answers"]["owner_name"]
        == "Erste Fassung"
    )
    missing = api.put(f"/api/applications/{draft['id']}", json={"answers": {}})
    assert missing.status_code == 428


def test_draft_keeps_unfinished_input_but_reports_it(signed_in):
    api = signed_in("wip@example.org")
    draft = start(api, "dog_tax_registration")
    response = save(
        api, draft, {"sepa_mandate": True, "iban": "DE89 3704", "dogs": [{"dog_name": "Bello"}]}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["answers"]["iban"] == "DE89 3704"
    assert any(issue["field"] == "iban" for issue in body["issues"])


def test_structurally_bad_input_changes_nothing(signed_in):
    api = signed_in("bad@example.org")
    draft = start(api, "waste_bins")
    response = save(api, draft, {"owner_name": "Gut", "shoe_size": 42})
    assert response.status_code == 422
    assert response.get_json()["errors"][0] == {
        "field": "shoe_size",
        "code": "unknown_field",
        "message": "Diese Angabe gehört nicht zu diesem Antrag.",
    }
    wrong_type = save(api, draft, {"bins": "drei"})
    assert wrong_type.status_code == 422
    current = api.get(f"/api/applications/{draft['id']}").get_json()
    assert current["revision"] == 1 and "owner_name" not in current["answers"]
    assert api.post("/api/applications", json={"service_id": "nope"}).status_code == 404
    assert (
        api.post("/api/applications", json={"service_id": "waste_bins", "answers": []}).status_code
        == 422
    )


def test_delete_draft(signed_in):
    api = signed_in("del@example.org")
    draft = start(api, "waste_bins")
    assert api.delete(f"/api/applications/{draft['id']}").status_code == 204
    assert api.get(f"/api/applications/{draft['id']}").status_code == 404


def test_list_own_applications(signed_in):
    api = signed_in("list@example.org")
    start(api, "waste_bins")
    start(api, "dog_tax_registration")
    listed = api.get("/api/applications").get_json()
    assert {a["service_id"] for a in listed} == {"waste_bins", "dog_tax_registration"}


def test_reading_a_draft_lists_what_is_still_missing(signed_in):
    api = signed_in("open@example.org")
    draft = start(api, "waste_bins")
    issues = api.get(f"/api/applications/{draft['id']}").get_json()["issues"]
    assert issues == [] or all(i["field"] and i["message"] for i in issues)
    save(api, draft, {"property_address": {"street": "Gibtsnichtweg", "house_number": "1"}})
    issues = api.get(f"/api/applications/{draft['id']}").get_json()["issues"]
    assert [i["field"].split(".")[0] for i in issues] == ["property_address"]


def test_every_prefill_source_the_definitions_may_name_has_a_value(signed_in):
    """The sources the field types accept are exactly those a draft can be filled from."""
    signed_in("sources@example.org")
    with db.connection_context():
        user = User.get(User.email == "sources@example.org")
        assert set(prefill_values(user)) == set(PREFILL_TYPES)
