"""The citizen turns e-mail off on the account screen, by keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser


def _channels(context) -> dict:
    return context.request.get("/api/account/notifications").json()


def test_citizen_turns_email_off_and_on_by_keyboard(desktop):
    sign_in(desktop, "kanal@example.org")
    page = desktop.new_page()
    page.goto("/konto")
    group = page.get_by_role("group", name="Wie sollen wir Ihnen Bescheid sagen?")
    expect(group).to_be_visible()
    email = group.get_by_role("checkbox", name="Per E-Mail an kanal@example.org")
    push = group.get_by_role("checkbox", name="Als Benachrichtigung auf Ihren Geräten")
    expect(email).to_be_checked()
    expect(push).to_be_checked()
    assert_accessible(page, "account channels")

    email.focus()
    page.keyboard.press("Space")
    expect(email).not_to_be_checked()
    page.keyboard.press("Tab")
    expect(push).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Auswahl speichern")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Ihre Auswahl ist gespeichert.")).to_be_visible()
    assert _channels(desktop) == {"email": False, "push": True}
    assert_accessible(page, "account channels saved")
    screenshot(page, "account-notification-channels")

    # After a reload the screen shows what is stored.
    page.reload()
    email = page.get_by_role("checkbox", name="Per E-Mail an kanal@example.org")
    expect(email).not_to_be_checked()
    email.check()
    page.get_by_role("button", name="Auswahl speichern").click()
    expect(page.get_by_text("Ihre Auswahl ist gespeichert.")).to_be_visible()
    assert _channels(desktop) == {"email": True, "push": True}


def test_the_choice_reads_in_english(desktop):
    sign_in(desktop, "channel.en@example.org")
    page = desktop.new_page()
    page.goto("/konto")
    page.evaluate("() => localStorage.setItem('locale', 'en')")
    page.reload()
    group = page.get_by_role("group", name="How should we let you know?")
    expect(group.get_by_role("checkbox", name="By email to channel.en@example.org")).to_be_checked()
    expect(group.get_by_role("checkbox", name="As a notification on your devices")).to_be_checked()
    assert_accessible(page, "account channels english")
