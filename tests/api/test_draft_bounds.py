"""Drafts are bounded: answers invalid by their size are refused (nothing stored), a
citizen keeps a limited number of open drafts, and creating with the same
``Idempotency-Key`` stays one draft also when the requests arrive at the same time."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import Application
from tests.api.engine_helpers import save, start
from tests.api.served import served, statuses  # noqa: F401 - fixture


def _stored_answers(draft_id: str) -> tuple[int, dict]:
    with db.connection_context():
        row = Application.get_by_id(draft_id)
        return row.revision, row.answers


def _only_error(response) -> dict:
    assert response.status_code == 422, response.get_json()
    [error] = response.get_json()["errors"]
    return error


def test_text_longer_than_the_field_allows_is_refused_not_kept(signed_in):
    api = signed_in("long@example.org")
    draft = start(api, "waste_bins", {"applicant_role": "manager"})
    before = _stored_answers(draft["id"])
    error = _only_error(save(api, draft, {"applicant_role": "manager", "owner_name": "x" * 121}))
    assert (error["field"], error["code"]) == ("owner_name", "text.too_long")
    assert "höchstens 120 Zeichen" in error["message"]
    assert _stored_answers(draft["id"]) == before
    # Just within the limit it is kept as typed.
    assert save(api, draft, {"owner_name": "x" * 120}).status_code == 200


def test_huge_answer_is_refused_whatever_the_field(signed_in):
    # Hidden fields and invalid answers are kept raw in a draft; a text longer than any
    # field may allow must never be (9.9 MB of it were stored before).
    api = signed_in("huge@example.org")
    draft = start(api, "waste_bins")
    before = _stored_answers(draft["id"])
    huge = "9" * 9_900_000
    for answers, field in [
        ({"owner_name": huge}, "owner_name"),  # hidden without an applicant role
        ({"delivery_date": huge}, "delivery_date"),  # not a text field at all
        ({"property_address": {"street": huge}}, "property_address.street"),
        ({"bins": [{"bin_type": "bio"}, {"bin_type": huge}]}, "bins[1].bin_type"),
    ]:
        error = _only_error(save(api, draft, answers))
        assert (error["field"], error["code"]) == (field, "text.too_long")
        assert "20000" in error["message"]
    created = api.post(
        "/api/applications", json={"service_id": "waste_bins", "answers": {"remarks": huge}}
    )
    assert _only_error(created)["field"] == "remarks"
    with db.connection_context():
        assert Application.select().count() == 1
    assert _stored_answers(draft["id"]) == before


def test_more_repeat_items_than_allowed_are_refused(signed_in):
    api = signed_in("bins@example.org")
    draft = start(api, "waste_bins")
    before = _stored_answers(draft["id"])
    error = _only_error(save(api, draft, {"bins": [{"bin_type": "bio"}] * 6}))
    assert (error["field"], error["code"]) == ("bins", "repeat.too_many")
    assert _stored_answers(draft["id"]) == before
    assert save(api, draft, {"bins": [{"bin_type": "bio"}] * 5}).status_code == 200


@pytest.fixture
def three_drafts_at_most(app, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setitem(app.config, "DRAFTS_MAX_OPEN", 3)
    return 3


def test_open_drafts_per_citizen_are_limited(signed_in, make_client, three_drafts_at_most):
    assert signed_in("other@example.org")  # another citizen's drafts do not count
    api = signed_in("many@example.org")
    drafts = [start(api, "waste_bins", key=f"k{n}") for n in range(3)]
    refused = api.post("/api/applications", json={"service_id": "waste_bins"})
    assert refused.status_code == 409, refused.get_json()
    body = refused.get_json()
    assert body["code"] == "too_many_drafts"
    assert body["message"].startswith("Sie haben bereits 3 offene Entwürfe.")
    api.lang = "en"
    english = api.post("/api/applications", json={"service_id": "waste_bins"}).get_json()
    assert english["message"].startswith("You already have 3 open drafts.")
    # A retry of a creation that worked is still answered with its draft.
    assert start(api, "waste_bins", key="k1")["id"] == drafts[1]["id"]
    with db.connection_context():
        assert Application.select().count() == 3
    # Deleting one makes room again.
    assert api.delete(f"/api/applications/{drafts[0]['id']}").status_code == 204
    assert start(api, "waste_bins")["status"] == "draft"


def test_default_limit_of_open_drafts_is_fifty(app):
    assert app.config["DRAFTS_MAX_OPEN"] == 50


def test_parallel_creations_with_one_key_give_one_draft(served):  # noqa: F811
    headers = {**served.citizen("twice@example.org"), "Idempotency-Key": "same-key"}
    call = ("POST", "/api/applications", {"json": {"service_id": "waste_bins"}})
    results = served.at_once(
        [(call[0], call[1], {**call[2], "headers": headers}) for _ in range(20)]
    )
    assert statuses(results) == [201] * 20, [body for status, body in results if status != 201]
    assert len({body["id"] for _, body in results}) == 1
    with db.connection_context():
        assert Application.select().count() == 1


def test_parallel_creations_respect_the_draft_limit(served, three_drafts_at_most):  # noqa: F811
    headers = served.citizen("rush@example.org")
    call = {"json": {"service_id": "waste_bins"}, "headers": headers}
    results = served.at_once([("POST", "/api/applications", dict(call)) for _ in range(10)])
    assert statuses(results) == [201] * 3 + [409] * 7, results
    with db.connection_context():
        assert Application.select().count() == 3
