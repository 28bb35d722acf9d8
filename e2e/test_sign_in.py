"""A citizen registers with an e-mail code, adds a passkey, signs out and back in with it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, outbox_code, screenshot, skip_first_visit_tour

pytestmark = pytest.mark.browser


def add_virtual_authenticator(context, page) -> tuple[object, str]:
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, result["authenticatorId"]


def test_register_add_passkey_logout_login_with_passkey(phone):
    page = phone.new_page()
    cdp, authenticator_id = add_virtual_authenticator(phone, page)
    email = "e2e.buergerin@example.org"

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("online")
    assert_accessible(page, "start")
    page.get_by_role("link", name="Anmelden oder Konto eröffnen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden oder Konto eröffnen")
    assert_accessible(page, "sign-in")
    # A wrong address is explained at the field, and nothing is sent.
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Code senden").click()
    expect(page.get_by_text("Bitte geben Sie eine E-Mail-Adresse im Format").first).to_be_visible()
    assert_accessible(page, "sign-in-error")
    screenshot(page, "sign-in-error")

    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Code senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code eingeben")
    assert_accessible(page, "code")
    page.get_by_label("Code aus der E-Mail").fill(outbox_code(phone, email))
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    expect(page.get_by_text("Willkommen! Ihr Bürgerkonto ist eröffnet.")).to_be_visible()
    skip_first_visit_tour(page)
    assert_accessible(page, "account")
    screenshot(page, "account-new")

    page.get_by_label("Name des Passkeys").fill("Mein Testtelefon")
    page.get_by_role("button", name="Passkey einrichten").click()
    expect(page.get_by_text("Der Passkey „Mein Testtelefon“ ist eingerichtet.")).to_be_visible()
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
        "credentials"
    ]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"] is True

    page.get_by_role("button", name="Abmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden oder Konto eröffnen")
    assert phone.request.get("/api/auth/session").json()["authenticated"] is False

    page.get_by_role("button", name="Mit Passkey anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    expect(page.get_by_text(re.compile(f"Angemeldet als {re.escape(email)}"))).to_be_visible()
    session = phone.request.get("/api/auth/session").json()
    assert session["authenticated"] and session["user"]["email"] == email
    screenshot(page, "account-passkey-login")


def test_english_switch_and_profile_errors(phone):
    page = phone.new_page()
    email = "e2e.profile@example.org"
    page.goto("/anmelden")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in or open an account")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send code").click()
    page.get_by_label("Code from the e-mail").press_sequentially(outbox_code(phone, email))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    skip_first_visit_tour(page)
    page.get_by_label("Postcode").fill("123")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Please check the format")).to_be_visible()
    assert_accessible(page, "account-profile-error")
    # Corrected key by key while the error shows: the focus stays in the field.
    postcode = page.get_by_label("Postcode")
    postcode.fill("")
    postcode.press_sequentially("52349")
    expect(postcode).to_have_value("52349")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
