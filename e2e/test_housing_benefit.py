"""Wohngeld on a phone: a citizen fills in the housing benefit application (household,
income with proof, rent with tenancy agreement, IBAN), confirms the account with the
Online-Ausweis in the eID simulator from the check page, sends it; a clerk of area
wohngeld approves it, changing the proposed monthly amount, and the citizen's notice
states the clerk's amount. axe checks every page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, form_page, screenshot, server_applications, sign_in
from e2e.test_eid import start_eid
from e2e.test_services_journey import run_page
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.browser

# A test identity no other browser test binds (a card stays bound for the session).
IDENTITY = "Anna Schneider (Personalausweis, wohnt zur Miete in Düren)"

PROFILE = {
    "given_names": "Erika",
    "family_name": "Wohngeld",
    "street": "Kaiserplatz",
    "house_number": "2",
    "postal_code": "52349",
    "city": "Düren",
}

# What to do on each page, by its address; pages not listed need nothing.
ACTIONS = {
    "kind_step": [
        ("radio", "Ich wohne zur Miete (Mietzuschuss)"),
        ("radio", "Ja, das ist mein erster Antrag"),
    ],
    "household_step": [
        ("check", "Außer mir wohnen weitere Personen in meinem Haushalt."),
        ("fill", "Vor- und Familienname", "Mia Wohngeld"),
        ("fill", "Geburtsdatum", "2016-02-11"),
        ("select", "Beziehung zu Ihnen", "child"),
    ],
    "income_step": [
        ("check", "Ich oder jemand in meinem Haushalt hat Einkommen."),
        ("fill", "Wer bekommt dieses Einkommen?", "Erika Wohngeld"),
        ("select", "Art des Einkommens", "employment"),
        ("fill", "Betrag im Monat (brutto, in Euro)", "1650"),
        ("file", "Nachweise über das Einkommen", "lohn.pdf"),
    ],
    "home_step": [
        ("fill", "Miete im Monat (in Euro)", "610"),
        ("radio", "Nein"),
        ("fill", "Wohnfläche (in Quadratmetern)", "64"),
        ("fill", "Seit wann wohnen Sie dort?", "2021-08-01"),
        ("file", "Mietvertrag und, wenn vorhanden, die letzte Mieterhöhung", "mietvertrag.pdf"),
    ],
    "payment_step": [
        ("fill", "Kontoinhaber/in", "Erika Wohngeld"),
        ("fill", "IBAN für die Auszahlung", "DE89370400440532013000"),
    ],
    "confirm": [
        (
            "check",
            "Meine Angaben sind richtig und vollständig. Änderungen teile ich der "
            "Wohngeldstelle sofort mit.",
        )
    ],
}


ALL_ACTIONS = [action for actions in ACTIONS.values() for action in actions]


def _visible(page, action) -> bool:
    kind, target = action[0], action[1]
    if kind == "radio":
        return page.get_by_role("radio", name=target, exact=True).count() > 0
    if kind == "check":
        return page.get_by_role("checkbox", name=target).count() > 0
    return page.get_by_label(target, exact=kind in ("fill", "select")).count() > 0


def test_apply_for_housing_benefit_with_the_online_ausweis(phone, desktop, live_server):
    sign_in(phone, "erika.wohngeld@example.org", **PROFILE)
    page = phone.new_page()
    page.goto("/leistungen/housing_benefit")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wohngeld beantragen")
    assert_accessible(page, "housing-benefit-start")
    page.get_by_role("button", name="Antrag starten").click()
    done: set[tuple] = set()
    for _ in range(20):
        key = form_page(page)
        if key == "pruefen":
            break
        assert_accessible(page, f"housing-benefit-{key}")
        # Pages are one question or a small group (a step may be split, a repeat item
        # has its own page): do whatever of the journey this page shows.
        todo = [a for a in ALL_ACTIONS if a not in done and _visible(page, a)]
        run_page(page, todo)
        done.update(todo)
        page.get_by_role("button", name="Weiter").click()
        expect(page).not_to_have_url(re.compile(f"/{re.escape(key)}$"))
    assert done == set(ALL_ACTIONS)

    # The check page: free of charge; sending needs the Online-Ausweis.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    expect(page.get_by_text("Diese Leistung ist kostenlos.")).to_be_visible()
    expect(page.get_by_text("Zum Senden brauchen Sie den Online-Ausweis.")).to_be_visible()
    assert_accessible(page, "housing-benefit-check")
    check_path = urlsplit(page.url).path
    page.get_by_role("link", name="Mit Online-Ausweis bestätigen").click()
    start_eid(page, live_server)
    page.get_by_role("link", name="Simulierte AusweisApp öffnen (Testmodus)").click()
    page.get_by_label(IDENTITY).check()
    page.locator("#pin").fill("123456")
    page.locator("button[value=identify]").click()
    page.wait_for_url(re.compile(r"/konto/ausweis-daten\?weiter="))
    page.get_by_role("button", name="Meine Angaben behalten").click()
    page.wait_for_url(re.compile(re.escape(check_path) + "$"))

    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    assert_accessible(page, "housing-benefit-sent")
    screenshot(page, "housing-benefit-sent")
    sent = server_applications(phone)
    assert [a["service_id"] for a in sent] == ["housing_benefit"]
    assert sent[0]["status"] == "submitted" and sent[0]["fee_cents"] == 0
    answers = sent[0]["answers"]
    assert answers["household_members"][0]["member_name"] == "Mia Wohngeld"
    assert answers["incomes"][0]["income_monthly"] == 1650
    assert answers["rental_contract"][0]["filename"] == "mietvertrag.pdf"

    # A clerk of area wohngeld finds it in the queue.
    sign_in(desktop, "wohngeld.sachbearbeitung@example.org", "staff", ("wohngeld",))
    items = desktop.request.get("/api/staff/applications?limit=200").json()["items"]
    assert sent[0]["reference"] in {item["reference"] for item in items}
    approve_with_another_amount(desktop, phone, sent[0])


def approve_with_another_amount(desktop, phone, application: dict) -> None:
    """The clerk approves: amount and period come proposed, the clerk corrects the
    amount (a wrong entry is named at the field first); the notice states it."""
    clerk = desktop.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Wohngeld beantragen")
    detail = desktop.request.get(f"/api/staff/applications/{application['reference']}").json()
    approve = next(a for a in detail["staff_actions"] if a["to"] == "approved")
    proposed = {field["id"]: field["value"] for field in approve["fields"]}
    assert proposed["monthly_amount_cents"] > 0

    clerk.get_by_role("radio", name="Genehmigt").check()
    amount = clerk.get_by_label("Wohngeld im Monat (in Euro)")
    euros, cents = divmod(proposed["monthly_amount_cents"], 100)
    expect(amount).to_have_value(f"{euros},{cents:02d}")
    expect(clerk.get_by_label("Bewilligt vom")).to_have_value(proposed["period_from"])
    expect(clerk.get_by_label("Bewilligt bis")).to_have_value(proposed["period_to"])
    expect(clerk.get_by_text("Vorschlag aus den Angaben im Antrag.")).to_be_visible()
    assert_accessible(clerk, "housing-benefit-decision")

    # A slip is named at its field and nothing is decided.
    amount.fill("viel")
    clerk.get_by_role("button", name="Stand ändern").click()
    expect(clerk.locator("#decision-monthly_amount_cents-error")).to_contain_text(
        "Bitte geben Sie einen Betrag in Euro ein"
    )
    expect(amount).to_have_attribute("aria-invalid", "true")
    assert_accessible(clerk, "housing-benefit-decision-error")
    screenshot(clerk, "housing-benefit-decision-form")
    # With the keyboard: back into the amount, the corrected figure, Enter sends.
    amount.focus()
    clerk.keyboard.press("Control+A")
    clerk.keyboard.type("456,78")
    clerk.keyboard.press("Enter")
    expect(clerk.get_by_text("Stand geändert: Genehmigt.")).to_be_visible()
    history = clerk.locator(".timeline")
    expect(history).to_contain_text("Wohngeld im Monat (in Euro)")
    expect(history).to_contain_text("456,78 €")
    assert_accessible(clerk, "housing-benefit-decided")
    screenshot(clerk, "housing-benefit-decision-values")

    # The citizen's notice states the clerk's amount.
    inbox = phone.request.get("/api/inbox").json()
    notice = next(
        m for m in inbox if m["kind"] == "decision" and m["application_id"] == application["id"]
    )
    pdf = phone.request.get(f"/api/documents/{notice['document']['id']}").body()
    text = pdf_text(pdf)
    assert "Wohngeld in Höhe von 456,78 € im Monat" in text
    page = phone.new_page()
    page.goto(f"/antraege/{application['id']}")
    expect(page.locator(".timeline")).to_contain_text("456,78 €")
    assert_accessible(page, "housing-benefit-citizen-decided")


def test_estimate_before_applying_is_labelled_non_binding(phone):
    page = phone.new_page()
    # The service's start page links to the estimate (its definition's related_pages).
    page.goto("/leistungen/housing_benefit")
    related = page.get_by_role("region", name="Mehr zu dieser Leistung")
    related.get_by_role("link", name="Vorher unverbindlich schätzen").click()
    expect(page).to_have_url(re.compile(r"/wohngeld/schaetzen$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wohngeld unverbindlich schätzen")
    assert_accessible(page, "housing-benefit-estimate")
    # A missing figure is named at its field and in the summary.
    page.get_by_role("button", name="Schätzen").click()
    expect(page.locator("#wg-rent-error")).to_contain_text("Bitte geben Sie eine Zahl ein.")
    assert_accessible(page, "housing-benefit-estimate-errors")
    page.get_by_label("Wie viele Personen leben in Ihrem Haushalt?").fill("2")
    page.get_by_label("Miete im Monat ohne Heizkosten (in Euro)").fill("600")
    page.get_by_label("Woher kommt das Einkommen Ihres Haushalts vor allem?").select_option(
        "employment"
    )
    page.get_by_label("Einkommen des ganzen Haushalts im Monat, brutto (in Euro)").fill("1500")
    page.get_by_role("button", name="Schätzen").click()
    expected = phone.request.post(
        "/api/wohngeld/estimate",
        data={
            "members": 2,
            "rent_or_burden": 600,
            "incomes": [{"kind": "employment", "monthly_amount": 1500}],
        },
    ).json()
    assert expected["monthly_amount"] > 0
    result = page.get_by_role("status").filter(has_text="Unverbindliche Schätzung")
    expect(result).to_contain_text(f"Etwa {expected['monthly_amount']} € Wohngeld im Monat")
    expect(result).to_contain_text("kein Bescheid")
    assert_accessible(page, "housing-benefit-estimate-result")
    screenshot(page, "housing-benefit-estimate")
    page.get_by_role("link", name="Wohngeld beantragen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wohngeld beantragen")
