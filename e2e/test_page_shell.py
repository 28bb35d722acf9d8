"""The page shell in Chromium: where the focus is after a load and after a route change,
reflow on a 360 px phone at 200 % zoom (180 CSS px) with a compact header, the
self-hosted fonts in use even on a slow network, and long German compounds breaking at
a hyphen rather than at any letter (hyphenation patterns loaded for German pages only)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    post_ok,
    screenshot,
    sign_in,
    submit_application,
    zoomed_phone,
)
from e2e.text_layout import LINE_BREAKS, assert_words_break_at_hyphens, wait_for_soft_hyphens

pytestmark = pytest.mark.browser

# A 360 px wide phone at 200 % zoom lays out 180 CSS pixels; 400 px of its height show.
SMALL = {"width": 180, "height": 400}  # what zoomed_phone lays out

WASTE_BINS = {
    "property_address": {"street": "Kaiserplatz", "house_number": "2"},
    "applicant_role": "owner",
    "action": "cancel",
    "bins": [{"bin_type": "bio", "size": "120"}],
    "collection_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
    "truthful": True,
}


def assert_reflows(page, name: str) -> None:
    """No sideways scrolling at 180 px, the scroll bar's width included."""
    assert page.evaluate("() => window.innerWidth") == SMALL["width"]
    assert_no_horizontal_scroll(page, name)
    wide = page.evaluate(
        """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
            [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right
                                > document.documentElement.clientWidth + 1)
                .map((el) => el.outerHTML.slice(0, 100)).slice(0, 3)]"""
    )
    assert wide[0] <= wide[1], f"{name}: {wide[0]} px of content in {wide[1]} px: {wide[2]}"


def assert_compact_header(page, name: str) -> None:
    """The header (official bar, title, menu) takes at most a third of the screen."""
    bottom = page.evaluate(
        "() => document.querySelector('.site-header').getBoundingClientRect().bottom"
    )
    assert bottom <= SMALL["height"] / 3, f"{name}: header ends at {bottom} px of {SMALL['height']}"


def test_first_tab_reaches_the_skip_link_and_route_changes_focus_the_heading(phone):
    page = phone.new_page()
    for path, title in [("/hilfe", "Hilfe"), ("/", "Ihre Anliegen")]:
        page.goto(path)
        # The title is set in the same step that used to move the focus to the heading.
        expect(page).to_have_title(re.compile(f"^{title}"))
        expect(page.get_by_role("heading", level=1)).not_to_be_focused()
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()

    # The skip link leads into the page content.
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # A route change inside the app: the new page's heading has the focus.
    page.get_by_role("link", name="Barrierefreiheit").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Erklärung zur Barrierefreiheit")
    expect(heading).to_be_focused()
    page.get_by_role("link", name="Datenschutz").click()
    expect(heading).to_have_text("Datenschutz")
    expect(heading).to_be_focused()
    # So does going back in the browser's history.
    page.go_back()
    expect(heading).to_have_text("Erklärung zur Barrierefreiheit")
    expect(heading).to_be_focused()

    # A full load again starts at the top.
    page.reload()
    expect(page).to_have_title(re.compile("^Erklärung zur Barrierefreiheit"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()


def test_pages_reflow_at_200_percent_zoom_on_a_zoomed_phone(browser, live_server):
    context = zoomed_phone(browser, live_server)
    try:
        sign_in(
            context,
            "reflow-180@example.org",
            given_names="Erika",
            family_name="Musterfrau",
            street="Kaiserplatz",
            house_number="2",
            postal_code="52349",
            city="Düren",
        )
        application = submit_application(context, "waste_bins", WASTE_BINS)
        page = context.new_page()
        for path in [
            "/",
            "/konto",
            "/antraege",
            "/zahlungen",
            f"/antraege/{application['id']}",
            "/postfach",
            "/hilfe",
            "/leistungen/resident_parking",
            "/barrierefreiheit",
        ]:
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.wait_for_load_state("networkidle")
            wait_for_soft_hyphens(page.locator(".site-title"))
            assert_reflows(page, path)
            assert_compact_header(page, path)
            assert_words_break_at_hyphens(page, ".site-title, h1", path)
        screenshot(page, "reflow-180")

        # The navigation is one tap away, and a chosen page closes the menu again. The
        # button carries the inbox's unread count (the receipt of the application).
        menu = page.get_by_role("button", name=re.compile("^Menü"))
        expect(menu).to_contain_text(re.compile(r"Menü \(\d+\)"))
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_role("link", name="Meine Anträge")).to_be_hidden()
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("link", name="Meine Anträge")).to_be_visible()
        assert_reflows(page, "menu open")
        assert_accessible(page, "menu-open-180")
        screenshot(page, "reflow-180-menu")
        # Escape closes it and leaves the focus on the button.
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_focused()
        menu.click()
        page.get_by_role("link", name="Meine Anträge").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anträge")
        expect(page.get_by_role("heading", level=1)).to_be_focused()
        expect(menu).to_have_attribute("aria-expanded", "false")
        assert_accessible(page, "applications-180")
    finally:
        context.close()


def test_signed_out_pages_reflow_at_180_px(browser, live_server):
    context = zoomed_phone(browser, live_server)
    try:
        page = context.new_page()
        for path in ["/", "/anmelden", "/hilfe/app", "/leistungen/dog_tax_registration"]:
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.wait_for_load_state("networkidle")
            wait_for_soft_hyphens(page.locator(".site-title"))
            assert_reflows(page, path)
            assert_compact_header(page, path)
            assert_words_break_at_hyphens(page, ".site-title, h1", path)
        assert_accessible(page, "service-180")
    finally:
        context.close()


def test_long_compounds_break_at_a_hyphen_at_180_px(browser, live_server):
    context = zoomed_phone(browser, live_server)
    try:
        page = context.new_page()
        page.goto("/")
        page.evaluate("() => document.fonts.ready")
        card = page.locator(".service-card__link", has_text="Bewohnerparkausweis beantragen")
        _assert_breaks_at_hyphens(page, card)

        page.goto("/leistungen/resident_parking")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Bewohnerparkausweis beantragen")
        # The word does not fit at heading size: it must break, and at a hyphen.
        _assert_breaks_at_hyphens(page, heading, must_wrap=True)
        assert_reflows(page, "resident parking")
    finally:
        context.close()


def _assert_breaks_at_hyphens(page, element, must_wrap: bool = False) -> None:
    """``element`` fits the small screen and breaks lines only at a hyphen (the German
    patterns loaded first); ``must_wrap`` when the text cannot fit on one line."""
    wait_for_soft_hyphens(element)
    page.evaluate("() => document.fonts.ready")
    lines = element.evaluate(LINE_BREAKS)
    assert not lines["overflows"] and lines["right"] <= SMALL["width"], lines
    if must_wrap:
        assert lines["breaks"], "expected the text to wrap at 180 px"
    assert all(item["proper"] for item in lines["breaks"]), lines["breaks"]


# A service the city adds itself, with a compound no list of word parts would know.
CITY_SERVICE = {
    "id": "special_use_permit",
    "version": 1,
    "title": {
        "de": "Sondernutzungserlaubnis beantragen",
        "en": "Apply for a special use permit",
    },
    "description": {
        "de": "Für Tische, Stühle oder ein Gerüst auf dem Gehweg.",
        "en": "For tables, chairs or scaffolding on the pavement.",
    },
    "category": "mobility",
    "area": "ordnung",
    "trust_level": "basic",
    "steps": [
        {
            "id": "place",
            "title": {"de": "Ort", "en": "Place"},
            "fields": [
                {
                    "id": "street",
                    "type": "text",
                    "required": True,
                    "label": {"de": "Straße", "en": "Street"},
                }
            ],
        }
    ],
    "payment": {"policy": "none"},
    "workflow": "standard",
}


def test_a_compound_in_a_service_the_city_adds_breaks_at_a_hyphen(browser, live_server):
    admin = browser.new_context(base_url=live_server, locale="de-DE")
    sign_in(admin, "services-admin-hyphen@example.org", "admin")
    versions = f"/api/admin/services/{CITY_SERVICE['id']}/versions/1"
    post_ok(admin, "/api/admin/services", {"definition": CITY_SERVICE})
    post_ok(admin, f"{versions}/publish")
    context = zoomed_phone(browser, live_server)
    try:
        page = context.new_page()
        page.goto("/")
        card = page.locator(".service-card__link", has_text="Sondernutzungserlaubnis beantragen")
        _assert_breaks_at_hyphens(page, card)

        page.goto(f"/leistungen/{CITY_SERVICE['id']}")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Sondernutzungserlaubnis beantragen")
        _assert_breaks_at_hyphens(page, heading, must_wrap=True)
        assert_reflows(page, "city service")
    finally:
        context.close()
        # Later tests see the built-in catalogue again.
        post_ok(admin, f"{versions}/retire")
        admin.close()


def test_english_pages_leave_words_whole_and_skip_the_german_patterns(browser, live_server):
    # Without the service worker, whose install fetches every asset: only what the page
    # itself asks for is requested.
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 800},
        locale="de-DE",
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    context.add_init_script("localStorage.setItem('locale', 'en')")
    try:
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto("/leistungen/resident_parking")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Apply for a resident parking permit")
        page.wait_for_load_state("networkidle")
        assert not [url for url in requested if "/hyphenator-de-" in url], requested
        texts = page.locator(".site-title, h1, .page__caption").evaluate_all(
            "(elements) => elements.map((element) => element.textContent)"
        )
        assert not [text for text in texts if "\u00ad" in text], texts

        # Switched to German, the page loads the patterns and hyphenates its title.
        page.get_by_role("button", name="Deutsch").click()
        expect(heading).to_have_text("Bewohnerparkausweis beantragen")
        wait_for_soft_hyphens(heading)
        assert [url for url in requested if "/hyphenator-de-" in url], requested
    finally:
        context.close()


def test_self_hosted_fonts_are_used_even_when_they_come_late(browser, live_server):
    # Without the service worker's copy, over a slow line: the fonts arrive well after
    # the first text is drawn.
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 800},
        locale="de-DE",
        service_workers="block",
    )
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 400,
                "downloadThroughput": 200 * 1024,
                "uploadThroughput": 200 * 1024,
            },
        )
        page.goto("/hilfe", timeout=60_000)
        expect(page.get_by_role("heading", level=1)).to_have_text("Hilfe", timeout=60_000)
        page.evaluate("() => document.fonts.ready")
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        used = {}
        for selector in ["h1", ".site-title", "footer p"]:
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
            used[selector] = sorted({font["familyName"] for font in fonts["fonts"]})
        # The build's subsets keep only the Windows names, where a cut calls itself e.g.
        # "Fira Sans SemiBold"; a fallback font would be another family altogether.
        assert all(
            families and all(family.startswith("Fira Sans") for family in families)
            for families in used.values()
        ), used
        # The regular and semi-bold files are preloaded with the page.
        preloads = page.locator("link[rel=preload][as=font]")
        expect(preloads).to_have_count(2)
    finally:
        context.close()
