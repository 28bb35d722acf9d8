"""Signing in with BundID in test mode, on a phone: from the sign-in screen through the
simulated BundID (Online-Ausweis) to the e-mail step and the data comparison.

The portal runs with the built-in BundID simulator (a SAML identity provider made with
the same library), which says "Testmodus" on every screen.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    outbox_code,
    post_ok,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def check_screen(page, name: str) -> None:
    assert_accessible(page, name)
    assert_no_horizontal_scroll(page, name)
    screenshot(page, name)


def test_bundid_sign_in_in_test_mode_and_confirm_the_data(phone, live_server):
    page = phone.new_page()
    page.goto("/anmelden")
    page.get_by_role("link", name="Mit BundID anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit BundID anmelden")
    expect(page.get_by_text("Dieses Portal läuft im Testmodus.")).to_be_visible()
    check_screen(page, "bundid-start")

    page.get_by_role("button", name="Weiter zur BundID").click()
    page.wait_for_url(re.compile(r"/bundid-simulator/sso$"))
    expect(page.get_by_text("Testmodus").first).to_be_visible()
    check_screen(page, "bundid-simulator")
    page.get_by_label("Online-Ausweis (Vertrauensniveau hoch)").check()
    page.get_by_label("Erika Mustermann (wohnt in Köln)").check()
    page.get_by_role("button", name="Anmelden").click()

    page.wait_for_url(re.compile(r"/bundid-simulator/answer$"))
    check_screen(page, "bundid-simulator-back")
    page.get_by_role("button", name="Weiter zum Bürgerportal").click()

    # A BundID account we do not know: the e-mail step, with BundID's address offered.
    page.wait_for_url(re.compile(r"/anmelden/bundid\?schritt=e-mail$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fast geschafft: Ihre E-Mail-Adresse")
    field = page.get_by_label("E-Mail-Adresse")
    expect(field).to_have_value("erika.mustermann@example.org")
    assert phone.request.get("/api/auth/session").json()["authenticated"] is False
    check_screen(page, "bundid-email")
    email = "erika.bundid@example.org"
    field.fill(email)
    page.get_by_role("button", name="Code senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code eingeben")
    page.get_by_label("Code aus der E-Mail").fill(outbox_code(phone, email))
    page.get_by_role("button", name="Anmelden").click()

    # BundID's data next to the (empty) profile; nothing taken until the citizen says so.
    page.wait_for_url(re.compile(r"/konto/bundid-daten\?weiter="))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Angaben aus Ihrer BundID übernehmen?"
    )
    expect(page.locator("[data-field=family_name] [data-card]")).to_have_text("Mustermann")
    expect(page.locator("[data-field=street] [data-card]")).to_have_text("Heidestraße")
    check_screen(page, "bundid-review")
    session = phone.request.get("/api/auth/session").json()
    assert session["authenticated"] and session["user"]["trust_level"] == "high"
    page.get_by_role("button", name="Alle Angaben übernehmen").click()
    page.wait_for_url(re.compile(r"/konto\?bundid=ok$"))
    linked = "Erledigt: Ihre BundID ist mit diesem Konto verbunden."
    expect(page.get_by_text(linked)).to_be_visible()
    check_screen(page, "bundid-account")
    profile = phone.request.get("/api/account/profile").json()
    assert profile["family_name"] == "Mustermann" and profile["city"] == "Köln"
    assert profile["sources"]["family_name"]["source"] == "bundid"


# A service of the city's own that asks for trust level "substantial".
SUBSTANTIAL_SERVICE = {
    "id": "steuerauskunft_test",
    "version": 1,
    "title": {"de": "Auskunft zur Gewerbesteuer", "en": "Information on trade tax"},
    "description": {
        "de": "Sie erhalten eine Auskunft zu Ihrem Gewerbesteuerkonto.",
        "en": "You receive information on your trade tax account.",
    },
    "category": "steuern",
    "area": "ordnung",
    "trust_level": "substantial",
    "trust_note": {
        "de": "Steuerdaten geben wir nur heraus, wenn sicher ist, wer fragt.",
        "en": "We only give out tax data when it is certain who is asking.",
    },
    "steps": [
        {
            "id": "question",
            "title": {"de": "Ihre Frage", "en": "Your question"},
            "fields": [
                {
                    "id": "question_text",
                    "type": "text",
                    "required": True,
                    "label": {
                        "de": "Was möchten Sie wissen?",
                        "en": "What would you like to know?",
                    },
                }
            ],
        }
    ],
    "payment": {"policy": "none"},
    "workflow": "standard",
}


def test_a_service_asking_for_substantial_takes_bundid_with_elster(browser, phone, live_server):
    """A citizen with a confirmed address reaches a "substantial" service's level through
    BundID with an ELSTER certificate (the simulator offers no weaker way), and sends."""
    admin = browser.new_context(base_url=live_server, locale="de-DE")
    sign_in(admin, "trust-admin@example.org", "admin")
    versions = f"/api/admin/services/{SUBSTANTIAL_SERVICE['id']}/versions/1"
    post_ok(admin, "/api/admin/services", {"definition": SUBSTANTIAL_SERVICE})
    post_ok(admin, f"{versions}/publish")
    try:
        sign_in(phone, "elster.citizen@example.org")
        page = phone.new_page()
        page.goto(f"/leistungen/{SUBSTANTIAL_SERVICE['id']}")
        expect(
            page.get_by_text(
                "Für diese Leistung brauchen Sie die BundID mit ELSTER-Zertifikat "
                "oder den Online-Ausweis."
            )
        ).to_be_visible()
        expect(page.get_by_role("link", name="Mit Online-Ausweis bestätigen")).to_be_visible()
        check_screen(page, "service-substantial")
        page.get_by_role("link", name="Mit BundID und ELSTER-Zertifikat bestätigen").click()
        page.wait_for_url(re.compile(r"/anmelden/bundid\?niveau=substanziell"))
        page.get_by_role("button", name="Weiter zur BundID").click()
        page.wait_for_url(re.compile(r"/bundid-simulator/sso$"))
        # Only the ways that reach "substantial" are offered.
        expect(
            page.get_by_label("Benutzername und Passwort (Vertrauensniveau niedrig)")
        ).to_have_count(0)
        page.get_by_label("ELSTER-Zertifikat (Vertrauensniveau substanziell)").check()
        page.get_by_label("Max Mustermann (wohnt in Bonn)").check()
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(re.compile(r"/bundid-simulator/answer$"))
        page.get_by_role("button", name="Weiter zum Bürgerportal").click()
        page.wait_for_url(re.compile(r"/konto/bundid-daten\?weiter="))
        page.get_by_role("button", name="Alle Angaben übernehmen").click()
        page.wait_for_url(re.compile(f"/leistungen/{SUBSTANTIAL_SERVICE['id']}$"))
        session = phone.request.get("/api/auth/session").json()
        assert session["user"]["trust_level"] == "substantial"
        expect(page.get_by_role("link", name="Mit Online-Ausweis bestätigen")).to_have_count(0)

        page.get_by_role("button", name="Antrag starten").click()
        page.get_by_label("Was möchten Sie wissen?").fill("Stand meines Kontos")
        page.get_by_role("button", name="Weiter").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
        page.get_by_role("button", name="Antrag verbindlich senden").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Antrag gesendet")
    finally:
        # Later tests see the built-in catalogue again.
        post_ok(admin, f"{versions}/retire")
        admin.close()
