"""The console at /verwaltung: admins land on its start page after signing in, staff on
their queue; citizens are told the console is not for them; the start page names what
waits, reflows at 200 % zoom and passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.db import db
from app.models import Feedback
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    make_user,
    outbox_code,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def _sign_in_by_code(context, email: str):
    page = context.new_page()
    page.goto("/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Code senden").click()
    page.get_by_label("Code aus der E-Mail").fill(outbox_code(context, email))
    page.get_by_role("button", name="Anmelden").click()
    return page


def test_admins_land_on_the_console_and_see_what_waits(desktop):
    with db.connection_context():
        Feedback.create(kind="accessibility", message="Der Kontrast ist zu schwach.")
    # Browser tests in other files run alongside and add, answer or remove feedback of
    # their own, so the count shown is only known to include this one; the exact count is
    # tested against the database in tests/console.
    make_user("verwaltung@example.org", "admin")
    page = _sign_in_by_code(desktop, "verwaltung@example.org")
    expect(page).to_have_url("/verwaltung")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Was jetzt ansteht")
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    expect(nav.get_by_role("link", name="Übersicht")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Verwaltung")).to_be_visible()
    item = page.locator(".attention-list__item").filter(has_text="Rückmeldungen")
    expect(item).to_contain_text(re.compile(r"\d+"))
    shown = int(re.match(r"\s*(\d+)", item.inner_text()).group(1))
    assert shown >= 1
    assert_accessible(page, "console-start")
    screenshot(page, "console-start")
    # A 1280 px screen at 200 % zoom lays out 640 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, "console-start-200")
    assert_accessible(page, "console-start-200")


def test_staff_land_on_their_queue(desktop):
    make_user("sb.landung@example.org", "staff", ("abfall",))
    page = _sign_in_by_code(desktop, "sb.landung@example.org")
    expect(page).to_have_url("/sachbearbeitung")
    expect(page.get_by_role("link", name="Verwaltung")).to_have_count(0)


def test_citizens_are_told_the_console_is_not_for_them(phone):
    sign_in(phone, "neugierig@example.org", given_names="Nora", family_name="Neugier")
    page = phone.new_page()
    page.goto("/verwaltung")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugang zur Verwaltung")
    assert_accessible(page, "console-no-access")
