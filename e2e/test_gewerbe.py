"""Business services in the browser: closing a business end to end (the form, the
Online-Ausweis through the eID simulator, the fee, the clerk's decision, the register
entry closed, the acknowledgement in the inbox) and a simple trade register
information answered at once. axe checks every screen."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from playwright.sync_api import expect

from app.applications import lifecycle
from app.db import db
from app.models import Application, BusinessRegisterEntry
from e2e.conftest import assert_accessible, server_applications, sign_in
from e2e.test_eid import start_eid

pytestmark = pytest.mark.browser

# The only simulator identity no other browser test binds (a card stays bound).
IDENTITY = "Erika Mustermann mit neuem Ausweis"
PROFILE = {
    "given_names": "Erika",
    "family_name": "Musterfrau",
    "street": "Kaiserplatz",
    "house_number": "2",
    "postal_code": "52349",
    "city": "Düren",
}
ENTRY = "G-2020-00901"


def _post(context, path: str, body: dict):
    csrf = context.request.get("/api/auth/session").json()["csrf_token"]
    return context.request.post(
        path,
        data=json.dumps(body),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )


def _paid(application_id: str) -> None:
    with db.connection_context():
        lifecycle.enter_workflow(Application.get_by_id(application_id))


def _next(page) -> None:
    page.get_by_role("button", name="Weiter").click()


def _on(page, key: str, name: str) -> None:
    page.wait_for_url(re.compile(f"/{re.escape(key)}$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, name)


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
    check_path = page.url.split(live_server)[-1]
    page.get_by_role("link", name="Mit Online-Ausweis bestätigen").click()
    start_eid(page, live_server)
    page.get_by_role("link", name="Simulierte AusweisApp öffnen (Testmodus)").click()
    page.wait_for_url(re.compile(r"/api/eid/simulator/client\?tcTokenURL="))
    page.get_by_label(IDENTITY).check()
    page.locator("#pin").fill("123456")
    page.locator("button[value=identify]").click()
    page.wait_for_url(re.compile(r"/konto/ausweis-daten\?weiter="))
    assert_accessible(page, "business-deregistration-eid-data")
    page.get_by_role("button", name="Meine Angaben behalten").click()
    page.wait_for_url(re.compile(re.escape(check_path) + "$"))
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
    moved = _post(
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
