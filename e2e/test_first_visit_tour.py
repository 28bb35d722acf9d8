"""The guided first visit in Chromium: a new citizen signs in with an e-mail code and
the tour opens as a modal dialog; it is walked through by keyboard alone, each step
highlighting its navigation link; a reload in the middle shows it again at the step it
was at; finished (or skipped) it never shows again for that account, also not in a
second browser; clerks never see it; the account page shows it again on request; no
axe-core violations with it open; at 200 % zoom on a phone it fits the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts import users
from app.db import db
from app.models import User
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    outbox_code,
    screenshot,
    sign_in,
    zoomed_phone,
)

pytestmark = pytest.mark.browser

TITLE = "Willkommen im Bürgerportal"
# Each step: the navigation link it points at and the link's name in its text.
STEPS = [("/", "Leistungen"), ("/antraege", "Meine Anträge"), ("/postfach", "Postfach")]
RING_AROUND_LINK = """() => {
    const ring = document.querySelector(".tour__ring")?.getBoundingClientRect();
    const link = document.querySelector("#site-nav a[data-tour-target]")?.getBoundingClientRect();
    return Boolean(ring && link) && ring.left <= link.left && ring.right >= link.right
        && ring.top <= link.top && ring.bottom >= link.bottom;
}"""


def _sign_in_by_code(page, email: str) -> None:
    page.goto("/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Code senden").click()
    page.get_by_label("Code aus der E-Mail").fill(outbox_code(page.context, email))
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Code eingeben")


def _new_account(context, email: str, role: str = "citizen", areas: tuple = ()) -> None:
    """Sign ``context`` in to a new account that has not seen the tour (as the sign-in
    page leaves it; the sign-in page itself is used once per file, for its rate limit)."""
    with db.connection_context():
        users.create_user(email, role, list(areas))
    sign_in(context, email)


def _tour(page):
    return page.get_by_role("dialog", name=TITLE)


def _assert_step(page, index: int) -> None:
    href, name = STEPS[index]
    dialog = _tour(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Schritt {index + 1} von 3")
    expect(dialog).to_contain_text(f"„{name}“")
    highlighted = page.locator("#site-nav a[data-tour-target]")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_attribute("href", href)
    expect(highlighted).to_have_text(name)
    # The ring is drawn around the link (both measured in one frame: the ring follows
    # the link when the page scrolls or the fonts arrive).
    page.wait_for_function(RING_AROUND_LINK, timeout=5_000)


def _focused_text(page) -> str:
    return page.evaluate("() => document.activeElement?.textContent.trim()")


def _in_dialog(page) -> bool:
    return page.evaluate("() => Boolean(document.activeElement?.closest('dialog.tour'))")


def _due(context) -> bool:
    return context.request.get("/api/account").json()["tour_due"]


def _told(page):
    """Waits for the account to be told the tour ended: the dialog closes at once, the
    request follows."""
    return page.expect_response(
        lambda response: (
            response.url.endswith("/api/account/tour") and response.request.method == "PUT"
        )
    )


def test_a_new_citizen_walks_the_tour_by_keyboard_and_never_sees_it_again(
    browser, live_server, phone
):
    email = "e2e.tour.first@example.org"
    page = phone.new_page()
    _sign_in_by_code(page, email)
    dialog = _tour(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    _assert_step(page, 0)
    # Focus is in the dialog, on "Weiter"; Tab and Shift+Tab stay inside.
    assert _focused_text(page) == "Weiter"
    for _ in range(4):
        page.keyboard.press("Tab")
        assert _in_dialog(page), _focused_text(page)
    page.keyboard.press("Shift+Tab")
    assert _in_dialog(page)
    assert_accessible(page, "tour-step-1")
    screenshot(page, "tour-step-1", full_page=False)

    # Walk on with the keyboard: Tab to "Weiter", Enter.
    while _focused_text(page) != "Weiter":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _assert_step(page, 1)
    expect(dialog.get_by_role("button", name="Zurück")).to_be_visible()
    # A reload in the middle: the tour is back at the same step.
    page.reload()
    _assert_step(page, 1)
    assert _focused_text(page) == "Weiter"
    # Back and on again.
    while _focused_text(page) != "Zurück":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _assert_step(page, 0)
    page.keyboard.press("Enter")
    _assert_step(page, 1)
    page.keyboard.press("Enter")
    _assert_step(page, 2)
    assert _focused_text(page) == "Fertig"
    expect(dialog.get_by_role("button", name="Überspringen")).to_have_count(0)
    assert_accessible(page, "tour-step-3")
    with _told(page):
        page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(page.locator("[data-tour-target]")).to_have_count(0)
    # Focus is back on the page, not lost.
    assert page.evaluate("() => document.activeElement !== document.body")
    assert not _due(phone)

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(_tour(page)).to_have_count(0)

    # Another browser: the account knows the tour is done.
    other = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 800}, locale="de-DE"
    )
    try:
        sign_in(other, email)
        second = other.new_page()
        second.goto("/konto")
        expect(second.get_by_role("heading", level=1)).to_have_text("Mein Konto")
        expect(_tour(second)).to_have_count(0)
        second.goto("/")
        expect(second.get_by_role("heading", level=1)).to_be_visible()
        expect(_tour(second)).to_have_count(0)
    finally:
        other.close()

    # On request from the account page, with Escape closing it and focus returning.
    page.goto("/konto")
    again = page.get_by_role("button", name="Einführung noch einmal ansehen")
    again.focus()
    page.keyboard.press("Enter")
    _assert_step(page, 0)
    page.keyboard.press("Escape")
    expect(_tour(page)).to_have_count(0)
    expect(again).to_be_focused()


def test_skipped_at_the_first_step_it_is_never_shown_again(browser, live_server, phone):
    email = "e2e.tour.skip@example.org"
    _new_account(phone, email)
    page = phone.new_page()
    page.goto("/")
    _assert_step(page, 0)
    with _told(page):
        _tour(page).get_by_role("button", name="Überspringen").click()
    expect(_tour(page)).to_have_count(0)
    assert not _due(phone)
    with db.connection_context():
        assert User.get(User.email == email).tour_outcome == "skipped"
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(_tour(page)).to_have_count(0)
    page.goto("/antraege")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anträge")
    expect(_tour(page)).to_have_count(0)

    other = browser.new_context(base_url=live_server, locale="de-DE")
    try:
        sign_in(other, email)
        second = other.new_page()
        second.goto("/")
        expect(second.get_by_role("heading", level=1)).to_be_visible()
        expect(_tour(second)).to_have_count(0)
    finally:
        other.close()


def test_escape_skips_it(phone):
    _new_account(phone, "e2e.tour.escape@example.org")
    page = phone.new_page()
    page.goto("/konto")
    _assert_step(page, 0)
    with _told(page):
        page.keyboard.press("Escape")
    expect(_tour(page)).to_have_count(0)
    assert not _due(phone)


def test_a_clerk_never_sees_it(desktop):
    email = "e2e.tour.clerk@example.org"
    # A new staff account, as an admin creates it (the tour not marked done).
    _new_account(desktop, email, "staff", ("hundesteuer",))
    page = desktop.new_page()
    assert not _due(desktop)
    for path in ("/sachbearbeitung", "/", "/konto"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(_tour(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Einführung noch einmal ansehen")).to_have_count(0)


def test_it_fits_a_phone_at_200_percent_and_unfolds_the_menu(browser, live_server):
    # A 360 px phone at 200 % zoom lays out 180 CSS pixels: the navigation is folded.
    context = zoomed_phone(browser, live_server)
    try:
        _new_account(context, "e2e.tour.zoom@example.org")
        page = context.new_page()
        page.goto("/")
        _assert_step(page, 0)
        expect(page.get_by_role("button", name="Menü")).to_have_attribute("aria-expanded", "true")
        panel = page.locator(".tour__panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 180
        assert_no_horizontal_scroll(page, "tour-200")
        assert_touch_targets(page, "tour-200")
        for index in (1, 2):
            _tour(page).get_by_role("button", name="Weiter").click()
            _assert_step(page, index)
        screenshot(page, "tour-200-percent", full_page=False)
        _tour(page).get_by_role("button", name="Fertig").click()
        expect(_tour(page)).to_have_count(0)
    finally:
        context.close()


def test_in_arabic_it_reads_right_to_left(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 800}, locale="ar"
    )
    context.add_init_script("localStorage.setItem('locale', 'ar')")
    try:
        _new_account(context, "e2e.tour.arabic@example.org")
        page = context.new_page()
        page.goto("/konto")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        dialog = page.get_by_role("dialog", name="مرحبًا بكم في بوابة المواطنين")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("الخطوة 1 من 3")
        assert (
            page.evaluate(
                "() => getComputedStyle(document.querySelector('.tour__panel')).direction"
            )
            == "rtl"
        )
        assert_accessible(page, "tour-ar")
        screenshot(page, "tour-ar", full_page=False)
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
    finally:
        context.close()
