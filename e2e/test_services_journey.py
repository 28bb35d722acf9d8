"""Each built-in service, filled in and sent through the app on a phone: one question
or small group per page, conditional questions, repeat groups, a file upload, the fee
on the check page, and the reference number at the end. axe checks every page."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, form_page, screenshot, server_applications, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def days(n: int) -> str:
    return (TODAY + datetime.timedelta(days=n)).isoformat()


PROFILE = {
    "given_names": "Erika",
    "family_name": "Musterfrau",
    "street": "Kaiserplatz",
    "house_number": "2",
    "postal_code": "52349",
    "city": "Düren",
    "phone": "+49 2421 250",
}

# Per service: what to do on each page (by its address), the fee the check page shows,
# and what the answers on the server must contain afterwards.
JOURNEYS = {
    "dog_tax_registration": {
        "pages": {
            "holder": [],
            "dogs-1": [
                ("fill", "Name des Hundes", "Bello"),
                ("fill", "Rasse", "Labrador"),
                ("radio", "Von einer Züchterin, einem Züchter oder einer Privatperson"),
                (
                    "type",
                    "Name der bisherigen Halterin oder des bisherigen Halters",
                    "Max Beispiel",
                ),
                ("fill", "Straße", "Hauptstraße"),
                ("fill", "Hausnummer", "5"),
                ("fill", "Postleitzahl", "50667"),
                ("fill", "Ort", "Köln"),
                ("type", "Seit wann ist der Hund bei Ihnen", days(-3)),
                ("add", "Hund 2 hinzufügen"),
            ],
            "dogs-2": [
                ("fill", "Name des Hundes", "Luna"),
                ("fill", "Rasse", "Pudel"),
                ("radio", "Ich bin mit dem Hund nach Düren gezogen"),
                ("fill", "Bisheriger Wohnort", "Aachen"),
                ("type", "Seit wann ist der Hund bei Ihnen", days(-40)),
            ],
            "payment_step": [
                ("check", "Ich möchte die Hundesteuer per SEPA-Lastschrift bezahlen."),
                ("fill", "Kontoinhaberin oder Kontoinhaber", "Erika Musterfrau"),
                ("fill", "IBAN", "DE89 3704 0044 0532 0130 00"),
            ],
            "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
        },
        "fee": "192,00 €",
        "check_texts": ["Sie melden den Hund später als 14 Tage"],
        "answers": lambda a: (
            [d["dog_name"] for d in a["dogs"]] == ["Bello", "Luna"]
            and a["iban"] == "DE89370400440532013000"
        ),
    },
    "dog_tax_deregistration": {
        "pages": {
            "dog": [
                ("fill", "Name des Hundes", "Bello"),
                ("type", "Nummer der Hundesteuermarke", "1234"),
            ],
            "reason_step": [
                ("radio", "Ich habe den Hund abgegeben."),
                ("fill", "Datum des Todes, der Abgabe oder des Umzugs", days(-2)),
                ("fill", "Name der neuen Halterin oder des neuen Halters", "Max Beispiel"),
                ("fill", "Straße", "Hauptstraße"),
                ("fill", "Hausnummer", "5"),
                ("fill", "Postleitzahl", "50667"),
                ("fill", "Ort", "Köln"),
                ("file", "Nachweis (wenn vorhanden)", "abgabevertrag.pdf"),
            ],
            "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
        },
        "fee": None,
        "check_texts": ["abgabevertrag.pdf"],
        "answers": lambda a: (
            a["proof"][0]["filename"] == "abgabevertrag.pdf"
            and a["new_owner_address"]["city"] == "Köln"
        ),
    },
    "waste_bins": {
        "pages": {
            "property": [
                ("radio", "Mieterin oder Mieter"),
                ("fill", "Name der Eigentümerin oder des Eigentümers", "Hausbesitz GmbH"),
                (
                    "check",
                    "Die Eigentümerin oder der Eigentümer ist mit der Änderung einverstanden.",
                ),
            ],
            "bins_step-1": [("radio", "Behälter gegen eine andere Größe tauschen")],
            "bins-1": [
                ("select", "Art", "paper"),
                ("select", "Größe (beim Tausch: bisherige Größe)", "120"),
                ("select", "Neue Größe", "240"),
            ],
            "date_step": [("fill", "Wunschtermin für die Lieferung", days(20))],
            "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
        },
        "fee": None,
        "check_texts": ["240 Liter"],
        "answers": lambda a: a["bins"][0]["new_size"] == "240" and a["owner_consent"] is True,
    },
    "civil_status_certificate": {
        "pages": {
            "certificate": [
                ("radio", "Eheurkunde"),
                ("fill", "Anzahl der Urkunden", "3"),
                ("select", "Wofür brauchen Sie die Urkunde?", "other"),
                ("fill", "Zweck", "Vorlage beim Konsulat"),
            ],
            "person-1": [
                ("fill", "Familienname der Person", "Musterfrau"),
                ("fill", "Vornamen der Person", "Erika"),
                ("fill", "Familienname der Ehepartnerin oder des Ehepartners", "Mustermann"),
                ("fill", "Vornamen der Ehepartnerin oder des Ehepartners", "Max"),
            ],
            "person-2": [
                ("fill", "Datum der Geburt, der Eheschließung oder des Todes", "2010-06-12"),
                ("fill", "Ort der Geburt, der Eheschließung oder des Todes", "Düren"),
            ],
            "entitlement": [("radio", "Für mich selbst")],
            "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
        },
        "fee": "24,00 €",
        "check_texts": ["Erste Urkunde", "Jede weitere Urkunde (2 × 6,00 €)"],
        "status": "Wartet auf Ihre Zahlung",
        "answers": lambda a: a["copies"] == 3 and a["spouse_given_names"] == "Max",
    },
    "registry_information_simple": {
        "pages": {
            "person": [
                ("fill", "Familienname", "Beispiel"),
                ("fill", "Vornamen", "Max"),
                ("radio", "Das Geburtsdatum"),
                ("fill", "Geburtsdatum", "1980-05-01"),
            ],
            "purpose_step": [],
            "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
        },
        "fee": "10,00 €",
        "check_texts": ["01.05.1980"],
        "answers": lambda a: a["person_birth_date"] == "1980-05-01",
    },
    "business_information_simple": {
        "pages": {
            "query": [
                ("fill", "Name des Betriebs oder der Inhaberin / des Inhabers", "Muster Elektro"),
                ("fill", "Straße", "Oberstraße"),
                ("fill", "Hausnummer", "12"),
            ],
            "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
        },
        "fee": "10,00 €",
        "check_texts": ["Muster Elektro"],
        "answers": lambda a: a["query_address"]["house_number"] == "12",
    },
    "business_registration": {
        "pages": {
            "persons-1": [
                ("fill", "Familienname", "Musterfrau"),
                ("fill", "Vornamen", "Erika"),
                ("fill", "Geburtsdatum", "1980-05-01"),
                ("select", "Funktion", "managing_director"),
            ],
            "business-1": [
                ("select", "Rechtsform", "gmbh"),
                ("fill", "Name des Unternehmens", "Beispiel GmbH"),
                ("fill", "Registergericht", "Amtsgericht Düren"),
                ("fill", "Nummer im Handelsregister", "HRB 1234"),
                ("fill", "Straße", "Kaiserplatz"),
                ("fill", "Hausnummer", "2"),
            ],
            "business-2": [
                ("radio", "Hauptniederlassung"),
                (
                    "fill",
                    "Tätigkeit (bitte genau beschreiben)",
                    "Verkauf von Fahrrädern und Zubehör",
                ),
                ("select", "Wirtschaftsbereich", "trade"),
            ],
            "business-3": [
                ("radio", "Neugründung"),
                ("fill", "Beginn der Tätigkeit", days(10)),
            ],
            "branches-0": [],
            "staff_permits": [("fill", "Beschäftigte in Vollzeit", "2")],
            "contact": [],
            "confirm": [("check", "Meine Angaben sind richtig und vollständig.")],
        },
        "fee": "26,00 €",
        "check_texts": ["Zum Senden brauchen Sie den Online-Ausweis."],
        "needs_eid": True,
    },
}


def run_page(page, actions) -> bool:
    """Do a page's actions; returns True if an action already moved on (add another)."""
    for action in actions:
        kind, target = action[0], action[1]
        if kind == "fill":
            # Key by key, as a person types: the draft is saved (and synced) meanwhile,
            # and no keystroke may get lost or reordered by it.
            field = page.get_by_label(target, exact=True)
            if field.get_attribute("type") == "date":
                field.fill(action[2])  # date pickers take day, month, year segments
            else:
                field.click()
                field.press_sequentially(action[2])
            expect(field).to_have_value(action[2])
        elif kind == "type":
            page.get_by_label(target).first.fill(action[2])
        elif kind == "radio":
            page.get_by_role("radio", name=target).check()
        elif kind == "select":
            page.get_by_label(target, exact=True).select_option(action[2])
        elif kind == "check":
            page.get_by_role("checkbox", name=target).check()
        elif kind == "file":
            page.get_by_label(target).set_input_files(
                {"name": action[2], "mimeType": "application/pdf", "buffer": PDF}
            )
            expect(page.get_by_text(action[2])).to_be_visible()
        elif kind == "add":
            page.get_by_role("button", name=target).click()
            return True
    return False


@pytest.mark.parametrize("service_id", list(JOURNEYS))
def test_fill_and_send_each_service(phone, service_id):
    journey = JOURNEYS[service_id]
    sign_in(phone, f"journey.{service_id}@example.org", **PROFILE)
    page = phone.new_page()
    page.goto(f"/leistungen/{service_id}")
    assert_accessible(page, f"{service_id}-start")
    if service_id == "dog_tax_registration":
        screenshot(page, "service-start")
    page.get_by_role("button", name="Antrag starten").click()
    seen = []
    while True:
        key = form_page(page)
        if key == "pruefen":
            break
        assert key in journey["pages"], f"{service_id}: unexpected page {key}"
        assert key not in seen, f"{service_id}: page {key} again (a problem on it?)"
        seen.append(key)
        assert_accessible(page, f"{service_id}-{key}")
        if not run_page(page, journey["pages"][key]):
            page.get_by_role("button", name="Weiter").click()
        expect(page).not_to_have_url(re.compile(f"/{re.escape(key)}$"))
    assert seen == list(journey["pages"]), f"{service_id}: pages {seen}"

    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    for text in journey["check_texts"]:
        expect(page.get_by_text(text).first).to_be_visible()
    if journey["fee"]:
        expect(page.locator("tfoot")).to_contain_text(journey["fee"])
    else:
        expect(page.get_by_text("Diese Leistung ist kostenlos.")).to_be_visible()
    assert_accessible(page, f"{service_id}-check")
    screenshot(page, f"check-{service_id}")

    if journey.get("needs_eid"):
        expect(page.get_by_role("button", name="Antrag verbindlich senden")).to_have_count(0)
        drafts = server_applications(phone)
        assert len(drafts) == 1 and drafts[0]["status"] == "draft"
        return
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    if journey.get("status"):
        expect(page.get_by_text(journey["status"])).to_be_visible()
    assert_accessible(page, f"{service_id}-sent")
    applications = server_applications(phone)
    assert len(applications) == 1
    sent = applications[0]
    assert sent["status"] != "draft"
    expect(page.locator(".reference-number")).to_have_text(sent["reference_display"])
    assert journey["answers"](sent["answers"]), sent["answers"]
    # The fee the device showed is the one the server charges.
    shown = journey["fee"] or "0,00 €"
    assert f"{sent['fee_cents'] / 100:.2f}".replace(".", ",") + " €" == shown


def test_problems_only_the_server_can_find_link_to_the_field(phone):
    # The device cannot know the city's streets; the server's answer names the field,
    # and the link in the summary leads there.
    sign_in(phone, "journey.unknown-street@example.org")
    page = phone.new_page()
    page.goto("/leistungen/waste_bins")
    page.get_by_role("button", name="Antrag starten").click()
    page.get_by_label("Straße").fill("Gibtsnichtweg")
    page.get_by_label("Hausnummer").fill("1")
    page.get_by_role("radio", name="Eigentümerin oder Eigentümer").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("radio", name="Behälter abbestellen").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Art").select_option("bio")
    page.get_by_label("Größe (beim Tausch: bisherige Größe)").select_option("80")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Ab wann sollen wir die Behälter abholen?").fill(days(30))
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    problem = page.get_by_role("alert").get_by_role(
        "link",
        name="Anschrift des Grundstücks – Straße: Die Straße „Gibtsnichtweg“ gibt es",
        exact=False,
    )
    expect(problem).to_be_visible(timeout=10_000)
    assert_accessible(page, "check-server-problem")
    problem.click()
    expect(page.get_by_label("Straße")).to_be_focused()
    page.get_by_label("Straße").fill("Kaiserplatz")
    page.get_by_label("Hausnummer").fill("2")
    page.get_by_role("button", name="Weiter zur Übersicht").click()
    expect(page.get_by_role("alert")).to_have_count(0, timeout=10_000)
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    assert server_applications(phone)[0]["answers"]["property_address"]["street"] == "Kaiserplatz"


def test_a_draft_the_server_refuses_says_why_it_is_not_backed_up(phone, portal):
    # The server keeps a bounded number of open drafts per citizen; beyond it the form
    # keeps the answers on the device and says why they are not in the account, instead
    # of claiming to back them up.
    sign_in(phone, "journey.too-many-drafts@example.org")
    page = phone.new_page()
    page.goto("/leistungen/waste_bins")
    page.get_by_role("button", name="Antrag starten").click()
    page.get_by_label("Straße").fill("Kaiserplatz")
    expect(page.locator(".save-state")).to_contain_text("In Ihrem Konto gesichert", timeout=10_000)

    limit = portal.app.config["DRAFTS_MAX_OPEN"]
    portal.app.config["DRAFTS_MAX_OPEN"] = 1
    try:
        page.goto("/leistungen/dog_tax_registration")
        page.get_by_role("button", name="Antrag starten").click()
        page.get_by_role("textbox").first.fill("Bello")
        refusal = page.locator(".save-state")
        expect(refusal).to_contain_text("Nicht in Ihrem Konto gesichert", timeout=10_000)
        expect(refusal).to_contain_text("Sie haben bereits 1 offene Entwürfe")
        expect(refusal).to_contain_text("Auf diesem Gerät gespeichert.")
        assert_accessible(page, "draft-refused")
        # Counted while the limit holds: once it is lifted, the form's next autosave or the
        # service worker's background sync may back the draft up, as it should.
        assert len(server_applications(phone)) == 1
    finally:
        portal.app.config["DRAFTS_MAX_OPEN"] = limit
