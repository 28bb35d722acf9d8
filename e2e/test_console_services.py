"""The console's services at /verwaltung/dienste: an admin imports a definition file, is
shown a refused file's problems with their paths, confirms a file of an existing
service as its new version, duplicates a service, publishes the draft, compares two
versions and exports one; a new service from the template is published and retired
with the keyboard only. Every screen and state passes axe-core and reflows at 200 %."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from app.service_definitions import load_builtin, parse_definition_text
from e2e.conftest import assert_accessible, assert_no_horizontal_scroll, screenshot, sign_in
from tests.api.test_admin_definitions import MINIMAL

pytestmark = pytest.mark.browser


def _definition(service_id: str) -> dict:
    data = copy.deepcopy(MINIMAL)
    data.update(id=service_id, workflow="standard", auto_decision={"enabled": False})
    return data


def _file(name: str, data) -> dict:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    return {"name": name, "mimeType": "application/yaml", "buffer": text.encode("utf-8")}


def _narrow(page, name: str) -> None:
    # A 1280 px screen at 200 % zoom lays out 640 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, name)
    assert_accessible(page, name)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_admin_imports_a_file_and_is_shown_a_refused_ones_problems(desktop):
    sign_in(desktop, "dienste.import@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/dienste")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dienste")
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    expect(nav.get_by_role("link", name="Dienste")).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table", name="Alle Dienste und ihre Fassungen")
    expect(
        table.get_by_role("link", name="Abfallbehälter bestellen, ändern oder abbestellen")
    ).to_be_visible()
    expect(table).to_contain_text("veröffentlicht")
    expect(table).to_contain_text("vom Portal (mitgeliefert)")
    assert_accessible(page, "console-services")
    screenshot(page, "console-services")
    _narrow(page, "console-services-200")

    page.get_by_role("link", name="Neuen Dienst anlegen oder importieren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neuer Dienst")
    assert_accessible(page, "console-services-new")
    _narrow(page, "console-services-new-200")

    broken = _definition("baumschnitt")
    broken["steps"][0]["fields"][0]["type"] = "farbe"
    del broken["payment"]
    page.get_by_label("YAML-Datei").set_input_files(_file("baumschnitt.yaml", broken))
    page.get_by_role("button", name="Datei importieren").click()
    refused = page.get_by_role("alert").filter(has_text="nicht importiert")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Es wurde nichts gespeichert")
    expect(refused.locator("code").first).to_be_visible()
    expect(refused).to_contain_text("payment")
    assert_accessible(page, "console-services-import-refused")
    screenshot(page, "console-services-import-refused")
    _narrow(page, "console-services-import-refused-200")

    page.get_by_label("YAML-Datei").set_input_files(
        _file("baumschnitt.yaml", _definition("baumschnitt"))
    )
    page.get_by_role("button", name="Datei importieren").click()
    expect(page).to_have_url("/verwaltung/dienste/baumschnitt")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baum fällen anzeigen")
    expect(page.get_by_text("Importiert am")).to_be_visible()
    expect(page.get_by_text("dienste.import@example.org").first).to_be_visible()

    # The same id again: a new version, but only once confirmed.
    page.goto("/verwaltung/dienste/neu")
    page.get_by_label("YAML-Datei").set_input_files(
        _file("baumschnitt.yaml", _definition("baumschnitt"))
    )
    page.get_by_role("button", name="Datei importieren").click()
    question = page.get_by_role("group", name="Diesen Dienst gibt es schon")
    expect(question).to_contain_text("neuen Fassung 2")
    assert_accessible(page, "console-services-import-exists")
    question.get_by_role("button", name="Ja, als neue Fassung anlegen").click()
    expect(page).to_have_url("/verwaltung/dienste/baumschnitt")
    expect(page.get_by_role("heading", name="Fassung 2", level=3)).to_be_visible()


def test_admin_duplicates_publishes_compares_and_exports(desktop):
    sign_in(desktop, "dienste.kopie@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/dienste/waste_bins")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Abfallbehälter")
    assert_accessible(page, "console-service")
    _narrow(page, "console-service-200")

    page.get_by_label("Kennung des neuen Dienstes").fill("gelbe_tonne")
    page.get_by_label("Titel auf Deutsch").fill("Gelbe Tonne bestellen")
    page.get_by_label("Titel auf Englisch").fill("Order a yellow bin")
    page.get_by_role("button", name="duplizieren").click()
    expect(page).to_have_url("/verwaltung/dienste/gelbe_tonne")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gelbe Tonne bestellen")
    expect(page.get_by_text("Als Kopie angelegt am")).to_be_visible()
    expect(page.get_by_label("Kennung des neuen Dienstes")).to_have_value("")

    page.get_by_role("button", name="Fassung 1 veröffentlichen").click()
    expect(page.get_by_text("Fassung 1 ist veröffentlicht.")).to_be_visible()
    expect(page.get_by_text("Veröffentlicht am")).to_be_visible()
    page.get_by_role("button", name="Neuen Entwurf aus Fassung 1 anlegen").click()
    expect(page.get_by_text("Entwurf Fassung 2 ist angelegt.")).to_be_visible()
    assert_accessible(page, "console-service-two-versions")

    page.get_by_label("Ältere Fassung").select_option("1")
    page.get_by_label("Neuere Fassung").select_option("2")
    page.get_by_role("button", name="Vergleichen").click()
    diff = page.get_by_role("region", name="Unterschiede von Fassung 1 zu Fassung 2")
    expect(diff.locator("del")).to_contain_text("version: 1")
    expect(diff.locator("ins")).to_contain_text("version: 2")
    expect(diff).to_contain_text("entfernt")
    expect(diff).to_contain_text("hinzugefügt")
    expect(diff).to_contain_text("Zeilen 1–5 in Fassung 1, Zeilen 1–5 in Fassung 2")
    assert_accessible(page, "console-service-diff")
    screenshot(page, "console-service-diff")
    _narrow(page, "console-service-diff-200")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Fassung 1 als YAML-Datei herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == "gelbe_tonne-v1.yaml"
    loaded = parse_definition_text(Path(download.path()).read_text(encoding="utf-8"), "export")
    assert loaded.id == "gelbe_tonne" and loaded.data["title"]["en"] == "Order a yellow bin"
    assert loaded.data["steps"] == load_builtin()["waste_bins"].data["steps"]


_FOCUSED = """([selector, text]) => {
    const active = document.activeElement;
    return Boolean(active?.matches(selector) && active.textContent.includes(text));
}"""


def _tab_to(page, selector: str, text: str = "", limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` (containing ``text``) has the focus."""
    for _ in range(limit):
        if page.evaluate(_FOCUSED, [selector, text]):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} {text}")


def test_a_new_service_from_the_template_with_the_keyboard_only(desktop):
    sign_in(desktop, "dienste.tastatur@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/dienste/neu")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neuer Dienst")
    _tab_to(page, "#new-service_id")
    page.keyboard.type("Falsch!")
    _tab_to(page, "#new-title_de")
    page.keyboard.type("Sperrmüll anmelden")
    _tab_to(page, "#new-title_en")
    page.keyboard.type("Book a bulky waste pick-up")
    _tab_to(page, "#new-area")
    page.keyboard.type("abfall")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("kleinen Buchstaben")
    expect(summary).to_be_focused()
    assert_accessible(page, "console-services-new-error")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link leads to the field
    expect(page.locator("#new-service_id")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("sperrmuell")
    page.keyboard.press("Enter")
    # A service made from nothing opens in the builder; its page is one link away.
    expect(page).to_have_url("/verwaltung/dienste/sperrmuell/v/1/bearbeiten")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sperrmüll anmelden")
    _tab_to(page, "a", "Zurück zum Dienst")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/verwaltung/dienste/sperrmuell")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sperrmüll anmelden")

    _tab_to(page, "button", "Fassung 1 veröffentlichen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Fassung 1 ist veröffentlicht.")).to_be_visible()
    _tab_to(page, "button", "Fassung 1 zurückziehen")
    page.keyboard.press("Enter")
    question = page.get_by_role("group", name="Fassung 1 wirklich zurückziehen?")
    expect(question).to_be_focused()
    expect(question).to_contain_text("0 laufenden Anträge behalten ihre Fassung")
    assert_accessible(page, "console-service-retire-confirm")
    _tab_to(page, "button", "Ja, Fassung 1 zurückziehen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Fassung 1 ist zurückgezogen.")).to_be_visible()
    expect(page.get_by_text("Zurückgezogen am")).to_be_visible()
    assert_accessible(page, "console-service-retired")
