"""Resident parking end to end through the API: apply, pay, automatic approval, the
permit in the wallet, its pass verified with nothing but the published key set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.passes import verify_pass
from app.service_definitions.relative_dates import add_months, local_today
from tests.parking.support import (
    answers,
    apply,
    apply_and_pay,
    decode_qr,
    only_permit,
    pay,
    png_image,
    published_keyset,
    rasterise_pdf,
)


def test_apply_pay_auto_approve_and_get_the_pass(signed_in, make_client):
    citizen = signed_in("erika@example.org")
    application = apply(citizen)
    assert application["fee_cents"] == 3000
    assert application["fees"]["lines"][0]["quantity"] == 12
    assert citizen.get("/api/parking/permits").get_json() == []
    pay(application["id"])

    after = citizen.get(f"/api/applications/{application['id']}").get_json()
    assert after["status"] == "completed"
    permit = only_permit(citizen)
    today = local_today()
    assert permit["number"].startswith(f"DN-{today.year}-")
    assert permit["state"] == "valid" and permit["status"] == "active"
    assert (permit["zone"], permit["plates"], permit["sequence"]) == ("A", ["DN-AB 123"], 1)
    assert permit["valid_from"] == today.isoformat()
    assert permit["valid_to"] == (add_months(today, 12) - timedelta(days=1)).isoformat()

    # A scanner with nothing but the published key set verifies the pass.
    anonymous = make_client()
    keyset = published_keyset(anonymous)
    verdict = verify_pass(permit["pass_text"], keyset, zone="A")
    assert verdict.valid, verdict
    assert verdict.permit_no == permit["number"] and verdict.plates == ("DN-AB 123",)
    assert verify_pass(permit["pass_text"], keyset, zone="B").reason == "wrong_zone"

    inbox = citizen.get("/api/inbox").get_json()
    delivered = [m for m in inbox if m["kind"] == "parking_permit"]
    assert len(delivered) == 1 and delivered[0]["document"]["content_type"] == "application/pdf"
    assert permit["number"] in delivered[0]["subject"]
    timeline = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    assert [e["to_status"] for e in timeline if e["kind"] == "status"] == [
        "submitted",
        "approved",
        "completed",
    ]


@pytest.mark.parametrize("dpi", [300, 150, 96])
def test_qr_png_decodes_at_print_resolutions(signed_in, make_client, dpi):
    citizen = signed_in(f"qr{dpi}@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    response = citizen.get(f"/api/parking/permits/{permit['id']}/qr.png?dpi={dpi}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = png_image(response.get_data())
    # 50 mm symbol plus quiet zone at the requested resolution.
    assert image.width >= 50 / 25.4 * dpi
    texts = decode_qr(image)
    assert texts == [permit["pass_text"]]
    assert verify_pass(texts[0], published_keyset(make_client()), zone="A").valid


def test_qr_svg_is_vector_and_at_least_50_mm(signed_in):
    citizen = signed_in("svg@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    response = citizen.get(f"/api/parking/permits/{permit['id']}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<path" in svg and "<image" not in svg and 'mm"' in svg
    again = citizen.get(
        f"/api/parking/permits/{permit['id']}/qr.svg",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


@pytest.mark.parametrize("dpi", [300, 150])
def test_print_at_home_pdf_rasterised_decodes_and_verifies(signed_in, make_client, dpi):
    citizen = signed_in(f"pdf{dpi}@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    response = citizen.get(f"/api/parking/permits/{permit['id']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pdf = response.get_data()
    assert pdf.startswith(b"%PDF")
    pages = rasterise_pdf(pdf, dpi)
    assert len(pages) == 1
    texts = decode_qr(pages[0])
    assert texts == [permit["pass_text"]]
    verdict = verify_pass(texts[0], published_keyset(make_client()), zone="A")
    assert verdict.valid and verdict.permit_no == permit["number"]
    # The same PDF reached the inbox.
    inbox = citizen.get("/api/inbox").get_json()
    document = next(m["document"] for m in inbox if m["kind"] == "parking_permit")
    assert citizen.get(f"/api/documents/{document['id']}").get_data() == pdf


def test_fee_is_pro_rata_per_month(signed_in):
    citizen = signed_in("fee@example.org")
    for months, cents, key in ((6, 1500, "a"), (18, 4500, "b"), (24, 6000, "c")):
        application = apply(citizen, answers(months=months), key=key)
        assert application["fee_cents"] == cents


def test_expired_and_not_yet_valid_passes(signed_in, make_client):
    citizen = signed_in("time@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    keyset = published_keyset(make_client())
    valid_to = date.fromisoformat(permit["valid_to"])
    valid_from = date.fromisoformat(permit["valid_from"])
    text = permit["pass_text"]
    assert verify_pass(text, keyset, today=valid_to).valid
    assert verify_pass(text, keyset, today=valid_to + timedelta(days=1)).reason == "expired"
    assert verify_pass(text, keyset, today=valid_from - timedelta(days=1)).reason == "not_yet_valid"


def test_paying_with_the_sandbox_provider_issues_the_permit(signed_in, make_client):
    # The real payment path (payments module, sandbox provider "test mode") instead of
    # the simulated hook: payment.succeeded starts the workflow, the rules approve.
    from tests.payments.helpers import sandbox_decide

    citizen = signed_in("sandbox-payer@example.org")
    application = apply(citizen)
    started = citizen.post(
        "/api/payments",
        json={
            "subject_type": "application",
            "subject_id": application["id"],
            "provider": "sandbox",
            "return_path": f"/antraege/{application['id']}",
        },
    )
    assert started.status_code == 201, started.get_json()
    assert started.get_json()["amount_cents"] == 3000
    sandbox_decide(citizen, started.get_json(), "pay")
    after = citizen.get(f"/api/applications/{application['id']}").get_json()
    assert after["status"] == "completed"
    permit = only_permit(citizen)
    assert verify_pass(permit["pass_text"], published_keyset(make_client()), zone="A").valid
