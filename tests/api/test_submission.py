"""Submitting: full validation, one application per idempotency key, receipt, payment policy."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta

import pytest

from app.applications import definitions
from app.applications.references import ALPHABET, normalise
from app.db import db
from app.models import Application, Document, User
from tests.api.engine_helpers import save, start, submitted
from tests.api.service_answers import EXPECTED_FEES, complete_answers


def test_incomplete_draft_gets_field_errors_and_stays_a_draft(signed_in):
    api = signed_in("inc@example.org")
    draft = start(api, "dog_tax_registration", {"dogs": [{"dog_name": "Bello"}]})
    response = api.post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "s-1"}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert {"dogs[0].breed", "dogs[0].intake_date", "truthful"} <= fields
    current = api.get(f"/api/applications/{draft['id']}").get_json()
    assert current["status"] == "draft" and current["reference"] is None


@pytest.mark.parametrize("service_id", sorted(EXPECTED_FEES))
def test_each_builtin_service_can_be_submitted_and_followed(signed_in, service_id):
    api = signed_in(f"{service_id}@example.org")
    if service_id in ("business_registration", "business_change", "business_deregistration"):
        with db.connection_context():
            User.update(trust_level="high").where(
                User.email == f"{service_id}@example.org"
            ).execute()
    application = submitted(api, service_id)
    assert re.fullmatch(f"[{ALPHABET}]{{8}}", application["reference"])
    assert normalise(application["reference_display"]) == application["reference"]
    assert application["fee_cents"] == EXPECTED_FEES[service_id]
    expected_status = (
        "awaiting_payment"
        if service_id in ("civil_status_certificate", "registry_information_simple")
        or service_id.startswith("business_")
        else "submitted"
    )
    assert application["status"] == expected_status
    followed = api.get(f"/api/applications/{application['id']}").get_json()
    assert followed["status"] == expected_status
    inbox = api.get("/api/inbox").get_json()
    assert any(m["kind"] == "receipt" and m["document"] for m in inbox)


def test_submit_is_idempotent(signed_in):
    api = signed_in("idem@example.org")
    draft = start(api, "waste_bins", complete_answers("waste_bins"))
    first = api.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "once"})
    assert first.status_code == 201
    retry = api.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "once"})
    assert (
        retry.status_code == 200 and retry.get_json()["reference"] == first.get_json()["reference"]
    )
    without_key = api.post(f"/api/applications/{draft['id']}/submit")
    assert without_key.status_code == 200 and without_key.get_json()["id"] == draft["id"]
    with db.connection_context():
        assert Application.select().where(Application.reference.is_null(False)).count() == 1
        assert Document.select().where(Document.kind == "receipt").count() == 1


def test_submitted_application_cannot_be_edited_or_deleted(signed_in):
    api = signed_in("frozen@example.org")
    application = submitted(api, "waste_bins")
    edit = save(api, application, {"remarks": "später"})
    assert edit.status_code == 409 and edit.get_json()["code"] == "not_a_draft"
    assert api.delete(f"/api/applications/{application['id']}").status_code == 409


def test_high_trust_service_needs_eid(signed_in):
    api = signed_in("basic@example.org")
    draft = start(api, "business_registration", complete_answers("business_registration"))
    response = api.post(f"/api/applications/{draft['id']}/submit")
    assert response.status_code == 403 and response.get_json()["code"] == "trust_level_required"
    assert api.get(f"/api/applications/{draft['id']}").get_json()["status"] == "draft"


@pytest.mark.parametrize(
    ("trust_level", "sends"),
    [("basic", False), ("substantial", True), ("high", True)],
)
def test_a_substantial_service_takes_bundid_with_elster_or_the_eid(signed_in, trust_level, sends):
    """A service that asks for "substantial": an ELSTER certificate through BundID is
    enough, the Online-Ausweis is more than enough, a confirmed address is not."""
    with db.connection_context():
        admin = User.create(email=f"trust-admin-{trust_level}@example.org", role="admin")
        data = copy.deepcopy(definitions.published("waste_bins").data)
        data["version"] += 1
        data["trust_level"] = "substantial"
        data["trust_note"] = {"de": "Wegen der Steuerdaten.", "en": "Because of tax data."}
        definitions.publish_draft(definitions.create_version(data, admin), admin)
    email = f"trust-{trust_level}@example.org"
    api = signed_in(email)
    with db.connection_context():
        User.update(trust_level=trust_level).where(User.email == email).execute()
    draft = start(api, "waste_bins", complete_answers("waste_bins"))
    response = api.post(f"/api/applications/{draft['id']}/submit")
    if sends:
        assert response.status_code == 201, response.get_json()
        return
    body = response.get_json()
    assert response.status_code == 403 and body["code"] == "trust_level_substantial_required"
    assert "ELSTER" in body["message"]
    assert api.get(f"/api/applications/{draft['id']}").get_json()["status"] == "draft"


def test_late_registration_warning_is_kept(signed_in):
    api = signed_in("late@example.org")
    answers = complete_answers("dog_tax_registration")
    answers["dogs"][0]["intake_date"] = (date.today() - timedelta(days=40)).isoformat()
    application = submitted(api, "dog_tax_registration", answers=answers)
    assert [w["code"] for w in application["warnings"]] == ["warning.late_registration"]
    assert application["status"] == "submitted"


def test_receipt_pdf_is_a_real_pdf_for_the_owner_only(signed_in):
    api = signed_in("pdf@example.org")
    application = submitted(api, "civil_status_certificate")
    receipt = next(m for m in api.get("/api/inbox").get_json() if m["kind"] == "receipt")
    response = api.get(f"/api/documents/{receipt['document']['id']}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"
    # Named for people (what, which service, which day), not by reference or id.
    disposition = response.headers["Content-Disposition"]
    assert "Eingangsbest%C3%A4tigung%20Personenstandsurkunde%20" in disposition
    assert application["reference"] not in disposition
    other = signed_in("other@example.org")
    assert other.get(f"/api/documents/{receipt['document']['id']}").status_code == 404


def test_receipt_shows_local_time_and_masks_the_iban(signed_in):
    from app.applications.receipts import local_time, render_receipt_html
    from app.models import Application

    api = signed_in("html@example.org")
    application = submitted(api, "dog_tax_registration")
    with db.connection_context():
        stored = Application.get_by_id(application["id"])
        html = render_receipt_html(stored, "de")
    assert "DE89 •••• 3000" in html and "DE89370400440532013000" not in html
    shown = local_time(stored.submitted_at)
    assert shown.utcoffset().total_seconds() in (3600, 7200)  # CET or CEST
    assert shown.strftime("%d.%m.%Y %H:%M") in html
