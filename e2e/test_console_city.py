"""The console's city data: an admin puts a new zone and a street range in place (by
keyboard), imports the official street list after reading its report, blocks a permit
with a reason after reading its history, and books a bank transfer that arrived. Every
screen and state passes axe-core and reflows at 200 % zoom."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from app.service_definitions.streets import shipped_directory
from e2e.conftest import assert_accessible, assert_no_horizontal_scroll, screenshot, sign_in
from e2e.test_parking_wallet import PROFILE, issue_permit, permits
from e2e.test_payments import create_notice

pytestmark = pytest.mark.browser

ADMIN = "stadt.admin@example.org"


def _at_200_percent(page, name: str) -> None:
    # A 1280 px screen at 200 % zoom lays out 640 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, f"{name}-200")
    assert_accessible(page, f"{name}-200")
    page.set_viewport_size({"width": 1280, "height": 800})


def _csrf(context) -> str:
    return context.request.get("/api/auth/session").json()["csrf_token"]


def test_zone_and_street_range_by_keyboard(desktop):
    sign_in(desktop, ADMIN, role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/parkzonen")
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Parkzonen und Straßenabschnitte"))
    ).to_be_visible()
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    expect(nav.get_by_role("link", name="Parkzonen")).to_have_attribute("aria-current", "page")
    zones = page.get_by_role("table", name="Bewohnerparkzonen")
    expect(zones).to_contain_text("Markt / Kaiserplatz")
    assert_accessible(page, "console-parking")

    # A new zone, typed and sent with the keyboard only.
    page.get_by_label("Kürzel der Zone").focus()
    page.keyboard.type("m")
    page.keyboard.press("Tab")
    page.keyboard.type("Euskirchener Straße")
    page.keyboard.press("Tab")  # the "active" checkbox, checked already
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Die Zone M ist angelegt.")).to_be_visible()
    expect(zones.get_by_role("row").filter(has_text="Euskirchener Straße")).to_contain_text("M")
    assert_accessible(page, "console-parking-zone-added")
    # Changing a zone opens its form in place of the "add" form; cancelling goes back.
    zones.get_by_role("button", name="Zone M ändern").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Zone M ändern")).to_be_visible()
    assert_accessible(page, "console-parking-zone-edit")
    page.get_by_role("form", name="Zone M ändern").get_by_role("button", name="Abbrechen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Neue Zone anlegen")).to_be_visible()

    # A range for a street the directory does not know: the field says so.
    street = page.get_by_label("Straße", exact=True)
    street.focus()
    page.keyboard.type("Nirgendwostraße")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("49")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # odd house numbers
    page.keyboard.press("Tab")
    page.keyboard.type("M")  # the zone option starting with M
    expect(page.get_by_label("Zone", exact=True)).to_have_value("M")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.locator("#range-street-error")).to_be_visible()
    assert_accessible(page, "console-parking-range-error")

    street.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("euskirchener str")
    page.locator("#range-last").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="liegt jetzt in Zone M")).to_be_visible()
    ranges = page.get_by_role("table", name="Straßenabschnitte in Zonen")
    row = ranges.get_by_role("row").filter(has_text="Euskirchener Straße")
    expect(row).to_contain_text("1–49")
    expect(row).to_contain_text("Ungerade Hausnummern")
    assert (
        desktop.request.get(
            "/api/parking/zone?street=Euskirchener+Stra%C3%9Fe&house_number=7"
        ).json()["zone"]
        == "M"
    )

    # Deleting asks first; the question takes the focus.
    row.get_by_role("button", name="Abschnitt Euskirchener Straße 1–49 löschen").focus()
    page.keyboard.press("Enter")
    question = page.get_by_text("Wollen Sie den Abschnitt Euskirchener Straße 1–49 wirklich")
    expect(question).to_be_focused()
    assert_accessible(page, "console-parking-delete-confirm")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Abbrechen"
    expect(question).to_have_count(0)
    expect(row).to_be_visible()
    screenshot(page, "console-parking")
    _at_200_percent(page, "console-parking")

    # Deleting for real: first the range, then the zone that is empty now (other
    # journeys count the city's 13 zones).
    row.get_by_role("button", name="Abschnitt Euskirchener Straße 1–49 löschen").click()
    page.get_by_role("button", name="Ja, löschen").click()
    expect(page.get_by_role("status").filter(has_text="ist gelöscht")).to_be_visible()
    expect(ranges.get_by_role("row").filter(has_text="Euskirchener Straße")).to_have_count(0)
    zones.get_by_role("button", name="Zone M löschen").click()
    expect(page.get_by_text("Wollen Sie die Zone M (Euskirchener Straße) wirklich")).to_be_focused()
    page.get_by_role("button", name="Ja, löschen").click()
    expect(page.get_by_role("status").filter(has_text="Die Zone M ist gelöscht.")).to_be_visible()
    expect(zones.get_by_role("row")).to_have_count(14)  # the header and 13 zones
    assert_accessible(page, "console-parking-deleted")


def _official_list(extra: str = "") -> bytes:
    lines = ["strasse;plz;von;bis"]
    for street in shipped_directory().streets:
        lines += [f"{street.name};{street.postal_code};{r.first};{r.last}" for r in street.ranges]
    return ("\n".join(lines) + "\n" + extra).encode()


def test_street_directory_import_with_its_report(desktop):
    sign_in(desktop, ADMIN, role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/strassen")
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Straßenverzeichnis"))
    ).to_be_visible()
    expect(page.get_by_text("mitgelieferte Verzeichnis")).to_be_visible()
    assert_accessible(page, "console-streets")

    # A file with errors: every line named, nothing changed.
    upload = page.get_by_label("CSV-Datei des Straßenverzeichnisses")
    upload.set_input_files(
        files=[
            {
                "name": "fehler.csv",
                "mimeType": "text/csv",
                "buffer": b"strasse;plz;von;bis\nMarkt;5234;1;20\nRurstrasse;52349;30;4\n",
            }
        ]
    )
    page.get_by_role("button", name="Änderungen anzeigen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Es wurde nichts geändert.")
    # Every problem is listed at the file field, by line and column.
    problems = page.locator("#streets-file-error")
    expect(problems).to_contain_text(
        "Zeile 2, Spalte plz: „5234“ ist keine fünfstellige Postleitzahl."
    )
    expect(problems).to_contain_text("Zeile 3: Die Hausnummer „von“ (30) liegt nach „bis“ (4).")
    assert_accessible(page, "console-streets-errors")

    upload.set_input_files(
        files=[
            {
                "name": "strassen-amtlich.csv",
                "mimeType": "text/csv",
                "buffer": _official_list("Am Konsolenpark;52351;1;30\n"),
            }
        ]
    )
    page.get_by_role("button", name="Änderungen anzeigen").click()
    report = page.get_by_role("region", name="Vorschau")
    expect(report.get_by_role("heading", level=3)).to_be_focused()
    expect(report.locator(".city-report__item").filter(has_text="Neue Straßen")).to_contain_text(
        "1"
    )
    expect(report.get_by_role("list", name="Neue Straßen")).to_have_text("Am Konsolenpark")
    assert_accessible(page, "console-streets-report")
    screenshot(page, "console-streets-report")
    _at_200_percent(page, "console-streets-report")
    # Nothing changed before "apply".
    assert desktop.request.get("/api/streets?q=konsolen").json() == []

    page.get_by_role("button", name="Verzeichnis übernehmen").click()
    expect(page.get_by_role("status").filter(has_text="gilt ab sofort")).to_be_visible()
    expect(page.get_by_text("eingespielt am")).to_contain_text(ADMIN)
    imports = page.get_by_role("table", name="Bisherige Importe des Straßenverzeichnisses")
    expect(imports).to_contain_text("strassen-amtlich.csv")
    expect(imports).to_contain_text("1 neu, 0 weggefallen")
    assert [s["name"] for s in desktop.request.get("/api/streets?q=konsolen").json()] == [
        "Am Konsolenpark"
    ]
    page.get_by_label("Straße suchen").fill("Konsolen")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("table", name="Gefundene Straßen für „Konsolen“")).to_contain_text(
        "1–30"
    )
    assert_accessible(page, "console-streets-applied")


def test_block_a_permit_after_reading_its_history(phone, desktop):
    sign_in(phone, "konsole.ausweis@example.org", **PROFILE)
    permit = issue_permit(phone, "DN-KO 512")
    sign_in(desktop, ADMIN, role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/parkausweise")
    assert_accessible(page, "console-permits")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie eine Ausweisnummer")
    assert_accessible(page, "console-permits-empty-query")

    page.get_by_label("Ausweisnummer oder Kennzeichen").fill("DN-XX 999")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("status")).to_have_text("Kein Parkausweis gefunden.")
    assert_accessible(page, "console-permits-none-found")
    page.get_by_label("Ausweisnummer oder Kennzeichen").fill("dn ko 512")
    page.get_by_role("button", name="Suchen").click()
    history = page.get_by_role("table", name="Verlauf des Ausweises")
    expect(history).to_contain_text("Ausgestellt")
    expect(history).to_contain_text("DN-KO 512")
    expect(page.get_by_role("heading", name=f"Parkausweis {permit['number']}")).to_be_visible()
    assert_accessible(page, "console-permit-history")

    page.get_by_role("radio", name="Sonstiger Grund").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte beschreiben Sie den Grund")
    assert_accessible(page, "console-permit-revoke-error")
    page.get_by_role("textbox", name=re.compile("^Bemerkung")).fill("Ausweis doppelt ausgegeben")
    page.get_by_role("button", name="Weiter").click()
    question = page.get_by_text(f"Wollen Sie den Ausweis {permit['number']} (DN-KO 512)")
    expect(question).to_be_focused()
    assert_accessible(page, "console-permit-revoke-confirm")
    assert permits(phone)[0]["state"] == "valid"
    page.get_by_role("button", name="Ja, Ausweis sperren").click()

    expect(page.get_by_role("status").filter(has_text="steht auf der Sperrliste")).to_be_visible()
    blocked = history.get_by_role("row").filter(has_text="Gesperrt: Sonstiger Grund")
    expect(blocked).to_contain_text("Ausweis doppelt ausgegeben")
    expect(blocked).to_contain_text(ADMIN)
    expect(page.get_by_role("button", name="Weiter")).to_have_count(0)
    assert_accessible(page, "console-permit-blocked")
    screenshot(page, "console-permit-blocked")
    _at_200_percent(page, "console-permit-blocked")
    [after] = permits(phone)
    assert (after["state"], after["blocked"], after["block_reason"]) == ("revoked", True, "other")


def test_treasury_books_a_transfer_and_imports_notices(phone, desktop):
    email = "konsole.kasse@example.org"
    sign_in(phone, email, given_names="Karl", family_name="Kasse")
    notice = create_notice(desktop, email, "HST-2027-KONS")
    started = phone.request.post(
        "/api/payments",
        data=json.dumps(
            {
                "subject_type": "instalment",
                "subject_id": notice["instalments"][0]["id"],
                "provider": "transfer",
            }
        ),
        headers={"X-CSRF-Token": _csrf(phone), "Content-Type": "application/json"},
    )
    assert started.status in (200, 201), started.text()

    sign_in(desktop, ADMIN, role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/kasse")
    expect(page.get_by_role("heading", level=1, name=re.compile("Kasse"))).to_be_visible()
    assert_accessible(page, "console-treasury")

    # Notices: found by Kassenzeichen.
    page.get_by_label("Kassenzeichen oder E-Mail-Adresse").fill("HST-2027-KONS")
    page.get_by_role("button", name="Bescheide suchen").click()
    expect(page.get_by_role("table", name="Gefundene Bescheide")).to_contain_text("84,00")

    # The CSV import with its skipped lines.
    page.get_by_label("CSV-Datei aus dem Finanzverfahren").set_input_files(
        files=[
            {
                "name": "bescheide.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "email;art;titel;kassenzeichen;faellig_am;betrag\n"
                    f"{email};fee;Gebühr Sondernutzung;GEB-KONS-1;01.03.2027;45,00\n"
                    "niemand.hier@example.org;fee;Gebühr;GEB-KONS-2;01.03.2027;12,00\n"
                ).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Einspielen").click()
    expect(page.get_by_role("status").filter(has_text="Ein Bescheid eingespielt.")).to_be_visible()
    skipped = page.get_by_role("table", name="Übersprungene Zeilen (1)")
    expect(skipped).to_contain_text("GEB-KONS-2")
    expect(skipped).to_contain_text("Kein Bürgerkonto")
    assert_accessible(page, "console-treasury-imported")

    # The transfer arrived: found by Kassenzeichen, booked after a question.
    page.get_by_label("Kassenzeichen", exact=True).fill("HST-2027-KONS")
    page.get_by_role("button", name="Zahlungen suchen").click()
    payments = page.get_by_role("table", name="Zahlungen zum Kassenzeichen")
    expect(payments).to_contain_text("Wartet auf Zahlung")
    payments.get_by_role("button", name="Überweisung eingegangen").click()
    question = page.get_by_text("Ist die Überweisung über 21,00 € zum Kassenzeichen HST-2027-KONS")
    expect(question).to_be_focused()
    assert_accessible(page, "console-treasury-transfer-confirm")
    page.get_by_role("button", name="Ja, als eingegangen verbuchen").click()
    expect(page.get_by_role("status").filter(has_text="ist verbucht")).to_be_visible()
    expect(payments).to_contain_text("Bezahlt")
    assert_accessible(page, "console-treasury-transfer-booked")
    detail = phone.request.get(f"/api/notices/{notice['id']}").json()
    assert [i["paid"] for i in detail["instalments"]] == [True, False, False, False]

    # Export files: nothing due is said plainly.
    page.get_by_role("button", name="Erstattungsdatei erstellen").click()
    expect(page.get_by_role("region", name="Erstattungen").get_by_role("status")).to_be_visible()
    assert_accessible(page, "console-treasury-exports")
    screenshot(page, "console-treasury")
    _at_200_percent(page, "console-treasury")
