"""A service built in the browser from nothing, used by a citizen, decided by a clerk and
changed in a second version: "Sperrmüll anmelden" (bulky waste pick-up).

The admin builds it in the console's builder: an address in the city, a list of 1 to 10
items, a question that appears only when a large electrical appliance is on the list, a
fee of 25 € for more than five items, a date at least seven days ahead. The phone
preview shows the conditional question; the admin publishes. A citizen applies on a
phone with six items and pays the fee; a clerk approves. The admin then raises the fee
in version 2, while the citizen's application keeps version 1 and its fee."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, form_page, screenshot, sign_in, wait_until
from e2e.test_payments import choose_and_continue, returned, sandbox

pytestmark = pytest.mark.browser

SERVICE = "sperrmuell_anmelden"
SAVED = "Alle Änderungen sind gespeichert."
ITEMS = [
    ("furniture", "Kleiderschrank"),
    ("furniture", "Sofa"),
    ("electrical", "Kühlschrank"),
    ("other", "Teppich"),
    ("furniture", "Lattenrost"),
    ("other", "Fahrradanhänger"),
]


def _saved(page) -> None:
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)


def _open(page, name: str) -> None:
    page.get_by_role("navigation", name="Teile des Dienstes").get_by_role("link", name=name).click()
    expect(page.locator("#builder-section-heading")).to_contain_text(name)


def _add_field(page, container: str, type_name: str, path: str, de: str, en: str, field_id: str):
    """Add a field of ``type_name`` at the end of the list ``container`` (an id)."""
    page.locator(f"#{container}").get_by_label("Art des neuen Feldes").last.select_option(type_name)
    page.locator(f"#{container}-add").click()
    expect(page.locator(f"#{path}-label-de")).to_be_focused()
    page.keyboard.type(de)
    page.locator(f"#{path}-label-en").fill(en)
    page.locator(f"#{path}-id").fill(field_id)


def _build(page) -> None:
    """The whole service, section by section, as an admin clicks it together."""
    page.goto("/verwaltung/dienste/neu")
    page.locator("#new-service_id").fill(SERVICE)
    page.locator("#new-title_de").fill("Sperrmüll anmelden")
    page.locator("#new-title_en").fill("Book a bulky waste pick-up")
    page.locator("#new-area").fill("abfall")
    page.locator("#new-area").press("Enter")
    expect(page).to_have_url(f"/verwaltung/dienste/{SERVICE}/v/1/bearbeiten")

    _open(page, "Allgemeines")
    page.locator("#def-description-de").fill(
        "Melden Sie Möbel und andere große Gegenstände zur Abholung an."
    )
    page.locator("#def-description-en").fill("Book a pick-up of furniture and other large items.")

    _open(page, "Schritte und Felder")
    # The template's text field becomes the pick-up address, checked against the streets.
    page.locator("#def-steps-0-fields-0-toggle").click()
    page.locator("#def-steps-0-fields-0-type").select_option("address")
    page.locator("#def-steps-0-fields-0-id").fill("pickup_address")
    page.locator("#def-steps-0-fields-0-label-de").fill("Abholadresse")
    page.locator("#def-steps-0-fields-0-label-en").fill("Pick-up address")
    page.locator("#def-steps-0-fields-0-scope").select_option("city")
    page.locator("#def-steps-0-fields-0-toggle").click()

    # The item list: 1 to 10 items, each with its kind and what it is.
    _add_field(
        page,
        "def-steps-0-fields",
        "repeat",
        "def-steps-0-fields-1",
        "Gegenstände",
        "Items",
        "items",
    )
    page.locator("#def-steps-0-fields-1-min_items").fill("1")
    page.locator("#def-steps-0-fields-1-max_items").fill("10")
    page.locator("#def-steps-0-fields-1-item_label-de").fill("Gegenstand {n}")
    page.locator("#def-steps-0-fields-1-item_label-en").fill("Item {n}")
    inner = "def-steps-0-fields-1-fields"
    _add_field(page, inner, "select", f"{inner}-0", "Art des Gegenstands", "Kind of item", "kind")
    page.locator(f"#{inner}-0-required").check()
    choices = page.locator(f"#{inner}-0-options")
    for index, (value, de, en) in enumerate(
        [
            ("furniture", "Möbel", "Furniture"),
            ("electrical", "Elektrogroßgerät, z. B. Kühlschrank", "Large electrical appliance"),
            ("other", "Sonstiges", "Something else"),
        ]
    ):
        choices.get_by_role("button", name="Auswahlmöglichkeit hinzufügen").click()
        page.locator(f"#{inner}-0-options-{index}-value").fill(value)
        page.locator(f"#{inner}-0-options-{index}-label-de").fill(de)
        page.locator(f"#{inner}-0-options-{index}-label-en").fill(en)
    _add_field(page, inner, "text", f"{inner}-1", "Was ist es?", "What is it?", "description")
    page.locator(f"#{inner}-1-required").check()

    # A second step: the appliance question (only with an appliance) and the date.
    page.locator("#builder-steps-add").click()
    expect(page.locator("#def-steps-1-title-de")).to_be_focused()
    page.keyboard.type("Termin")
    page.locator("#def-steps-1-title-en").fill("Date")
    page.locator("#def-steps-1-id").fill("date_step")
    _add_field(
        page,
        "def-steps-1-fields",
        "checkbox",
        "def-steps-1-fields-0",
        "Die Elektrogeräte sind vom Strom getrennt und entleert.",
        "The electrical appliances are unplugged and emptied.",
        "appliances_ready",
    )
    page.locator("#def-steps-1-fields-0-required").check()
    page.locator("#def-steps-1-fields-0-editor").get_by_role(
        "button", name="Bedingung hinzufügen"
    ).click()
    page.locator("#def-steps-1-fields-0-visible_if-field").select_option("items.kind")
    page.locator("#def-steps-1-fields-0-visible_if").select_option("contains")
    page.locator("#def-steps-1-fields-0-visible_if-contains").select_option("electrical")
    _add_field(
        page,
        "def-steps-1-fields",
        "date",
        "def-steps-1-fields-1",
        "Wunschtermin für die Abholung",
        "Preferred pick-up date",
        "pickup_date",
    )
    page.locator("#def-steps-1-fields-1-required").check()
    page.locator("#def-steps-1-fields-1-min_date").fill("+7d")
    _saved(page)

    # 25 € for more than five items, paid before the application is sent.
    _open(page, "Gebühren und Zahlung")
    page.get_by_role("button", name="Feste Gebühr hinzufügen").click()
    rule = page.get_by_role("group", name="Regel 1: fee_1")
    rule.get_by_label("Deutsch").fill("Abholung von mehr als fünf Gegenständen")
    rule = page.get_by_role("group", name="Regel 1: Abholung von mehr als fünf Gegenständen")
    rule.get_by_label("Englisch").fill("Pick-up of more than five items")
    rule.get_by_label("Betrag in Euro").fill("25,00")
    when = rule.get_by_role("group", name="Wann die Regel gilt")
    when.get_by_role("button", name="Bedingung hinzufügen").click()
    when.get_by_label("Feld", exact=True).select_option("items")
    when.get_by_label("Vergleich").select_option("greater_than")
    when.get_by_label("Wert").fill("5")
    page.get_by_label("Wann bezahlt wird").select_option("before_submission")
    _saved(page)


def _preview(page) -> None:
    """The phone beside the editor: the appliance question follows the item list."""
    _open(page, "Schritte und Felder")
    phone = page.get_by_role("region", name="Formular in der Vorschau")
    page.get_by_label("Alle Seiten untereinander zeigen").check()
    expect(phone.get_by_text("Die Elektrogeräte sind vom Strom getrennt")).to_have_count(0)
    phone.get_by_label("Art des Gegenstands").first.select_option("electrical")
    expect(phone.get_by_text("Die Elektrogeräte sind vom Strom getrennt")).to_be_visible()
    phone.get_by_label("Art des Gegenstands").first.select_option("furniture")
    expect(phone.get_by_text("Die Elektrogeräte sind vom Strom getrennt")).to_have_count(0)
    assert_accessible(page, "builder-journey-preview")
    # The picture of the builder the README shows: editor and phone side by side.
    page.set_viewport_size({"width": 1440, "height": 960})
    page.evaluate("document.getElementById('def-steps-0-fields').scrollIntoView()")
    screenshot(page, "builder", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 800})


def _publish(page, version: int) -> None:
    expect(page.get_by_text("Keine offenen Probleme")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name=f"Fassung {version} veröffentlichen").click()
    expect(page).to_have_url(f"/verwaltung/dienste/{SERVICE}?veroeffentlicht={version}")
    expect(page.get_by_text(f"Fassung {version} ist veröffentlicht.")).to_be_visible()


def _apply_and_pay(phone) -> dict:
    """The citizen's side, on a phone: six items, one of them a fridge; then paying."""
    page = phone.new_page()
    page.goto(f"/leistungen/{SERVICE}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sperrmüll anmelden")
    page.get_by_role("button", name="Antrag starten").click()
    pickup = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    items_done = 0
    while True:
        key = form_page(page)
        if key == "pruefen":
            break
        assert_accessible(page, f"sperrmuell-{key}")
        if page.get_by_label("Hausnummer").count():
            page.get_by_label("Straße").fill("Kaiserplatz")
            page.get_by_label("Hausnummer").fill("2")
        if page.get_by_label("Was ist es?").count():
            kind, name = ITEMS[items_done]
            page.get_by_label("Art des Gegenstands").select_option(kind)
            page.get_by_label("Was ist es?").fill(name)
            items_done += 1
            if items_done < len(ITEMS):
                page.get_by_role("button", name=f"Gegenstand {items_done + 1} hinzufügen").click()
                expect(page).not_to_have_url(re.compile(f"/{re.escape(key)}$"))
                continue
        if page.get_by_label("Wunschtermin für die Abholung").count():
            # The fridge on the list asks the appliance question.
            page.get_by_role(
                "checkbox", name="Die Elektrogeräte sind vom Strom getrennt und entleert."
            ).check()
            page.get_by_label("Wunschtermin für die Abholung").fill(pickup)
        page.get_by_role("button", name="Weiter").click()
        expect(page).not_to_have_url(re.compile(f"/{re.escape(key)}$"))
    assert items_done == len(ITEMS)
    expect(page.locator("tfoot")).to_contain_text("25,00 €")
    expect(page.get_by_text("Kühlschrank", exact=True)).to_be_visible()
    assert_accessible(page, "sperrmuell-check")
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    wait_until(
        page,
        lambda: any(a["status"] != "draft" for a in phone.request.get("/api/applications").json()),
        message="the application sent",
    )
    [application] = [
        a for a in phone.request.get("/api/applications").json() if a["status"] != "draft"
    ]
    assert application["status"] == "awaiting_payment"
    page.goto(f"/antraege/{application['id']}")
    page.get_by_role("link", name="Jetzt bezahlen").click()
    pay_path = f"/antraege/{application['id']}/bezahlen"
    expect(page.locator("tfoot")).to_contain_text("25,00 €")
    choose_and_continue(page, "Testzahlung")
    sandbox(page, "Bezahlen")
    returned(page, pay_path, "succeeded")
    expect(page.get_by_text("Vielen Dank! Die Zahlung ist erledigt.")).to_be_visible()
    return phone.request.get(f"/api/applications/{application['id']}").json()


def _approve(clerk_context, application: dict) -> None:
    clerk = clerk_context.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Sperrmüll anmelden")
    expect(clerk.get_by_text("Kühlschrank", exact=True)).to_be_visible()
    clerk.get_by_role("radio", name="Genehmigt").check()
    clerk.get_by_label("Nachricht an die Antragstellerin oder den Antragsteller").fill(
        "Guten Tag,\n\nwir holen Ihren Sperrmüll am Wunschtermin ab."
    )
    clerk.get_by_role("button", name="Stand ändern").click()
    expect(clerk.get_by_text("Stand geändert: Genehmigt.")).to_be_visible()


def test_an_admin_builds_bulky_waste_a_citizen_applies_and_version_2_changes_the_fee(
    desktop, phone, browser, live_server
):
    sign_in(desktop, "baut.sperrmuell@example.org", role="admin")
    admin = desktop.new_page()
    _build(admin)
    _preview(admin)
    _publish(admin, 1)

    sign_in(phone, "sperrmuell.buerger@example.org", given_names="Erika", family_name="Muster")
    application = _apply_and_pay(phone)
    assert application["status"] == "submitted"
    assert application["service_version"] == 1
    assert application["fee_cents"] == 2500
    assert application["answers"]["appliances_ready"] is True
    assert [item["kind"] for item in application["answers"]["items"]] == [k for k, _ in ITEMS]

    clerk_context = browser.new_context(base_url=live_server, locale="de-DE")
    try:
        sign_in(clerk_context, "abfall.sperrmuell@example.org", role="staff", areas=("abfall",))
        _approve(clerk_context, application)
    finally:
        clerk_context.close()

    # Version 2 costs 30 €; the running application keeps version 1 and its 25 €.
    admin.goto(f"/verwaltung/dienste/{SERVICE}")
    admin.get_by_role("button", name="Neuen Entwurf aus Fassung 1 anlegen").click()
    admin.get_by_role("link", name="Fassung 2 bearbeiten").click()
    expect(admin).to_have_url(f"/verwaltung/dienste/{SERVICE}/v/2/bearbeiten")
    _open(admin, "Gebühren und Zahlung")
    rule = admin.get_by_role("group", name="Regel 1: Abholung von mehr als fünf Gegenständen")
    rule.get_by_label("Betrag in Euro").fill("30,00")
    _saved(admin)
    _publish(admin, 2)

    catalogue = phone.request.get(f"/api/services/{SERVICE}").json()
    assert catalogue["version"] == 2
    assert catalogue["fees"]["rules"][0]["amount_cents"] == 3000
    kept = phone.request.get(f"/api/applications/{application['id']}").json()
    assert (kept["service_version"], kept["fee_cents"], kept["status"]) == (1, 2500, "approved")
    page = phone.new_page()
    page.goto(f"/antraege/{application['id']}")
    expect(page.locator(".kern-badge").first).to_have_text("Genehmigt")
