"""The service builder's sections besides steps, in the browser: an admin edits a new
draft's general data, adds a fixed fee of 25 € for more than five items and watches the
fee preview change between 5 and 6 items, turns the template workflow into an own table
and adds a status, adds a document, ticks a check and fills a missing English text in
the texts table; the saved definition is read back through the API. A broken LeiKa key
shows its problem at the field once saved. Every section passes axe-core and reflows at
200 % zoom."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    json_headers,
    new_service,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

SERVICE = "sperrgut_bausteine"
EDITOR = f"/api/admin/services/{SERVICE}/versions/1/editor"
SAVED = "Alle Änderungen sind gespeichert."


def _editor(context) -> dict:
    response = context.request.get(EDITOR)
    assert response.status == 200, response.text()
    return response.json()


def _new_draft(context) -> None:
    """A new service from the template, then (through the editor's API) a list of items
    to count and a step title without its English text."""
    headers = json_headers(context)
    new_service(
        context,
        service_id=SERVICE,
        title_de="Sperrgut abholen lassen",
        title_en="Bulky waste collection",
        area="abfall",
    )
    record = _editor(context)
    definition = record["definition"]
    definition["steps"][0]["title"] = {"de": "Ihr Anliegen"}
    definition["steps"][0]["fields"].append(
        {
            "id": "items",
            "type": "repeat",
            "min_items": 1,
            "max_items": 20,
            "label": {"de": "Gegenstände", "en": "Items"},
            "item_label": {"de": "Gegenstand {n}", "en": "Item {n}"},
            "fields": [
                {
                    "id": "item_name",
                    "type": "text",
                    "required": True,
                    "label": {"de": "Was ist es?", "en": "What is it?"},
                }
            ],
        }
    )
    saved = context.request.put(
        EDITOR,
        data=json.dumps({"definition": definition}),
        headers={**headers, "If-Match": f'"{record["revision"]}"'},
    )
    assert saved.status == 200, saved.text()


def _open(page, name: str) -> None:
    page.get_by_role("navigation", name="Teile des Dienstes").get_by_role("link", name=name).click()
    expect(page.locator("#builder-section-heading")).to_contain_text(name)


def _check_screen(page, name: str) -> None:
    assert_accessible(page, name)
    screenshot(page, name)
    # A 1280 px screen at 200 % zoom lays out 640 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, f"{name}-200")
    assert_accessible(page, f"{name}-200")
    page.set_viewport_size({"width": 1280, "height": 800})


def _saved(page) -> None:
    # Changes are saved a moment after they are made (the "Speichern" button is for
    # impatient people; it is switched off while nothing is unsaved).
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)


def test_admin_edits_the_sections_besides_steps(desktop):
    sign_in(desktop, "bausteine@example.org", role="admin")
    _new_draft(desktop)
    page = desktop.new_page()
    page.goto(f"/verwaltung/dienste/{SERVICE}/v/1/bearbeiten")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sperrgut abholen lassen")

    # General data.
    _open(page, "Allgemeines")
    expect(page.locator(".sec-facts")).to_contain_text(SERVICE)
    page.get_by_label("LeiKa-Schlüssel").fill("99102013104000")
    page.get_by_label("Kategorie", exact=True).fill("abfall")
    page.get_by_label("Nur für Einwohnerinnen und Einwohner").check()
    page.get_by_label("Bearbeitungsziel in Kalendertagen").fill("10")
    _check_screen(page, "builder-general")
    _saved(page)

    # A fixed fee of 25 € when there are more than five items; paid before submitting.
    _open(page, "Gebühren und Zahlung")
    page.get_by_role("button", name="Feste Gebühr hinzufügen").click()
    rule = page.get_by_role("group", name="Regel 1: fee_1")
    rule.get_by_label("Deutsch").fill("Zuschlag ab sechs Gegenständen")
    rule = page.get_by_role("group", name="Regel 1: Zuschlag ab sechs Gegenständen")
    rule.get_by_label("Englisch").fill("Surcharge from six items")
    rule.get_by_label("Betrag in Euro").fill("25,00")
    when = rule.get_by_role("group", name="Wann die Regel gilt")
    when.get_by_role("button", name="Bedingung hinzufügen").click()
    when.get_by_label("Feld", exact=True).select_option("items")
    when.get_by_label("Vergleich").select_option("greater_than")
    when.get_by_label("Wert").fill("5")
    page.get_by_label("Wann bezahlt wird").select_option("before_submission")
    examples = page.get_by_role("table", name="Beispiele und ihre Gebühr")
    examples.get_by_label("Anzahl „Gegenstände“ in Beispiel 1").fill("5")
    examples.get_by_label("Anzahl „Gegenstände“ in Beispiel 2").fill("6")
    totals = examples.locator("[data-example-total]")
    expect(totals.nth(0)).to_have_text("0,00 €")
    expect(totals.nth(1)).to_have_text("25,00 €")
    # The preview follows the rule as it changes.
    rule.get_by_label("Betrag in Euro").fill("30")
    expect(totals.nth(1)).to_have_text("30,00 €")
    rule.get_by_label("Betrag in Euro").fill("25,00")
    expect(totals.nth(1)).to_have_text("25,00 €")
    _check_screen(page, "builder-fees")
    _saved(page)

    # Rules are reordered with the keyboard; focus stays with the moved rule.
    page.get_by_role("button", name="Gebühr je Stück hinzufügen").click()
    page.get_by_role("button", name="Regel „fee_2“ nach oben").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("status").filter(has_text="ist jetzt an Position 1 von 2")
    ).to_have_text("„fee_2“ ist jetzt an Position 1 von 2.")
    expect(page.get_by_role("button", name="Regel „fee_2“ nach unten")).to_be_focused()
    _saved(page)
    rules = _editor(desktop)["definition"]["fees"]["rules"]
    assert [rule["id"] for rule in rules] == ["fee_2", "fee_1"]
    assert rules[0] == {"id": "fee_2", "kind": "per_item", "amount_cents": 0, "over": "items"}
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Regel „fee_2“ nach oben")).to_be_focused()
    page.get_by_role("button", name="Regel „fee_2“ entfernen").click()
    expect(page.get_by_role("group", name="Regel 2: fee_2")).to_have_count(0)
    _saved(page)

    # The template becomes an own table, with a status more.
    _open(page, "Ablauf")
    expect(page.get_by_role("table", name="Übergänge")).to_contain_text("Sachbearbeitung")
    page.get_by_label("Eigener Ablauf").check()
    page.get_by_role("button", name="Status hinzufügen").click()
    page.get_by_label("Kennung von Status 8").fill("archived")
    page.get_by_label("Bezeichnung von Status 8 (Deutsch)").fill("Archiviert")
    page.get_by_label("Bezeichnung von Status 8 (Englisch)").fill("Archived")
    hints = page.get_by_role("status").filter(has_text="Hinweise zum Ablauf")
    expect(hints).to_contain_text("Den Status Archiviert (archived) erreicht kein Antrag")
    page.get_by_label("„Archiviert“ ist ein Endstatus").check()
    page.get_by_role("button", name="Übergang hinzufügen").click()
    last = page.get_by_role("table", name="Übergänge").locator("tbody tr").last
    last.get_by_role("combobox").nth(0).select_option("completed")
    last.get_by_role("combobox").nth(1).select_option("archived")
    last.get_by_role("combobox").nth(2).select_option("system")
    _check_screen(page, "builder-workflow")
    _saved(page)

    # A document issued on approval.
    _open(page, "Dokumente")
    page.get_by_role("button", name="Dokument hinzufügen").click()
    document = page.get_by_role("group", name="Dokument 1: document_1")
    document.get_by_label("Art", exact=True).select_option("confirmation")
    document.get_by_label("Deutsch").fill("Abholtermin")
    document = page.get_by_role("group", name="Dokument 1: Abholtermin")
    document.get_by_label("Englisch").fill("Collection date")
    document.get_by_label("Erstellt bei Status").select_option("approved")
    _check_screen(page, "builder-documents")
    _saved(page)

    # A registered check.
    _open(page, "Regeln und Prüfungen")
    checks = page.get_by_role("group", name="Prüfungen beim Absenden")
    checks.get_by_role("checkbox").first.check()
    expect(checks.locator("#def-checks-0")).to_be_checked()
    _check_screen(page, "builder-rules")
    _saved(page)

    # The missing English title of step 1, filled in the texts table.
    _open(page, "Texte und Übersetzungen")
    page.get_by_label("Nur fehlende Übersetzungen").check()
    table = page.get_by_role("table", name="Texte des Dienstes in allen Sprachen")
    expect(table.locator("tbody tr")).to_have_count(1)
    table.get_by_label("Schritt 1 › Titel (Englisch)").fill("Your request")
    expect(table.locator("tbody tr")).to_have_count(1)
    # The portal's further languages: optional columns, German standing in meanwhile.
    expect(table.get_by_label("Schritt 1 › Titel (Türkisch)")).to_have_count(0)
    page.get_by_label("Weitere Sprachen bearbeiten (Türkisch, Arabisch, Ukrainisch)").check()
    turkish = table.get_by_label("Schritt 1 › Titel (Türkisch)")
    expect(turkish).to_have_attribute("placeholder", "Ihr Anliegen")
    turkish.fill("Talebiniz")
    expect(table.get_by_label("Schritt 1 › Titel (Arabisch)")).to_have_attribute("dir", "rtl")
    _check_screen(page, "builder-texts")
    _saved(page)

    definition = _editor(desktop)["definition"]
    assert definition["leika"] == "99102013104000"
    assert definition["category"] == "abfall"
    assert definition["residence"] == "city"
    assert definition["processing"] == {"target_days": 10}
    assert definition["fees"] == {
        "period": "once",
        "rules": [
            {
                "id": "fee_1",
                "kind": "fixed",
                "amount_cents": 2500,
                "label": {"de": "Zuschlag ab sechs Gegenständen", "en": "Surcharge from six items"},
                "when": {"field": "items", "greater_than": 5},
            }
        ],
    }
    assert definition["payment"] == {"policy": "before_submission"}
    workflow = definition["workflow"]
    assert isinstance(workflow, dict)
    assert {
        "id": "archived",
        "label": {"de": "Archiviert", "en": "Archived"},
        "terminal": True,
    } in workflow["statuses"]
    assert {"from": "completed", "to": "archived", "actor": "system"} in workflow["transitions"]
    assert definition["documents"] == [
        {
            "id": "document_1",
            "kind": "confirmation",
            "title": {"de": "Abholtermin", "en": "Collection date"},
            "issued_on": "approved",
        }
    ]
    assert len(definition["checks"]) == 1
    assert definition["steps"][0]["title"] == {
        "de": "Ihr Anliegen",
        "en": "Your request",
        "tr": "Talebiniz",
    }


def test_a_broken_value_shows_its_problem_at_the_field(desktop):
    sign_in(desktop, "bausteine.fehler@example.org", role="admin")
    new_service(
        desktop,
        service_id="laermschutz_antrag",
        title_de="Lärmschutz beantragen",
        title_en="Apply for noise protection",
        area="umwelt",
    )
    page = desktop.new_page()
    page.goto("/verwaltung/dienste/laermschutz_antrag/v/1/bearbeiten?teil=allgemein")
    leika = page.get_by_label("LeiKa-Schlüssel")
    leika.fill("123")
    _saved(page)
    error = page.locator("#def-leika-error")
    expect(error).to_be_visible()
    expect(leika).to_have_attribute("aria-invalid", "true")
    record = desktop.request.get("/api/admin/services/laermschutz_antrag/versions/1/editor").json()
    assert record["definition"]["leika"] == "123"
    assert any(problem["field"] == "leika" for problem in record["problems"])
    # The problem list links to the field.
    page.locator(".builder-problems a").filter(has_text="Allgemeines").first.click()
    expect(leika).to_be_focused()
    assert_accessible(page, "builder-general-problem")
    leika.fill("")
    _saved(page)
    expect(error).to_have_count(0)


@pytest.mark.parametrize("service", ["dog_tax_registration", "resident_parking"])
def test_a_published_version_is_shown_read_only(desktop, service):
    sign_in(desktop, "bausteine.lesen@example.org", role="admin")
    versions = desktop.request.get(f"/api/admin/services/{service}/versions").json()["versions"]
    version = max(item["version"] for item in versions if item["state"] == "published")
    page = desktop.new_page()
    page.goto(f"/verwaltung/dienste/{service}/v/{version}/bearbeiten")
    expect(page.get_by_text("Diese Fassung ist nicht mehr änderbar.")).to_be_visible()
    for name in (
        "Allgemeines",
        "Gebühren und Zahlung",
        "Ablauf",
        "Dokumente",
        "Regeln und Prüfungen",
        "Texte und Übersetzungen",
    ):
        _open(page, name)
        section = page.locator(".sec-body")
        expect(section).to_have_attribute("disabled", "")
        expect(section.locator("input, select, textarea").first).to_be_disabled()
        expect(section.get_by_role("button")).to_have_count(0)
        assert_accessible(page, f"builder-read-only-{service}-{name}")
    # Every text of the definition is in the table, the dog tax's tiers among them.
    if service == "dog_tax_registration":
        expect(page.get_by_role("row", name="Stufe 2")).to_contain_text("Gebührenregel „dog_tax“")
