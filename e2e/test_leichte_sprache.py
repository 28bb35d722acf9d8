"""Leichte Sprache in Chromium: from a service's page to its summary and on to the
journeys, with the keyboard alone, marked as German, without axe-core violations, and
offline once the portal was open with network; the service builder edits a summary as
plain text and shows a broken rule at it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.cities import load_city
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    new_service,
    screenshot,
    sign_in,
    wait_for_offline_ready,
)

pytestmark = pytest.mark.browser

# The city the portal serves (its package): the summaries name it for {city}.
CITY = load_city().name


def _tab_to(page, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.mark.service_worker
def test_from_a_service_to_its_summary_and_the_journeys_by_keyboard_and_offline(phone):
    page = phone.new_page()
    page.goto("/leistungen/dog_tax_registration")
    link = page.get_by_role("link", name="Diese Leistung in Leichter Sprache")
    expect(link).to_have_attribute("lang", "de")
    footer_link = page.locator("footer").get_by_role("link", name="Leichte Sprache")
    expect(footer_link).to_have_attribute("lang", "de")

    _tab_to(page, "Diese Leistung in Leichter Sprache")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/leichte-sprache/dog_tax_registration")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hund anmelden für die Hunde-Steuer")
    expect(page.locator("div.easy-read")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=2, name="Worum geht es?")).to_be_visible()
    # One sentence per line, the city's name filled in.
    expect(page.get_by_text(f"Sie melden Ihren Hund bei der Stadt {CITY} an.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Zum Antrag: Hund zur Hundesteuer anmelden")
    ).to_be_visible()
    assert_accessible(page, "leichte-sprache-service")
    assert_no_horizontal_scroll(page, "leichte-sprache-service")
    screenshot(page, "leichte-sprache-service")

    _tab_to(page, "Zurück zur Übersicht in Leichter Sprache")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/leichte-sprache")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leichte Sprache")
    for journey in ("Anmelden", "Einen Antrag stellen", "Bezahlen", "Den Antrag verfolgen"):
        expect(page.get_by_role("heading", level=2, name=journey)).to_be_visible()
    # Every service with a summary is listed; services other tests build in the console
    # carry none and are left out.
    with_summary = [
        service
        for service in phone.request.get("/api/services").json()
        if service.get("leichte_sprache_title")
    ]
    services = page.locator(".easy-read__links").get_by_role("link")
    expect(services).to_have_count(len(with_summary))
    assert_accessible(page, "leichte-sprache-overview")
    assert_no_horizontal_scroll(page, "leichte-sprache-overview")
    screenshot(page, "leichte-sprache-overview")

    # Offline like the other public pages, once the portal was open with network.
    page.goto("/")
    wait_for_offline_ready(page)
    phone.set_offline(True)
    try:
        page.goto("/leichte-sprache/resident_parking")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Park-Ausweis für Bewohner beantragen"
        )
        page.goto("/leichte-sprache")
        expect(
            page.get_by_role("link", name="Park-Ausweis für Bewohner beantragen")
        ).to_be_visible()
    finally:
        phone.set_offline(False)


def test_the_service_builder_edits_the_summary_and_shows_a_broken_rule(desktop):
    sign_in(desktop, "leichte.sprache@example.org", role="admin")
    new_service(
        desktop,
        service_id="baumschutz_antrag",
        title_de="Baum fällen lassen",
        title_en="Tree felling",
        area="umwelt",
    )
    page = desktop.new_page()
    page.goto("/verwaltung/dienste/baumschutz_antrag/v/1/bearbeiten?teil=leichte-sprache")
    area = page.get_by_label("Text in Leichter Sprache")
    # The hint shows the placeholder to type, not the city's name filled in.
    expect(page.get_by_text("Den Namen der Stadt schreiben Sie als {city}.")).to_be_visible()
    long = (
        "Sie brauchen für das Fällen von einem Baum auf Ihrem Grundstück in der Stadt "
        "eine Erlaubnis."
    )
    area.fill(f"Baum fällen\n\nWorum geht es?\nSie haben einen Baum.\n{long}")
    expect(page.get_by_text("Alle Änderungen sind gespeichert.")).to_be_visible(timeout=15_000)
    error = page.locator("#def-leichte_sprache-error")
    expect(error).to_contain_text("Teil 1, Satz 2")
    expect(error).to_contain_text("höchstens 15 Wörter")
    expect(area).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "builder-leichte-sprache-problem")
    screenshot(page, "builder-leichte-sprache-problem")

    area.fill("Baum fällen\n\nWorum geht es?\nSie haben einen Baum.\nSie brauchen eine Erlaubnis.")
    expect(error).to_have_count(0, timeout=15_000)
    editor = desktop.request.get("/api/admin/services/baumschutz_antrag/versions/1/editor").json()
    assert editor["definition"]["leichte_sprache"] == {
        "title": "Baum fällen",
        "sections": [
            {
                "heading": "Worum geht es?",
                "sentences": ["Sie haben einen Baum.", "Sie brauchen eine Erlaubnis."],
            }
        ],
    }
