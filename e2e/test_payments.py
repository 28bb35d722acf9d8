"""Paying on a phone through the built-in sandbox provider (Testmodus): an instalment of
a dog-tax notice, a civil status certificate's fee (paid before the application is
processed, with a failed first try), and the SEPA mandate and bank transfer screens."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    screenshot,
    sign_in,
    submit_application,
)

pytestmark = pytest.mark.browser

CIVIL_STATUS = {
    "certificate_type": "marriage",
    "register_number": "E 123/1990",
    "copies": 3,
    "purpose": "pension",
    "family_name": "Mustermann",
    "given_names": "Erika",
    "birth_name": "Gabler",
    "spouse_family_name": "Mustermann",
    "spouse_given_names": "Max",
    "event_date": "1990-05-18",
    "event_place": "Düren",
    "relationship": "self",
    "truthful": True,
}


def check_screen(page, name: str) -> None:
    assert_accessible(page, name)
    assert_touch_targets(page, name)
    assert_no_horizontal_scroll(page, name)
    screenshot(page, name)


def create_notice(desktop, email: str, kassenzeichen: str) -> dict:
    """A dog-tax notice (84 €, four quarterly instalments), made by a clerk's API call."""
    sign_in(desktop, "kasse.hundesteuer@example.org", role="staff", areas=("hundesteuer",))
    csrf = desktop.request.get("/api/auth/session").json()["csrf_token"]
    response = desktop.request.post(
        "/api/staff/notices",
        data=json.dumps(
            {
                "email": email,
                "kind": "dog_tax",
                "title": "Hundesteuer 2027",
                "kassenzeichen": kassenzeichen,
                "schedule": {"type": "quarterly", "year": 2027, "total_cents": 8400},
            }
        ),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert response.status == 201, response.text()
    return response.json()


def choose_and_continue(page, provider: str) -> None:
    page.get_by_role("radio", name=re.compile(f"^{re.escape(provider)}")).check()
    page.get_by_role("button", name="Weiter zur Zahlung").click()


def sandbox(page, button: str) -> None:
    """On the sandbox provider's page (Testmodus), press ``button``."""
    page.wait_for_url(re.compile(r"/payment-sandbox/[\w-]+$"))
    expect(page.get_by_text("Testmodus").first).to_be_visible()
    page.get_by_role("button", name=button, exact=True).click()


def returned(page, path: str, status: str) -> str:
    """Back from the provider at ``path`` with ``status``; returns the payment id."""
    page.wait_for_url(re.compile(re.escape(path) + r"[?&]payment=\w+&status=" + status + "$"))
    return parse_qs(urlsplit(page.url).query)["payment"][0]


def test_pay_a_dog_tax_instalment_and_download_the_receipt(phone, desktop):
    email = "hund.zahlt@example.org"
    sign_in(phone, email, given_names="Erika", family_name="Musterfrau")
    notice = create_notice(desktop, email, "HST-2027-E2E1")

    page = phone.new_page()
    page.goto("/postfach")
    page.get_by_role("link", name="Offene Zahlungen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Zahlungen")
    item = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name="Hundesteuer 2027")
    )
    expect(item).to_contain_text("Offen: 84,00 €")
    expect(item).to_contain_text("Nächste Rate fällig am 15.02.2027")
    expect(item).to_contain_text("HST-2027-E2E1")
    check_screen(page, "payments-notices")

    page.get_by_role("link", name="Hundesteuer 2027").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hundesteuer 2027")
    for number in range(1, 5):
        expect(page.get_by_role("link", name=f"Rate {number} bezahlen")).to_be_visible()
    expect(page.get_by_role("link", name="Alles auf einmal bezahlen (84,00 €)")).to_be_visible()
    check_screen(page, "payments-notice")

    page.get_by_role("link", name="Rate 1 bezahlen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Was Sie bezahlen")
    expect(page.locator("dl")).to_contain_text("21,00 €")
    expect(page.locator("dl")).to_contain_text("15.02.2027")
    # Every offered method; the ones that move no money say so.
    expect(page.get_by_role("radio", name="Testzahlung (Testmodus)")).to_be_visible()
    expect(page.get_by_role("radio", name="SEPA-Lastschrift (Testmodus)")).to_be_visible()
    expect(page.get_by_role("radio", name="Überweisung (Testmodus)")).to_be_visible()
    # Nothing chosen: the error names the question.
    page.get_by_role("button", name="Weiter zur Zahlung").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie, wie Sie bezahlen möchten.")
    check_screen(page, "payments-choose")

    choose_and_continue(page, "Testzahlung")
    sandbox(page, "Bezahlen")
    pay_path = f"/zahlungen/{notice['id']}/bezahlen?rate={notice['instalments'][0]['id']}"
    payment_id = returned(page, pay_path, "succeeded")
    expect(page.get_by_text("Vielen Dank! Die Zahlung ist erledigt.")).to_be_visible()
    expect(page.get_by_text("Testmodus: Es wurde kein Geld bewegt.")).to_be_visible()
    receipt = page.get_by_role("link", name="Zahlungsbeleg herunterladen (PDF)")
    expect(receipt).to_have_attribute("href", f"/api/payments/{payment_id}/receipt")
    pdf = phone.request.get(receipt.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    check_screen(page, "payments-paid")

    page.get_by_role("link", name="Zurück zum Bescheid").click()
    expect(page.get_by_role("link", name="Rate 1 bezahlen")).to_have_count(0)
    expect(page.get_by_role("link", name="Rate 2 bezahlen")).to_be_visible()
    first = page.get_by_role("listitem").filter(has_text="Rate 1:")
    expect(first).to_contain_text("Bezahlt")
    expect(page.locator("dl")).to_contain_text("63,00 €")
    expect(
        page.get_by_role("link", name=re.compile("^Zahlungsbeleg für Hundesteuer 2027, Rate 1"))
    ).to_be_visible()
    detail = phone.request.get(f"/api/notices/{notice['id']}").json()
    assert [i["paid"] for i in detail["instalments"]] == [True, False, False, False]
    assert detail["payments"][0]["id"] == payment_id
    assert detail["payments"][0]["status"] == "succeeded"


def test_pay_a_certificate_fee_after_a_failed_try(phone):
    sign_in(phone, "urkunde.zahlt@example.org", given_names="Erika", family_name="Mustermann")
    application = submit_application(phone, "civil_status_certificate", CIVIL_STATUS)
    assert application["status"] == "awaiting_payment"
    page = phone.new_page()
    page.goto(f"/antraege/{application['id']}")
    expect(page.locator(".kern-badge").first).to_have_text("Wartet auf Ihre Zahlung")
    expect(page.get_by_text("Bitte bezahlen Sie die Gebühr von 24,00 €.")).to_be_visible()
    check_screen(page, "payments-application-detail")
    page.get_by_role("link", name="Jetzt bezahlen").click()
    pay_path = f"/antraege/{application['id']}/bezahlen"
    page.wait_for_url(re.compile(re.escape(pay_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gebühr bezahlen")
    expect(page.locator("tfoot")).to_contain_text("24,00 €")
    check_screen(page, "payments-application")

    # The provider declines: nothing changes, and the citizen can try again at once.
    choose_and_continue(page, "Testzahlung")
    sandbox(page, "Zahlung fehlschlagen lassen")
    returned(page, pay_path, "failed")
    expect(page.get_by_text("Die Zahlung hat nicht geklappt.")).to_be_visible()
    expect(page.get_by_text("Es wurde nichts abgebucht.")).to_be_visible()
    expect(page.locator("#application-status")).to_have_text("Wartet auf Ihre Zahlung")
    expect(page.get_by_role("heading", name="Noch einmal versuchen")).to_be_visible()
    check_screen(page, "payments-failed")
    status = phone.request.get(f"/api/applications/{application['id']}").json()["status"]
    assert status == "awaiting_payment"

    choose_and_continue(page, "Testzahlung")
    sandbox(page, "Bezahlen")
    returned(page, pay_path, "succeeded")
    expect(page.get_by_text("Vielen Dank! Die Zahlung ist erledigt.")).to_be_visible()
    expect(page.get_by_text("Ihr Antrag hat jetzt den Stand:")).to_contain_text("Eingereicht")
    expect(page.locator("#application-status")).to_have_text("Eingereicht")
    assert (
        phone.request.get(f"/api/applications/{application['id']}").json()["status"] == "submitted"
    )
    page.get_by_role("link", name="Zum Antrag").click()
    expect(page.locator(".kern-badge").first).to_have_text("Eingereicht")
    expect(page.get_by_role("link", name="Jetzt bezahlen")).to_have_count(0)


def test_sepa_mandate_and_bank_transfer(phone, desktop):
    email = "lastschrift@example.org"
    sign_in(phone, email, given_names="Erika", family_name="Musterfrau")
    notice = create_notice(desktop, email, "HST-2027-E2E2")
    page = phone.new_page()

    # SEPA direct debit for instalment 2: the mandate form with its checks.
    second = notice["instalments"][1]
    page.goto(f"/zahlungen/{notice['id']}/bezahlen?rate={second['id']}")
    choose_and_continue(page, "SEPA-Lastschrift")
    expect(page.get_by_role("heading", name="SEPA-Lastschrift erteilen")).to_be_visible()
    expect(page.get_by_text("Gläubiger-Identifikationsnummer")).to_be_visible()
    expect(page.get_by_text("innerhalb von 8 Wochen")).to_be_visible()
    check_screen(page, "payments-sepa")
    page.get_by_role("button", name="Lastschrift erteilen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Bitte bestätigen Sie das Lastschriftmandat")
    # Typed key by key, as a citizen does: the error summary must not take the focus
    # back after each keystroke.
    holder = page.get_by_label("Kontoinhaberin oder Kontoinhaber")
    holder.click()
    holder.press_sequentially("Erika Musterfrau")
    expect(holder).to_have_value("Erika Musterfrau")
    expect(holder).to_be_focused()
    holder.press("Tab")
    iban = page.get_by_label("IBAN")
    expect(iban).to_be_focused()
    iban.press_sequentially("DE89 3704 0044 0532 0130 01")
    expect(iban).to_have_value("DE89 3704 0044 0532 0130 01")
    iban.press("Tab")
    expect(page.get_by_text("In der IBAN ist ein Tippfehler").first).to_be_visible()
    assert_accessible(page, "payments-sepa-errors")
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_role("checkbox", name="Ich erteile dieses SEPA-Lastschriftmandat.").check()
    page.get_by_role("button", name="Lastschrift erteilen").click()
    expect(page.get_by_text("Vielen Dank! Die Zahlung ist erledigt.")).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(r"Wir buchen 21,00\s€ am \d\d\.\d\d\.\d{4} von Ihrem Konto DE89")
        )
    ).to_be_visible()
    assert_accessible(page, "payments-sepa-done")
    detail = phone.request.get(f"/api/notices/{notice['id']}").json()
    assert [i["paid"] for i in detail["instalments"]] == [False, True, False, False]

    # Bank transfer for instalment 3: the details and the GiroCode; it stays open.
    third = notice["instalments"][2]
    pay_path = f"/zahlungen/{notice['id']}/bezahlen?rate={third['id']}"
    page.goto(pay_path)
    choose_and_continue(page, "Überweisung")
    expect(page.get_by_role("heading", name="Bitte überweisen Sie den Betrag")).to_be_visible()
    details = page.locator("dl").last
    expect(details).to_contain_text("HST-2027-E2E2")
    expect(details).to_contain_text("21,00 €")
    expect(details).to_contain_text("15.08.2027")
    expect(details).to_contain_text("DE89 3704 0044 0532 0130 00")
    girocode = page.get_by_role("img", name="GiroCode mit den Überweisungsdaten")
    expect(girocode).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=girocode.element_handle()
    )
    check_screen(page, "payments-transfer")
    # Coming back later: the transfer begun is offered again.
    page.goto(pay_path)
    expect(page.get_by_text("Sie haben eine Überweisung von 21,00 € begonnen")).to_be_visible()
    page.get_by_role("link", name="Überweisungsdaten ansehen").click()
    expect(page.get_by_role("heading", name="Bitte überweisen Sie den Betrag")).to_be_visible()

    # The overview lists the receipts and the transfer still expected.
    page.goto("/zahlungen")
    history = page.locator("section").filter(
        has=page.get_by_role("heading", name="Ihre Zahlungen und Belege")
    )
    expect(
        history.get_by_role("link", name=re.compile("^Zahlungsbeleg für Hundesteuer 2027, Rate 2"))
    ).to_be_visible()
    expect(history).to_contain_text("Überweisung erwartet")
    assert_accessible(page, "payments-overview")

    # The same overview in English.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open payments")
    expect(page.get_by_role("heading", name="Your payments and receipts")).to_be_visible()
    assert_accessible(page, "payments-overview-en")
