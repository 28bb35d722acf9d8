"""Day-care places in the browser: the public facility list, a parent's application,
the clerk's ranked line and offer, the parent accepting; the console's facilities page
and the second parent's confirmation page; axe-core on every new screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.db import db
from app.kita import access, demo
from app.models import User
from e2e.conftest import (
    assert_accessible,
    screenshot,
    server_applications,
    sign_in,
)

pytestmark = pytest.mark.browser

PARENT = "eltern.kita@example.org"


def _facilities() -> dict[str, int]:
    with db.connection_context():
        return {f.name: f.id for f in demo.seed()}


def _apply_in_the_browser(page, facilities: dict[str, int]) -> dict:
    """Fill the day-care form as a parent: the facilities are chosen from selects
    offering the active facilities by name; the check page names them."""
    today = date.today()
    page.goto("/leistungen/daycare_place")
    page.get_by_role("button", name="Antrag starten").click()
    page.get_by_label("Vornamen des Kindes").fill("Mia")
    page.get_by_label("Familienname des Kindes").fill("Kita")
    page.get_by_label("Geburtsdatum des Kindes").fill((today - timedelta(days=1400)).isoformat())
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Straße").fill("Kaiserplatz")
    page.get_by_label("Hausnummer").fill("2")
    page.get_by_label("Postleitzahl").fill("52349")
    page.get_by_label("Ort", exact=True).fill("Düren")
    page.get_by_role("button", name="Weiter").click()
    # The parents' step goes on over a second page (phone, second parent).
    expect(page.get_by_text("Teil 2 von 2")).to_be_visible()
    page.get_by_role("button", name="Weiter").click()

    first = page.get_by_label("Erster Wunsch")
    expect(first.locator("option")).to_have_count(len(facilities) + 1)
    expect(first.locator("option").first).to_have_text("Bitte wählen")
    # An optional choice may stay empty: its first choice is the empty one.
    second = page.get_by_label("Zweiter Wunsch (freiwillig)")
    assert second.locator("option").first.get_attribute("value") == ""
    assert_accessible(page, "kita-form-facilities")
    screenshot(page, "kita-form-facilities")
    first.select_option(label=next(o for o in _labels(first) if o.startswith("Kita Sonnenblume")))
    second.select_option(str(facilities["Familienzentrum Rurauen (Demo)"]))
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Ab wann brauchen Sie den Platz?").fill(
        (today + timedelta(days=60)).isoformat()
    )
    page.get_by_role("radio", name="35 Stunden").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    expect(page.get_by_text("Kita Sonnenblume (Demo) – ")).to_be_visible()
    expect(page.get_by_text("Familienzentrum Rurauen (Demo) – ")).to_be_visible()
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    [sent] = server_applications(page.context)
    assert sent["answers"]["facility_1"] == str(facilities["Kita Sonnenblume (Demo)"])
    return sent


def _labels(select) -> list[str]:
    return select.locator("option").all_inner_texts()


def test_parent_applies_clerk_offers_parent_accepts(phone, desktop):
    facilities = _facilities()
    sonne = facilities["Kita Sonnenblume (Demo)"]

    page = phone.new_page()
    page.goto("/kitas")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kitas in Düren")
    expect(page.get_by_text(f"Nummer für den Antrag: {sonne}")).to_be_visible()
    assert_accessible(page, "kita-facilities")

    sign_in(phone, PARENT, given_names="Erika", family_name="Kita")
    application = _apply_in_the_browser(page, facilities)
    page.goto("/kita/angebote")
    expect(page.get_by_text("Sie haben noch kein Angebot")).to_be_visible()
    assert_accessible(page, "kita-offers-empty")

    sign_in(desktop, "clerk.kita@example.org", role="staff", areas=("kita",))
    clerk = desktop.new_page()
    clerk.goto("/kita/vergabe")
    clerk.get_by_role("link", name="Kita Sonnenblume (Demo)").click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Kita Sonnenblume (Demo)")
    row = clerk.locator("tr", has_text="Mia Kita")
    expect(row).to_contain_text("1. Wunsch")
    assert_accessible(clerk, "kita-demand")
    screenshot(clerk, "kita-demand")
    clerk.get_by_role("button", name="Platz anbieten: Mia Kita").click()
    expect(clerk.get_by_text("Zurzeit wartet kein Antrag")).to_be_visible()
    expect(clerk.locator("tr", has_text=application["reference"])).to_contain_text("Angeboten")
    assert_accessible(clerk, "kita-demand-offered")

    page.goto("/kita/angebote")
    expect(page.get_by_role("heading", name="Kita Sonnenblume (Demo)")).to_be_visible()
    expect(page.get_by_text("Bitte sagen Sie bis zum")).to_be_visible()
    assert_accessible(page, "kita-offer")
    screenshot(page, "kita-offer")
    page.get_by_role("button", name="Platz annehmen").click()
    expect(page.get_by_text("Sie haben diesen Platz angenommen.")).to_be_visible()
    assert_accessible(page, "kita-offer-accepted")

    clerk.reload()
    expect(clerk.locator("tr", has_text=application["reference"])).to_contain_text("Angenommen")


def test_console_facilities_and_confirmation_page(desktop, phone):
    _facilities()
    sign_in(desktop, "admin.kita@example.org", role="admin")
    admin = desktop.new_page()
    admin.goto("/verwaltung/kitas")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Kitas")
    expect(admin.get_by_role("cell", name="Stadt Düren (Demo)")).to_be_visible()
    assert_accessible(admin, "kita-console")
    # A facility without places is refused at the field.
    admin.get_by_label("Name", exact=True).fill("Kita Am Park (Demo)")
    admin.get_by_label("Straße").fill("Parkweg")
    admin.get_by_label("Hausnummer").fill("3")
    admin.get_by_label("Postleitzahl").fill("52351")
    admin.get_by_label("Träger", exact=True).fill("Stadt Düren (Demo)")
    admin.get_by_role("button", name="Hinzufügen").click()
    expect(admin.get_by_text("Eine Einrichtung braucht Plätze").first).to_be_visible()
    assert_accessible(admin, "kita-console-error")
    admin.get_by_label("Plätze für Kinder ab 3 Jahren").fill("12")
    admin.get_by_role("button", name="Hinzufügen").click()
    expect(admin.get_by_role("button", name="Bearbeiten: Kita Am Park (Demo)")).to_be_visible()

    sign_in(phone, "zweiter.kita@example.org")
    page = phone.new_page()
    page.goto("/kita/bestaetigen#unknown-token")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kita-Antrag bestätigen")
    assert_accessible(page, "kita-confirm")
    page.get_by_role("button", name="Antrag bestätigen").click()
    expect(page.get_by_text("Diese Seite oder diesen Eintrag gibt es nicht.")).to_be_visible()


def test_admin_invites_facility_staff_with_their_facilities(desktop):
    facilities = _facilities()
    sign_in(desktop, "admin.einladung@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/benutzer/einladen")
    page.get_by_label("E-Mail-Adresse").fill("leitung.sonne@example.org")
    page.get_by_label("Kita-Einrichtung").check()
    choice = page.get_by_role("group", name="Für diese Einrichtungen vergibt die Person Plätze")
    expect(choice).to_be_visible()
    # No service areas for this role: its facilities instead.
    expect(page.get_by_role("group", name="Fachbereiche")).to_have_count(0)
    page.get_by_role("button", name="Einladung senden").click()
    expect(choice).to_contain_text("Bitte wählen Sie mindestens eine Einrichtung.")
    assert_accessible(page, "kita-invite-facility-staff-error")
    choice.get_by_label("Kita Sonnenblume (Demo)").check()
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("leitung.sonne@example.org")
    links = page.get_by_role("group", name="Für diese Einrichtungen vergibt die Person Plätze")
    expect(links.get_by_label("Kita Sonnenblume (Demo)")).to_be_checked()
    expect(links.get_by_label("Kita Regenbogen (Demo)")).not_to_be_checked()
    assert_accessible(page, "kita-invited-facility-staff")
    with db.connection_context():
        user = User.get(User.email == "leitung.sonne@example.org")
        assert (user.role, access.linked(user)) == (
            "facility",
            [facilities["Kita Sonnenblume (Demo)"]],
        )
