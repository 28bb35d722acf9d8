"""A dog registered with a SEPA mandate in the form: after approval the notice is pro
rata from the month of intake, says it is collected by direct debit (no pay buttons),
and the treasury's pain.008 file carries its instalments."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    post_json,
    screenshot,
    sign_in,
    submit_application,
)

pytestmark = pytest.mark.browser


def _intake(today: datetime.date) -> datetime.date:
    # October as the issue describes it; before October, the first of this month (a
    # date in the future would be refused by the form).
    october = datetime.date(today.year, 10, 3)
    return october if today >= october else today.replace(day=1)


def test_dog_with_mandate_gets_a_pro_rata_notice_collected_by_direct_debit(phone, desktop):
    today = datetime.date.today()
    intake = _intake(today)
    email = "hund.lastschrift@example.org"
    sign_in(phone, email, given_names="Erika", family_name="Musterfrau")
    answers = {
        "holder_address": {"street": "Kaiserplatz", "house_number": "2"},
        "dogs": [
            {
                "dog_name": "Bello",
                "breed": "Labrador",
                "dangerous": False,
                "origin": "shelter",
                "intake_date": intake.isoformat(),
            }
        ],
        "sepa_mandate": True,
        "account_holder": "Erika Musterfrau",
        "iban": "DE89 3704 0044 0532 0130 00",
        "truthful": True,
    }
    application = submit_application(phone, "dog_tax_registration", answers)
    sign_in(desktop, "sb.hundesteuer@example.org", role="staff", areas=("hundesteuer",))
    # The clerk approves in one step.
    moved = post_json(
        desktop,
        f"/api/staff/applications/{application['reference']}/transitions",
        {"to": "approved"},
    )
    assert moved.status == 200, moved.text()
    (notice,) = phone.request.get("/api/notices").json()
    reference = notice["mandate"]["reference"]

    page = phone.new_page()
    page.goto(f"/zahlungen/{notice['id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hund zur Hundesteuer anmelden")
    expect(page.get_by_role("heading", name="Wird per Lastschrift eingezogen")).to_be_visible()
    expect(page.get_by_text(reference)).to_be_visible()
    expect(page.get_by_text("DE89 •••• 3000", exact=False)).to_be_visible()
    months = 13 - intake.month
    expect(
        page.get_by_text(
            f"Zeitraum {intake.month}/{intake.year} bis 12/{intake.year}: {months} × 7,00 €"
        )
    ).to_be_visible()
    # Every instalment names its collection day; nothing asks the citizen to pay.
    expect(page.get_by_text(re.compile(r"^wird am .* per Lastschrift eingezogen$"))).to_have_count(
        len(notice["instalments"])
    )
    expect(page.get_by_role("link", name=re.compile("bezahlen"))).to_have_count(0)
    assert_accessible(page, "dog-tax-debit-notice")
    assert_touch_targets(page, "dog-tax-debit-notice")
    assert_no_horizontal_scroll(page, "dog-tax-debit-notice")
    screenshot(page, "dog-tax-debit-notice")

    sign_in(desktop, "kasse.lastschrift@example.org", role="staff", areas=("kasse",))
    until = datetime.date(today.year + 2, 1, 1).isoformat()
    export = post_json(desktop, "/api/staff/payments/sepa-exports", {"until": until})
    assert export.status == 201, export.text()
    xml = desktop.request.get(export.json()["file_url"]).text()
    assert xml.count(f"<MndtId>{reference}</MndtId>") == len(notice["instalments"])
    assert notice["kassenzeichen"] in xml
