"""The console's people: an admin invites a clerk by e-mail, changes their service
areas, sees their sign-ins and passkeys, ends a sign-in and deactivates the account;
every screen and state passes axe-core, reflows at 200 % zoom, and the invitation is
done with the keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.db import db
from app.models import Passkey, User
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    make_user,
    outbox,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

CLERK = "neue.kollegin@example.org"


def _check(page, name: str) -> None:
    assert_accessible(page, name)
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, f"{name}-200")
    assert_accessible(page, f"{name}-200")
    page.set_viewport_size({"width": 1280, "height": 800})


def _tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until ``locator`` has the focus (as a keyboard user moves)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError("never reached the control with Tab")


def test_invite_change_areas_see_sign_ins_and_deactivate(desktop, browser, live_server):
    sign_in(desktop, "chefin@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/benutzer")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benutzer")
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    expect(nav.get_by_role("link", name="Benutzer")).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table", name="Benutzerkonten")
    # The list shows 50 at a time and other tests' accounts may come first: she searches.
    page.get_by_label("E-Mail-Adresse enthält").fill("chefin@")
    page.get_by_role("button", name="Suchen").click()
    expect(table).to_contain_text("chefin@example.org")
    page.goto("/verwaltung/benutzer")
    expect(table).to_be_visible()
    _check(page, "console-users")

    # Invite with the keyboard only.
    invite = page.get_by_role("link", name="Person einladen")
    _tab_to(page, invite)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Person einladen")
    _check(page, "console-invite")
    email = page.get_by_label("E-Mail-Adresse")
    _tab_to(page, email)
    page.keyboard.type("kein-at")
    send = page.get_by_role("button", name="Einladung senden")
    _tab_to(page, send)
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("E-Mail-Adresse")
    _check(page, "console-invite-error")
    email.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(CLERK)
    area = page.get_by_label("hundesteuer")
    _tab_to(page, area)
    page.keyboard.press("Space")
    expect(area).to_be_checked()
    _tab_to(page, send)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text(CLERK)
    expect(page.get_by_text(f"Einladung an {CLERK} verschickt")).to_be_visible()
    [mail] = outbox(desktop, CLERK)
    assert mail["subject"] == "Einladung ins Bürgerportal Düren"
    assert "chefin@example.org" in mail["body"] and "hundesteuer" in mail["body"]
    with db.connection_context():
        clerk = User.get(User.email == CLERK)
        assert clerk.role == "staff"
        Passkey.create(
            user=clerk, credential_id=b"\x01" * 32, public_key=b"key", name="Dienst-Laptop"
        )
    _check(page, "console-user-invited")

    # The clerk signs in on another device.
    other = browser.new_context(base_url=live_server, locale="de-DE")
    sign_in(other, CLERK)
    assert other.request.get("/api/auth/session").json()["authenticated"] is True

    # Change the areas.
    page.reload()
    page.get_by_label("abfall").check()
    page.get_by_label("Neuer Fachbereich (freiwillig)").fill("gewerbe")
    page.get_by_role("button", name="Rolle speichern").click()
    expect(page.get_by_text("Rolle und Fachbereiche sind gespeichert.")).to_be_visible()
    with db.connection_context():
        assert sorted(a.area for a in clerk.areas) == ["abfall", "gewerbe", "hundesteuer"]

    # Sign-ins and passkeys.
    sign_ins = page.get_by_role("table", name=f"Anmeldungen von {CLERK}")
    expect(sign_ins).to_contain_text("Code per E-Mail")
    expect(sign_ins).to_contain_text("aktiv")
    passkeys = page.get_by_role("table", name=f"Passkeys von {CLERK}")
    expect(passkeys).to_contain_text("Dienst-Laptop")
    expect(passkeys).to_contain_text("AQEBAQEB…")
    _check(page, "console-user")
    screenshot(page, "console-user")

    # End the sign-in: the other device is signed out.
    sign_ins.get_by_role("button", name="Beenden").click()
    expect(page.get_by_text("Die Anmeldung ist beendet.")).to_be_visible()
    assert other.request.get("/api/auth/session").json()["authenticated"] is False

    # Deactivate after a confirmation.
    sign_in(other, CLERK)
    page.get_by_role("button", name="Konto deaktivieren").click()
    expect(page.get_by_text(f"{CLERK} wirklich deaktivieren?")).to_be_visible()
    _check(page, "console-user-confirm")
    page.get_by_role("button", name="Ja, deaktivieren").click()
    expect(page.get_by_text("Das Konto ist deaktiviert.")).to_be_visible()
    assert other.request.get("/api/auth/session").json()["authenticated"] is False
    expect(sign_ins).to_contain_text("beendet am")
    expect(sign_ins.get_by_role("button", name="Beenden")).to_have_count(0)
    _check(page, "console-user-deactivated")
    other.close()

    # The list shows the status; the role filter narrows it.
    page.goto("/verwaltung/benutzer")
    page.get_by_label("Rolle").select_option("staff")
    page.get_by_role("button", name="Suchen").click()
    row = page.get_by_role("row").filter(has_text=CLERK)
    expect(row).to_contain_text("deaktiviert")
    expect(page.get_by_role("table", name="Benutzerkonten")).not_to_contain_text("chefin@")
    _check(page, "console-users-filtered")


def test_an_existing_citizen_is_upgraded_after_confirmation(desktop):
    sign_in(desktop, "chef@example.org", role="admin")
    make_user("buerger.in@example.org")
    page = desktop.new_page()
    page.goto("/verwaltung/benutzer/einladen")
    page.get_by_label("E-Mail-Adresse").fill("buerger.in@example.org")
    page.get_by_label("Außendienst").check()
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.get_by_text("Zu dieser Adresse gibt es schon ein Bürgerkonto")).to_be_visible()
    _check(page, "console-invite-citizen")
    page.get_by_role("button", name="Bürgerkonto zur Rolle „Außendienst“ ändern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("buerger.in@example.org")
    expect(page.get_by_text("Das Bürgerkonto hat die neue Rolle.")).to_be_visible()
    assert len(outbox(desktop, "buerger.in@example.org")) == 1


def test_admins_cannot_deactivate_themselves_from_their_page(desktop):
    me = sign_in(desktop, "selbst@example.org", role="admin")
    page = desktop.new_page()
    page.goto(f"/verwaltung/benutzer/{me}")
    expect(page.get_by_text("Ihr eigenes Konto können Sie nicht deaktivieren.")).to_be_visible()
    expect(page.get_by_role("button", name="Konto deaktivieren")).to_have_count(0)


def test_search_and_more_pages(desktop):
    sign_in(desktop, "blaetter@example.org", role="admin")
    # A prefix of their own: other tests of the run add accounts too.
    for number in range(55):
        make_user(f"seite{number:02d}@example.org")
    page = desktop.new_page()
    page.goto("/verwaltung/benutzer")
    table = page.get_by_role("table", name="Benutzerkonten")
    page.get_by_label("E-Mail-Adresse enthält").fill("seite")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text("50 Konten angezeigt.")).to_be_visible()
    page.get_by_role("button", name="Weitere laden").click()
    expect(page.get_by_text("55 Konten angezeigt.")).to_be_visible()
    expect(table).to_contain_text("seite54@example.org")
    expect(page.get_by_role("button", name="Weitere laden")).to_have_count(0)
    page.get_by_label("E-Mail-Adresse enthält").fill("seite07")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text("1 Konto angezeigt.")).to_be_visible()
    expect(table.get_by_role("link")).to_have_text(["seite07@example.org"])
