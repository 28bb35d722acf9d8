"""Business services in the browser, each end to end on a phone with the clerk at a
desk: closing a business (the form, the Online-Ausweis through the eID simulator, the
fee, the clerk's decision, the register entry closed, the acknowledgement in the
inbox); moving a business within the city (every form page, the Online-Ausweis, the fee
paid in the sandbox, the clerk approving in the workspace, the register entry at the
new address, the acknowledgement with the register number in the inbox); a simple trade
register information answered at once; and an extended one (the legal interest with a
proof, the fee paid, a clerk approving with the answer, which the citizen's document
states). axe checks every screen."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.applications import lifecycle
from app.db import db
from app.models import Application, BusinessRegisterEntry
from e2e.conftest import (
    assert_accessible,
    form_page,
    post_json,
    server_applications,
    sign_in,
)
from e2e.test_eid import start_eid
from e2e.test_payments import choose_and_continue, returned, sandbox
from e2e.test_services_journey import run_page
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.browser

# Simulator identities no other browser test binds (a card stays bound to the first
# account it confirms, for the whole run): one for the closing, one for the change.
IDENTITY = "Erika Mustermann mit neuem Ausweis"
CHANGE_IDENTITY = "Jan Werkmann (Personalausweis, meldet sein Gewerbe in Düren um)"
PROFILE = {
    "given_names": "Erika",
    "family_name": "Musterfrau",
    "street": "Kaiserplatz",
    "house_number": "2",
    "postal_code": "52349",
    "city": "Düren",
}
ENTRY = "G-2020-00901"
CHANGE_ENTRY = "G-2020-00902"
CHANGE_DATE = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()

# The Ummeldung, page by page (its address: step, part or repeat item) in order: the
# business as registered, then its move within the city.
CHANGE_PAGES = {
    "persons-1": [
        ("fill", "Familienname", "Werkmann"),
        ("fill", "Vornamen", "Jan"),
        ("fill", "Geburtsdatum", "1975-04-09"),
        ("select", "Funktion", "owner"),
    ],
    "business-1": [
        ("fill", "Nummer im Gewerberegister (wenn bekannt)", CHANGE_ENTRY),
        ("select", "Rechtsform", "sole_proprietor"),
        ("fill", "Geschäftsbezeichnung (wenn vorhanden)", "Demo-Radwerkstatt"),
        ("fill", "Straße", "Kaiserplatz"),
        ("fill", "Hausnummer", "5"),
    ],
    "business-2": [
        ("radio", "Hauptniederlassung"),
        ("select", "Wirtschaftsbereich", "craft"),
        ("fill", "Tätigkeit (bitte genau beschreiben)", "Reparatur von Fahrrädern"),
    ],
    "change-1": [
        ("radio", "Der Betrieb zieht innerhalb von Düren um"),
        # The new address is asked only for a move, on the same page.
        ("fill", "Straße", "Weierstraße"),
        ("fill", "Hausnummer", "14"),
        ("fill", "Die Änderung gilt ab", CHANGE_DATE),
        ("fill", "Beschäftigte in Vollzeit", "1"),
    ],
    "branches-0": [],
    "contact": [],
    "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
}

# The extended information: which business, which data and why (with a proof).
LEGAL_INTEREST = (
    "Rechnung 2026-117 vom 3. November 2026 über 1.240 Euro ist offen; "
    "ich will die Forderung gerichtlich geltend machen."
)
EXTENDED_PAGES = {
    "query": [
        ("fill", "Name des Betriebs oder der Inhaberin / des Inhabers", "Muster Elektro"),
        ("fill", "Straße", "Oberstraße"),
        ("fill", "Hausnummer", "12"),
    ],
    "interest": [
        ("fill", "Welche Angaben brauchen Sie?", "Namen und Anschriften der Gesellschafter"),
        ("fill", "Warum brauchen Sie die Angaben? (rechtliches Interesse)", LEGAL_INTEREST),
        ("file", "Nachweise (zum Beispiel Rechnung, Titel)", "rechnung.pdf"),
    ],
    "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
}
ANSWER = "Gesellschafter sind Max Demo und Petra Demo, beide Oberstraße 12, 52349 Düren."


def _paid(application_id: str) -> None:
    with db.connection_context():
        lifecycle.enter_workflow(Application.get_by_id(application_id))


def _next(page) -> None:
    page.get_by_role("button", name="Weiter").click()


def _on(page, key: str, name: str) -> None:
    page.wait_for_url(re.compile(f"/{re.escape(key)}$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, name)


def _through_pages(page, pages: dict[str, list], name: str) -> None:
    """From the first form page to the check page: on each page (checked by axe) do
    what ``pages`` says for its address; the pages must come exactly in that order."""
    seen: list[str] = []
    while True:
        key = form_page(page)
        if key == "pruefen":
            break
        assert key in pages and key not in seen, f"{name}: page {key} after {seen}"
        seen.append(key)
        assert_accessible(page, f"{name}-{key}")
        run_page(page, pages[key])
        _next(page)
        expect(page).not_to_have_url(re.compile(f"/{re.escape(key)}$"))
    assert seen == list(pages), f"{name}: pages {seen}"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")


def _pay_in_the_sandbox(page, application: dict, name: str) -> None:
    """From the sent page: pay the fee with the sandbox provider (Testmodus); the
    application is submitted then."""
    page.get_by_role("link", name="Jetzt bezahlen").first.click()
    pay_path = f"/antraege/{application['id']}/bezahlen"
    page.wait_for_url(re.compile(re.escape(pay_path) + "$"))
    expect(page.locator("tfoot")).to_contain_text(f"{application['fee_cents'] // 100},00 €")
    assert_accessible(page, f"{name}-pay")
    choose_and_continue(page, "Testzahlung")
    page.wait_for_url(re.compile(r"/payment-sandbox/[\w-]+$"))
    expect(page.get_by_role("button", name="Bezahlen", exact=True)).to_be_visible()
    assert_accessible(page, f"{name}-provider")
    sandbox(page, "Bezahlen")
    returned(page, pay_path, "succeeded")
    expect(page.get_by_text("Vielen Dank! Die Zahlung ist erledigt.")).to_be_visible()
    expect(page.locator("#application-status")).to_have_text("Eingereicht")
    assert_accessible(page, f"{name}-paid")


def _open_in_the_workspace(desktop, application: dict, title: str, name: str):
    """A clerk of area gewerbe finds the case in the queue and opens it."""
    sign_in(desktop, f"sb.{name}@example.org", role="staff", areas=("gewerbe",))
    clerk = desktop.new_page()
    clerk.goto("/sachbearbeitung")
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Eingang")
    row = clerk.get_by_role("row").filter(has_text=application["reference_display"])
    expect(row).to_contain_text("Neu eingegangen")
    assert_accessible(clerk, f"{name}-queue")
    row.get_by_role("link", name=application["reference_display"]).click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text(title)
    return clerk


def _approve(clerk, name: str, message: str | None = None) -> None:
    """Approve in the decision form, with the service's message or ``message``."""
    clerk.get_by_role("radio", name="Genehmigt").check()
    field = clerk.get_by_label("Nachricht an die Antragstellerin oder den Antragsteller")
    expect(field).to_have_value(re.compile(r"^Guten Tag,"))
    if message is not None:
        field.fill(message)
    assert_accessible(clerk, f"{name}-decision")
    clerk.get_by_role("button", name="Stand ändern").click()
    expect(clerk.get_by_text("Stand geändert: Genehmigt.")).to_be_visible()
    assert_accessible(clerk, f"{name}-decided")


def _document_in_the_inbox(
    phone, page, application: dict, service: str, subject: str, kind: str, name: str
) -> str:
    """The citizen opens the application's thread in the inbox, finds the message
    about the document ``subject`` and downloads it; returns the document's text."""
    reference = application["reference_display"]
    page.goto("/postfach")
    thread = page.get_by_role(
        "link", name=re.compile(f"^{re.escape(service)}.*Aktenzeichen {re.escape(reference)}$")
    )
    expect(thread).to_be_visible()
    assert_accessible(page, f"{name}-inbox")
    thread.click()
    expect(page).to_have_url(re.compile(f"/postfach/verlauf/{application['id']}$"))
    expect(page.get_by_text(f"{subject} zu Ihrem Antrag {reference}").first).to_be_visible()
    assert_accessible(page, f"{name}-inbox-thread")
    download = page.get_by_role("link", name=re.compile(f"^{kind} .*herunterladen$"))
    expect(download).to_be_visible()
    pdf = phone.request.get(download.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    return pdf_text(pdf.body())


def _confirm_with_online_ausweis(page, live_server: str, identity: str, name: str) -> None:
    """From the check page through the eID simulator with ``identity`` and back."""
    check_path = urlsplit(page.url).path
    page.get_by_role("link", name="Mit Online-Ausweis bestätigen").click()
    start_eid(page, live_server)
    page.get_by_role("link", name="Simulierte AusweisApp öffnen (Testmodus)").click()
    page.wait_for_url(re.compile(r"/api/eid/simulator/client\?tcTokenURL="))
    page.get_by_label(identity).check()
    page.locator("#pin").fill("123456")
    page.locator("button[value=identify]").click()
    page.wait_for_url(re.compile(r"/konto/ausweis-daten\?weiter="))
    assert_accessible(page, f"{name}-eid-data")
    page.get_by_role("button", name="Meine Angaben behalten").click()
    page.wait_for_url(re.compile(re.escape(check_path) + "$"))


def test_closing_a_business_with_the_online_ausweis(phone, desktop, live_server):
    with db.connection_context():
        BusinessRegisterEntry.delete().where(BusinessRegisterEntry.number == ENTRY).execute()
        BusinessRegisterEntry.create(
            number=ENTRY,
            name="Erika Musterfrau",
            trade_name="Demo-Nähstube",
            legal_form="sole_proprietor",
            street="Kaiserplatz",
            house_number="2",
            postal_code="52349",
            city="Düren",
            activity="Änderungsschneiderei",
        )
    sign_in(phone, "gewerbe.abmeldung@example.org", **PROFILE)
    page = phone.new_page()
    page.goto("/leistungen/business_deregistration")
    assert_accessible(page, "business-deregistration-start")
    page.get_by_role("button", name="Antrag starten").click()

    _on(page, "persons-1", "business-deregistration-persons")
    page.get_by_label("Familienname", exact=True).fill("Musterfrau")
    page.get_by_label("Vornamen", exact=True).fill("Erika")
    page.get_by_label("Geburtsdatum", exact=True).fill("1964-08-12")
    page.get_by_label("Funktion", exact=True).select_option("owner")
    _next(page)
    _on(page, "business-1", "business-deregistration-business")
    page.get_by_label("Nummer im Gewerberegister (wenn bekannt)").fill(ENTRY)
    page.get_by_label("Rechtsform", exact=True).select_option("sole_proprietor")
    page.get_by_label("Geschäftsbezeichnung (wenn vorhanden)").fill("Demo-Nähstube")
    page.get_by_label("Straße", exact=True).fill("Kaiserplatz")
    page.get_by_label("Hausnummer", exact=True).fill("2")
    _next(page)
    _on(page, "business-2", "business-deregistration-activity")
    page.get_by_role("radio", name="Hauptniederlassung").check()
    page.get_by_label("Tätigkeit (bitte genau beschreiben)").fill("Änderungsschneiderei")
    _next(page)
    _on(page, "closing-1", "business-deregistration-closing")
    page.get_by_role("radio", name="Den ganzen Betrieb").check()
    end = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    page.get_by_label("Der Betrieb endet am").fill(end)
    page.get_by_role("radio", name="Aufgabe des Betriebs").check()
    # The cause is asked only for a closure.
    page.get_by_label("Ursache der Aufgabe").select_option("economic")
    _next(page)
    _on(page, "closing-2", "business-deregistration-staff")
    page.get_by_label("Beschäftigte zuletzt in Vollzeit").fill("0")
    _next(page)
    _on(page, "contact", "business-deregistration-contact")
    _next(page)
    _on(page, "confirm", "business-deregistration-confirm")
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    _next(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    expect(page.locator("tfoot")).to_contain_text("15,00 €")
    expect(page.get_by_text("Zum Senden brauchen Sie den Online-Ausweis.")).to_be_visible()
    assert_accessible(page, "business-deregistration-check")
    _confirm_with_online_ausweis(page, live_server, IDENTITY, "business-deregistration")
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    assert_accessible(page, "business-deregistration-sent")
    (application,) = server_applications(phone)
    assert application["service_id"] == "business_deregistration"
    assert application["status"] == "awaiting_payment"
    assert application["fee_cents"] == 1500

    _paid(application["id"])
    with db.connection_context():
        assert BusinessRegisterEntry.get(BusinessRegisterEntry.number == ENTRY).status == "active"
    sign_in(desktop, "sb.gewerbe@example.org", role="staff", areas=("gewerbe",))
    moved = post_json(
        desktop,
        f"/api/staff/applications/{application['reference']}/transitions",
        {"to": "approved"},
    )
    assert moved.status == 200, moved.text()
    with db.connection_context():
        entry = BusinessRegisterEntry.get(BusinessRegisterEntry.number == ENTRY)
    assert entry.status == "closed" and entry.end_date.isoformat() == end

    page.goto("/postfach")
    expect(page.get_by_text("Empfangsbestätigung der Gewerbeabmeldung").first).to_be_visible()
    assert_accessible(page, "business-deregistration-inbox")


def test_a_simple_trade_register_information_is_answered_at_once(phone):
    sign_in(phone, "gewerbe.auskunft@example.org", **PROFILE)
    page = phone.new_page()
    page.goto("/leistungen/business_information_simple")
    assert_accessible(page, "business-information-start")
    page.get_by_role("button", name="Antrag starten").click()
    _on(page, "query", "business-information-query")
    page.get_by_label("Name des Betriebs oder der Inhaberin / des Inhabers").fill("Muster Elektro")
    page.get_by_label("Straße", exact=True).fill("Oberstraße")
    page.get_by_label("Hausnummer", exact=True).fill("12")
    _next(page)
    _on(page, "confirm", "business-information-confirm")
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    _next(page)
    expect(page.locator("tfoot")).to_contain_text("10,00 €")
    assert_accessible(page, "business-information-check")
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    (application,) = server_applications(phone)
    assert application["status"] == "awaiting_payment"
    _paid(application["id"])
    assert server_applications(phone)[0]["status"] == "approved"
    page.goto("/postfach")
    expect(page.get_by_text("Gewerberegisterauskunft").first).to_be_visible()
    assert_accessible(page, "business-information-inbox")


def test_moving_a_business_with_the_online_ausweis(phone, desktop, live_server):
    with db.connection_context():
        BusinessRegisterEntry.delete().where(BusinessRegisterEntry.number == CHANGE_ENTRY).execute()
        BusinessRegisterEntry.create(
            number=CHANGE_ENTRY,
            name="Jan Werkmann",
            trade_name="Demo-Radwerkstatt",
            legal_form="sole_proprietor",
            street="Kaiserplatz",
            house_number="5",
            postal_code="52349",
            city="Düren",
            activity="Reparatur von Fahrrädern",
        )
    sign_in(
        phone,
        "gewerbe.ummeldung@example.org",
        **{**PROFILE, "given_names": "Jan", "family_name": "Werkmann"},
    )
    page = phone.new_page()
    page.goto("/leistungen/business_change")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gewerbe ummelden")
    assert_accessible(page, "business-change-start")
    page.get_by_role("button", name="Antrag starten").click()
    _through_pages(page, CHANGE_PAGES, "business-change")

    # The check page: the fee, the new address, and sending needs the Online-Ausweis.
    expect(page.locator("tfoot")).to_contain_text("20,00 €")
    expect(page.get_by_text("Weierstraße 14").first).to_be_visible()
    expect(page.get_by_text("Zum Senden brauchen Sie den Online-Ausweis.")).to_be_visible()
    assert_accessible(page, "business-change-check")
    _confirm_with_online_ausweis(page, live_server, CHANGE_IDENTITY, "business-change")
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    assert_accessible(page, "business-change-sent")
    (application,) = server_applications(phone)
    assert application["service_id"] == "business_change"
    assert (application["status"], application["fee_cents"]) == ("awaiting_payment", 2000)
    answers = application["answers"]
    assert answers["change_kind"] == "relocation"
    assert answers["new_business_address"]["street"] == "Weierstraße"
    assert answers["business_entry_number"] == CHANGE_ENTRY
    _pay_in_the_sandbox(page, application, "business-change")

    # Nothing changes in the register before a clerk decides.
    with db.connection_context():
        assert BusinessRegisterEntry.get(BusinessRegisterEntry.number == CHANGE_ENTRY).street == (
            "Kaiserplatz"
        )
    clerk = _open_in_the_workspace(desktop, application, "Gewerbe ummelden", "business-change")
    expect(clerk.locator("main")).to_contain_text("Weierstraße 14")
    _approve(clerk, "business-change")

    with db.connection_context():
        entry = BusinessRegisterEntry.get(BusinessRegisterEntry.number == CHANGE_ENTRY)
    assert (entry.street, entry.house_number, entry.postal_code) == ("Weierstraße", "14", "52349")
    assert entry.status == "active"
    assert [(h["kind"], h["reference"]) for h in entry.history] == [
        ("relocation", application["reference"])
    ]

    text = _document_in_the_inbox(
        phone,
        page,
        application,
        "Gewerbe ummelden",
        "Empfangsbestätigung der Gewerbeummeldung",
        "Bestätigung",
        "business-change",
    )
    assert f"Im Gewerberegister steht der Betrieb unter der Nummer {CHANGE_ENTRY}." in text
    assert "Weierstraße 14" in text


def test_an_extended_trade_register_information_decided_by_a_clerk(phone, desktop):
    sign_in(phone, "gewerbe.erweitert@example.org", **PROFILE)
    page = phone.new_page()
    page.goto("/leistungen/business_information_extended")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Erweiterte Gewerberegisterauskunft"
    )
    assert_accessible(page, "business-information-extended-start")
    page.get_by_role("button", name="Antrag starten").click()
    _through_pages(page, EXTENDED_PAGES, "business-information-extended")

    expect(page.locator("tfoot")).to_contain_text("15,00 €")
    expect(page.get_by_text(LEGAL_INTEREST)).to_be_visible()
    # Basic trust: no Online-Ausweis needed.
    expect(page.get_by_text("Zum Senden brauchen Sie den Online-Ausweis.")).to_have_count(0)
    assert_accessible(page, "business-information-extended-check")
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    assert_accessible(page, "business-information-extended-sent")
    (application,) = server_applications(phone)
    assert application["service_id"] == "business_information_extended"
    assert (application["status"], application["fee_cents"]) == ("awaiting_payment", 1500)
    _pay_in_the_sandbox(page, application, "business-information-extended")
    # No rule answers it: it waits for a clerk.
    assert server_applications(phone)[0]["status"] == "submitted"

    clerk = _open_in_the_workspace(
        desktop,
        application,
        "Erweiterte Gewerberegisterauskunft",
        "business-information-extended",
    )
    # The clerk weighs the stated interest and its proof.
    expect(clerk.get_by_text(LEGAL_INTEREST)).to_be_visible()
    expect(clerk.get_by_role("link", name="rechnung.pdf")).to_be_visible()
    _approve(clerk, "business-information-extended", f"Guten Tag,\n\n{ANSWER}")
    assert server_applications(phone)[0]["status"] == "approved"

    text = _document_in_the_inbox(
        phone,
        page,
        application,
        "Erweiterte Gewerberegisterauskunft",
        "Erweiterte Gewerberegisterauskunft",
        "Bescheid",
        "business-information-extended",
    )
    assert ANSWER in text
    # The clerk's answer is also the message about the decision in the thread.
    expect(page.get_by_text(ANSWER)).to_be_visible()
