"""The help pages in Chromium: /hilfe lists the portal guides, one guide per published
service and the Leichte Sprache pages; each portal guide has numbered steps with
examples built from the portal's own components (read-only, marked as examples), names
buttons as the screens label them, has no axe-core violations in German and Arabic and
opens offline after one visit; the addresses of the former help texts still lead to
the guides that replaced them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import LOCALES
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    wait_for_offline_ready,
    zoomed_phone,
)

pytestmark = pytest.mark.browser

GUIDES = {
    "anmelden": "So melden Sie sich an",
    "bezahlen": "So bezahlen Sie",
    "app-installieren": "So installieren Sie die App",
    "antrag-verfolgen": "So verfolgen Sie Ihren Antrag",
}
# Every guide but the installation (it shows the browser, not the portal) has examples.
EXAMPLES = {"anmelden": 5, "bezahlen": 2, "app-installieren": 0, "antrag-verfolgen": 3}


def test_the_overview_lists_the_portal_guides_and_every_published_service(phone):
    page = phone.new_page()
    page.goto("/hilfe")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hilfe")
    portal = page.locator(".portal-guides").get_by_role("link")
    expect(portal).to_have_count(len(GUIDES))
    for index, (topic, title) in enumerate(GUIDES.items()):
        expect(portal.nth(index)).to_have_text(title)
        expect(portal.nth(index)).to_have_attribute("href", f"/hilfe/{topic}")

    expect(
        page.get_by_role("heading", level=2, name="Anleitungen zu den Leistungen")
    ).to_be_visible()
    services = phone.request.get("/api/services").json()
    assert services, "the catalogue is empty"
    links = page.locator(".service-guides").get_by_role("link")
    expect(links).to_have_count(len(services))
    hrefs = links.evaluate_all("(links) => links.map((link) => link.getAttribute('href'))")
    assert hrefs == [f"/leistungen/{service['id']}/anleitung" for service in services]
    expect(links.first).to_have_text(services[0]["title"]["de"])

    easy = page.get_by_role("link", name="Zu den Seiten in Leichter Sprache")
    expect(easy).to_have_attribute("href", "/leichte-sprache")
    assert_accessible(page, "help-overview")
    assert_no_horizontal_scroll(page, "help-overview")
    screenshot(page, "help-overview")

    portal.first.click()
    expect(page).to_have_url("/hilfe/anmelden")


def _shown(provider: dict) -> str:
    """A payment method's name as the payment page shows it (test mode marked)."""
    label = provider["label"]
    if provider.get("test_mode") and "testmodus" not in label.lower():
        return f"{label} (Testmodus)"
    return label


def _check_guide(page, topic: str, lang: str) -> None:
    page.goto(f"/hilfe/{topic}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    steps = page.locator("ol.help-steps > li")
    expect(steps.first).to_be_visible()
    examples = page.locator("figure.help-example")
    expect(examples).to_have_count(EXAMPLES[topic])
    if EXAMPLES[topic]:
        # Marked as an example for screen readers; nothing in it takes focus or input.
        label = examples.first.get_attribute("aria-label")
        caption = examples.first.locator("figcaption").inner_text()
        assert label.startswith(caption), (label, caption)
        assert examples.locator("[tabindex='-1']").count() > 0
        assert (
            examples.locator("input:not([readonly]):not([type=radio]):not([type=checkbox])").count()
            == 0
        )
    assert_accessible(page, f"help-{topic}-{lang}")
    assert_no_horizontal_scroll(page, f"help-{topic}-{lang}")
    screenshot(page, f"help-{topic}-{lang}")


def test_each_guide_shows_the_portals_own_screens_as_examples(phone):
    page = phone.new_page()
    for topic, title in GUIDES.items():
        _check_guide(page, topic, "de")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)

    page.goto("/hilfe/anmelden")
    email = page.locator("figure.help-example").get_by_label("E-Mail-Adresse")
    expect(email).to_have_value("erika.mustermann@example.org")
    expect(email).to_have_attribute("readonly", "")
    expect(page.locator("figure.help-example").get_by_label("Code aus der E-Mail")).to_have_value(
        "123456"
    )
    # The step names the button as the sign-in page labels it.
    steps = page.locator("ol.help-steps").first
    expect(steps).to_contain_text("„Code senden“")
    expect(steps).to_contain_text("„E-Mail-Adresse“")
    for heading in ("Mit Code per E-Mail", "Mit Passkey anmelden", "Mit Online-Ausweis anmelden"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()

    sign_in_page = phone.new_page()
    sign_in_page.goto("/anmelden")
    expect(sign_in_page.get_by_role("button", name="Code senden")).to_be_visible()
    expect(sign_in_page.get_by_role("heading", name="Mit Code per E-Mail")).to_be_visible()
    sign_in_page.close()

    # Paying: the methods the portal offers, as the payment page's radio group.
    providers = [
        _shown(provider) for provider in phone.request.get("/api/payments/providers").json()
    ]
    assert providers
    page.goto("/hilfe/bezahlen")
    choice = page.locator("figure.help-example").get_by_role(
        "group", name="Wie möchten Sie bezahlen?"
    )
    expect(choice.get_by_role("radio")).to_have_count(len(providers))
    for label in providers:
        expect(choice.get_by_label(label, exact=True)).to_be_visible()
        expect(page.locator("[data-guide-section=method] ol")).to_contain_text(label)
    expect(choice.get_by_role("radio").first).to_be_checked()
    # Read-only: a click does not change the choice.
    choice.get_by_role("radio").last.click(force=True)
    expect(choice.get_by_role("radio").first).to_be_checked()
    expect(
        page.locator("figure.help-example").get_by_text("Vielen Dank! Die Zahlung ist erledigt.")
    ).to_be_visible()

    # Following an application: the status badge and the timeline of the detail page.
    page.goto("/hilfe/antrag-verfolgen")
    example = page.locator("figure.help-example").first
    expect(example).to_have_attribute("aria-label", "Beispiel: Antrag")
    expect(example.locator(".kern-badge")).to_have_text("In Bearbeitung")
    expect(example.locator("ol.timeline > li")).to_have_count(3)
    expect(example.locator("ol.timeline")).to_contain_text("Antrag gesendet")
    expect(
        page.locator("figure.help-example").get_by_role("button", name="Rückfrage beantworten")
    ).to_have_attribute("tabindex", "-1")


def test_the_guides_in_arabic_read_right_to_left(browser, live_server):
    if "ar" not in LOCALES:
        pytest.skip("Arabic is not among PORTAL_LANGUAGES")
    context = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 800}, locale="ar"
    )
    context.add_init_script("localStorage.setItem('locale', 'ar')")
    try:
        page = context.new_page()
        page.goto("/hilfe")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", level=2, name="أدلة الخدمات")).to_be_visible()
        assert_accessible(page, "help-overview-ar")
        for topic in GUIDES:
            _check_guide(page, topic, "ar")
        page.goto("/hilfe/anmelden")
        expect(page.locator("ol.help-steps").first).to_contain_text("«إرسال الرمز»")
        # The example box sits on the right like the text around it.
        box = page.locator("figure.help-example").first.bounding_box()
        text = page.locator("ol.help-steps > li > p").first.bounding_box()
        assert abs((box["x"] + box["width"]) - (text["x"] + text["width"])) < 2
    finally:
        context.close()


@pytest.mark.service_worker
def test_the_guides_open_offline_after_one_visit(phone):
    page = phone.new_page()
    page.goto("/hilfe/bezahlen")
    wait_for_offline_ready(page)
    expect(page.locator("figure.help-example").get_by_role("radio").first).to_be_visible()
    page.goto("/hilfe")
    expect(page.locator(".service-guides").get_by_role("link").first).to_be_visible()
    phone.set_offline(True)
    try:
        for topic, title in GUIDES.items():
            page.goto(f"/hilfe/{topic}")
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
            expect(page.locator("figure.help-example")).to_have_count(EXAMPLES[topic])
        expect(page.locator("ol.help-steps").first).to_be_visible()
        page.goto("/hilfe/bezahlen")
        expect(page.locator("figure.help-example").get_by_role("radio").first).to_be_visible()
        page.goto("/hilfe")
        expect(page.locator(".service-guides").get_by_role("link").first).to_be_visible()
    finally:
        phone.set_offline(False)


@pytest.mark.parametrize(
    ("former", "guide"),
    [("registrieren", "anmelden"), ("antrag", "antrag-verfolgen"), ("app", "app-installieren")],
)
def test_the_former_addresses_lead_to_the_guides_that_replaced_them(phone, former, guide):
    page = phone.new_page()
    page.goto(f"/hilfe/{former}")
    expect(page).to_have_url(f"/hilfe/{guide}")
    expect(page.get_by_role("heading", level=1)).to_have_text(GUIDES[guide])


def test_an_unknown_guide_is_not_found(phone):
    page = phone.new_page()
    page.goto("/hilfe/gibt-es-nicht")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")


def test_the_guides_reflow_on_a_phone_at_200_percent(browser, live_server):
    # A 360 px phone at 200 % zoom lays out 180 CSS pixels.
    context = zoomed_phone(browser, live_server)
    try:
        page = context.new_page()
        for topic in ("", *GUIDES):
            page.goto(f"/hilfe/{topic}".rstrip("/"))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.wait_for_load_state("networkidle")
            assert_no_horizontal_scroll(page, f"help-{topic or 'overview'}-200")
    finally:
        context.close()
