"""Service guides in Chromium: every step of a built-in service with its example answers in
the form's own fields, the fee for them, what happens after sending and a working start
button; the guide of a service an admin publishes in the test, and of its next version;
offline after one visit; axe-core in German and Arabic, the keyboard, 200 % zoom."""

from __future__ import annotations

import copy
import json
import re

import pytest
from playwright.sync_api import expect

from app.cities import load_city
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
    wait_for_offline_ready,
    zoomed_phone,
)
from tests.api.test_admin_definitions import MINIMAL

pytestmark = pytest.mark.browser

ADDRESS = load_city().data["guide_example_address"]
SERVICE = "guide_hedge_permit"
GUIDE_URL = "/leistungen/dog_tax_registration/anleitung"


def _euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def _tab_to(page, name: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_guide_of_a_builtin_service_shows_every_step_with_examples(phone):
    page = phone.new_page()
    page.goto("/leistungen/dog_tax_registration")
    _tab_to(page, "So beantragen Sie es: Schritt für Schritt mit Beispielen")
    page.keyboard.press("Enter")
    expect(page).to_have_url(GUIDE_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "So beantragen Sie: Hund zur Hundesteuer anmelden"
    )
    steps = page.locator(".guide-step h3")
    expect(steps).to_have_count(4)
    expect(steps.nth(0)).to_have_text("Schritt 1 von 4: Ihre Anschrift")
    expect(steps.nth(1)).to_contain_text("Ihre Hunde")
    # The step's note from the definition.
    expect(page.get_by_text("Geben Sie die Anschrift an, unter der Ihr Hund")).to_be_visible()
    # The form's own fields, read-only, filled with the examples and named as examples.
    street = page.locator("#guide-f-holder_address-street")
    expect(street).to_have_value(ADDRESS["street"])
    expect(street).to_have_attribute("readonly", "")
    expect(page.locator("#guide-f-holder_address-house_number")).to_have_value(
        ADDRESS["house_number"]
    )
    phone_input = page.get_by_label("Beispiel: Telefon für Rückfragen")
    expect(phone_input).to_have_value("0170 1234567")
    expect(page.locator("#guide-f-dogs-0-dog_name")).to_have_value("Bello")
    expect(page.locator("#guide-f-dogs-0-breed")).to_have_value("Labrador-Mischling")
    expect(page.get_by_role("heading", level=4, name="Hund 1")).to_be_visible()
    shelter = page.get_by_role("radio", name="Aus einem Tierheim")
    expect(shelter).to_be_checked()
    expect(shelter).to_be_disabled()
    mandate = page.get_by_role("checkbox", name="Beispiel: Ich möchte die Hundesteuer")
    expect(mandate).to_be_checked()
    # The upload field of a dangerous dog is hidden under the examples, as in the form.
    expect(page.locator("#guide-f-dogs-0-permit")).to_have_count(0)
    expect(page.locator("figure.guide-example figcaption").first).to_have_text(
        "Beispiel: So könnte dieser Schritt ausgefüllt aussehen."
    )
    # Before: derived (the IBAN field) and the definition's own list.
    before = page.locator("section", has=page.get_by_role("heading", name="Bevor Sie beginnen"))
    expect(before).to_contain_text("Ihre IBAN")
    expect(before).to_contain_text("Den Tag, an dem der Hund zu Ihnen kam")
    # The fee engine's fee for the examples.
    guide = phone.request.get("/api/services/dog_tax_registration/guide").json()
    fee = page.locator("section", has=page.get_by_role("heading", name="Was es kostet"))
    expect(fee.locator("table tfoot")).to_contain_text(_euros(guide["fee"]["total_cents"]))
    after = page.locator("section", has=page.get_by_role("heading", name="Nach dem Senden"))
    expect(after).to_contain_text("Eingangsbestätigung")
    expect(after).to_contain_text("Hundesteuerbescheid: kommt in Ihr Postfach im Portal.")
    duration = page.locator("section", has=page.get_by_role("heading", name="Wie lange es dauert"))
    expect(duration.locator("p")).to_have_attribute("data-source", guide["duration"]["source"])
    assert_accessible(page, "guide-dog-tax")
    assert_no_horizontal_scroll(page, "guide-dog-tax")
    screenshot(page, "guide-dog-tax")

    _tab_to(page, "Antrag jetzt starten")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/antrag/[^/]+/holder"))


def test_the_guide_in_arabic_is_mirrored_and_accessible(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="ar")
    context.add_init_script("localStorage.setItem('locale', 'ar')")
    try:
        page = context.new_page()
        page.goto(GUIDE_URL)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", level=1)).to_contain_text("طريقة التقديم")
        expect(page.locator("#guide-f-dogs-0-dog_name")).to_have_value("Bello")
        assert_accessible(page, "guide-dog-tax-ar")
        assert_no_horizontal_scroll(page, "guide-dog-tax-ar")
        screenshot(page, "guide-dog-tax-ar")
    finally:
        context.close()


def test_the_guide_reflows_at_200_percent_zoom(browser, live_server):
    context = zoomed_phone(browser, live_server, width=1280)
    try:
        page = context.new_page()
        for service in ("dog_tax_registration", "resident_parking", "waste_bins"):
            page.goto(f"/leistungen/{service}/anleitung")
            expect(page.locator(".guide-step").first).to_be_visible()
            assert_no_horizontal_scroll(page, f"guide {service} at 200 %")
    finally:
        context.close()


def _definition(version: int, hedge_metres: int) -> dict:
    definition = copy.deepcopy(MINIMAL)
    definition.update(
        id=SERVICE,
        version=version,
        title={"de": "Hecke schneiden lassen", "en": "Hedge cutting"},
        area="umwelt",
        workflow="standard",
        auto_decision={"enabled": False},
    )
    definition["steps"] = [
        {
            "id": "hedge",
            "title": {"de": "Ihre Hecke", "en": "Your hedge"},
            "fields": [
                {
                    "id": "hedge_address",
                    "type": "address",
                    "scope": "city",
                    "required": True,
                    "label": {"de": "Wo steht die Hecke?", "en": "Where is the hedge?"},
                },
                {
                    "id": "metres",
                    "type": "number",
                    "required": True,
                    "min": 1,
                    "max": 500,
                    "label": {"de": "Länge in Metern", "en": "Length in metres"},
                },
                {
                    "id": "kind",
                    "type": "select",
                    "required": True,
                    "label": {"de": "Art der Hecke", "en": "Kind of hedge"},
                    "options": [
                        {"value": "beech", "label": {"de": "Buche", "en": "Beech"}},
                        {"value": "thuja", "label": {"de": "Thuja", "en": "Thuja"}},
                    ],
                },
            ],
        }
    ]
    definition["guide"] = {
        "steps": {"hedge": {"de": "Messen Sie die Hecke vorher ab.", "en": "Measure first."}},
        "examples": {"hedge_address": "city", "metres": hedge_metres, "kind": "beech"},
        "after": {"de": "Wir melden uns zum Termin.", "en": "We contact you."},
    }
    return definition


def _publish(context, definition: dict) -> None:
    token = context.request.get("/api/auth/session").json()["csrf_token"]
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    created = context.request.post(
        "/api/admin/services", data=json.dumps({"definition": definition}), headers=headers
    )
    assert created.status == 201, created.text()
    version = definition["version"]
    published = context.request.post(
        f"/api/admin/services/{SERVICE}/versions/{version}/publish", headers=headers
    )
    assert published.status == 200, published.text()


def test_a_service_published_in_the_console_gets_its_guide_and_it_follows_new_versions(
    desktop, phone
):
    sign_in(desktop, "guide.admin@example.org", role="admin")
    _publish(desktop, _definition(1, 12))
    page = phone.new_page()
    page.goto(f"/leistungen/{SERVICE}/anleitung")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "So beantragen Sie: Hecke schneiden lassen"
    )
    expect(page.get_by_text("Messen Sie die Hecke vorher ab.")).to_be_visible()
    expect(page.locator("#guide-f-metres")).to_have_value("12")
    expect(page.locator("#guide-f-kind")).to_have_value("beech")
    expect(page.locator("#guide-f-hedge_address-street")).to_have_value(ADDRESS["street"])
    expect(page.get_by_text("Wir melden uns zum Termin.")).to_be_visible()
    assert_accessible(page, "guide-console-service")

    _publish(desktop, _definition(2, 30))
    page.reload()
    expect(page.locator("#guide-f-metres")).to_have_value("30")


@pytest.mark.service_worker
def test_the_guide_opens_offline_after_one_visit(phone):
    page = phone.new_page()
    page.goto("/")
    wait_for_offline_ready(page)
    page.goto("/leistungen/waste_bins/anleitung")
    expect(page.locator("#guide-f-bins-0-bin_type")).to_have_value("bio")
    phone.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_contain_text("So beantragen Sie")
        expect(page.locator("#guide-f-bins-0-bin_type")).to_have_value("bio")
        expect(page.locator("#guide-f-remarks")).to_have_value(
            "Die Tonnen stehen links neben der Garage."
        )
    finally:
        phone.set_offline(False)
