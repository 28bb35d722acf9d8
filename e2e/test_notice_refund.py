"""A dog de-registered after the year's tax was collected: the notice shows the refund,
the citizen can name another account (a wrong IBAN is refused with a clear message),
and once the treasury's transfer file is made the notice says the money was sent."""

from __future__ import annotations

import datetime
import json

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
    submit_application,
)
from tests.api.service_answers import complete_answers

pytestmark = pytest.mark.browser


def _post(context, path: str, body: dict | None = None):
    csrf = context.request.get("/api/auth/session").json()["csrf_token"]
    return context.request.post(
        path,
        data=json.dumps(body or {}),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )


def _decide(clerk, reference: str) -> None:
    for status in ("in_review", "approved"):
        moved = _post(clerk, f"/api/staff/applications/{reference}/transitions", {"to": status})
        assert moved.status == 200, moved.text()


def test_a_refund_goes_to_the_account_the_citizen_names(phone, desktop):
    today = datetime.date.today()
    sign_in(phone, "hund.erstattung@example.org", given_names="Erika", family_name="Musterfrau")
    answers = complete_answers("dog_tax_registration")
    answers["dogs"][0]["intake_date"] = today.replace(month=1, day=1).isoformat()
    registered = submit_application(phone, "dog_tax_registration", answers)
    sign_in(desktop, "sb.erstattung@example.org", role="staff", areas=("hundesteuer",))
    _decide(desktop, registered["reference"])
    # The treasury collects every instalment under the form's mandate.
    sign_in(desktop, "kasse.erstattung@example.org", role="staff", areas=("kasse",))
    until = datetime.date(today.year + 2, 1, 1).isoformat()
    assert _post(desktop, "/api/staff/payments/sepa-exports", {"until": until}).status == 201
    leaving = complete_answers("dog_tax_deregistration")
    leaving.update(event_date=today.isoformat(), dog_name=answers["dogs"][0]["dog_name"])
    ended = submit_application(phone, "dog_tax_deregistration", leaving)
    sign_in(desktop, "sb.erstattung@example.org", role="staff", areas=("hundesteuer",))
    _decide(desktop, ended["reference"])
    (notice,) = phone.request.get("/api/notices").json()
    refund = notice["refund"]
    assert refund["state"] == "scheduled" and refund["account_source"] == "mandate"

    page = phone.new_page()
    page.goto(f"/zahlungen/{notice['id']}")
    section = page.get_by_role("region", name="Erstattung")
    expect(section).to_contain_text("von dem wir die Steuer eingezogen haben")
    expect(section).to_contain_text(refund["iban"])
    page.get_by_role("button", name="Anderes Konto angeben").click()
    page.get_by_label("Kontoinhaberin oder Kontoinhaber").fill("Erika Musterfrau")
    page.get_by_label("IBAN").fill("DE02 1203 0000 0000 2020 5")
    page.get_by_role("button", name="Bankverbindung senden").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("IBAN")
    assert_accessible(page, "notice-refund-error")
    page.get_by_label("IBAN").fill("DE02 1203 0000 0000 2020 51")
    page.get_by_role("button", name="Bankverbindung senden").click()
    expect(section).to_contain_text("DE02 •••• 2051")
    expect(section).not_to_contain_text("von dem wir die Steuer eingezogen haben")
    assert_accessible(page, "notice-refund-scheduled")
    assert_no_horizontal_scroll(page, "notice-refund-scheduled")
    screenshot(page, "notice-refund-scheduled")

    sign_in(desktop, "kasse.erstattung@example.org", role="staff", areas=("kasse",))
    made = _post(desktop, "/api/staff/payments/refund-exports")
    assert made.status == 201, made.text()
    xml = desktop.request.get(made.json()["file_url"]).text()
    assert "<IBAN>DE02120300000000202051</IBAN>" in xml
    page.reload()
    expect(page.get_by_role("region", name="Erstattung")).to_contain_text("überwiesen")
    assert_accessible(page, "notice-refund-sent")
