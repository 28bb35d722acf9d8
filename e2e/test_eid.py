"""Signing in and confirming an account with the Online-Ausweis, on a phone.

The portal runs with the built-in eID-Server simulator, whose simulated AusweisApp page
plays the AusweisApp's part (fetch the TCToken, "enter the PIN", send the browser to the
RefreshAddress). Each test uses its own test identity: a card, once bound to an
account, stays bound to it for the whole session.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    outbox_code,
    screenshot,
    server_applications,
    sign_in,
    skip_first_visit_tour,
)

pytestmark = pytest.mark.browser

MOBILE_PREFIX = "eid://127.0.0.1:24727/eID-Client?tcTokenURL="
DESKTOP_PREFIX = "http://127.0.0.1:24727/eID-Client?tcTokenURL="
IDENTITY_DUEREN = "Jonas Peter Schmitz (Personalausweis, wohnt in Düren)"
IDENTITY_LEYLA = "Leyla Demir (Aufenthaltstitel ohne Geburtsort, wohnt in Düren)"
IDENTITY_ERIKA = "Erika Mustermann (Personalausweis, wohnt in Köln)"


def check_screen(page, name: str) -> None:
    assert_accessible(page, name)
    assert_touch_targets(page, name)
    assert_no_horizontal_scroll(page, name)
    screenshot(page, name)


def token_url_of(href: str, prefix: str, base: str) -> str:
    """The tcTokenURL inside an AusweisApp link, checked to be a proper query value."""
    assert href.startswith(prefix), href
    encoded = href[len(prefix) :]
    # URL-encoded as a whole: nothing of it can be read as part of the outer URL.
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", encoded), encoded
    token_url = unquote(encoded)
    assert quote(token_url, safe="") == encoded
    parts = urlsplit(token_url)
    assert f"{parts.scheme}://{parts.netloc}" == base
    assert re.fullmatch(r"/api/eid/tctoken/[A-Za-z0-9_-]{20,}", parts.path), token_url
    assert not parts.query
    return token_url


def start_eid(page, live_server: str) -> str:
    """Press "Weiter mit dem Online-Ausweis"; returns the tcTokenURL of the app link."""
    page.get_by_role("button", name="Weiter mit dem Online-Ausweis").click()
    expect(page.get_by_role("heading", name="Bereit")).to_be_focused()
    app_link = page.get_by_role("link", name="AusweisApp öffnen", exact=True)
    return token_url_of(app_link.get_attribute("href"), MOBILE_PREFIX, live_server)


def simulated_ausweisapp(page, identity: str, outcome: str = "ok") -> None:
    """Open the simulated AusweisApp, choose the identity, enter the PIN, identify."""
    page.get_by_role("link", name="Simulierte AusweisApp öffnen (Testmodus)").click()
    page.wait_for_url(re.compile(r"/api/eid/simulator/client\?tcTokenURL="))
    expect(page.get_by_text("Testmodus").first).to_be_visible()
    page.get_by_label(identity).check()
    page.locator("#pin").fill("123456")
    if outcome != "ok":
        page.locator("#outcome").select_option(outcome)
    page.locator("button[value=identify]").click()


def test_eid_login_new_card_email_step_verified_profile_and_prefilled_form(phone, live_server):
    page = phone.new_page()
    page.goto("/anmelden")
    page.get_by_role("link", name="Mit Online-Ausweis anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit Online-Ausweis anmelden")
    expect(page.get_by_text("Dieses Portal läuft im Testmodus.")).to_be_visible()
    expect(
        page.get_by_role("link", name="AusweisApp herunterladen (ausweisapp.bund.de)")
    ).to_have_attribute("href", "https://www.ausweisapp.bund.de")
    check_screen(page, "eid-start")

    # A phone gets the eid:// link with the URL-encoded tcTokenURL ...
    token_url = start_eid(page, live_server)
    expect(page.get_by_text("Dieses Portal läuft im Testmodus.")).to_be_visible()
    # ... and, when nothing opened after a few seconds, the other form of the link.
    other = page.get_by_role("link", name="AusweisApp auf diesem Computer öffnen")
    expect(other).to_be_visible(timeout=8_000)
    assert token_url_of(other.get_attribute("href"), DESKTOP_PREFIX, live_server) == token_url
    check_screen(page, "eid-started")

    simulated_ausweisapp(page, IDENTITY_DUEREN)
    # A card we do not know: the e-mail step, greeting the citizen by name.
    page.wait_for_url(re.compile(r"/anmelden/ausweis\?schritt=e-mail$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fast geschafft: Ihre E-Mail-Adresse")
    expect(
        page.get_by_text("Guten Tag, Jonas Peter Schmitz. Ihr Ausweis ist erkannt.")
    ).to_be_visible()
    assert phone.request.get("/api/auth/session").json()["authenticated"] is False
    check_screen(page, "eid-email")
    email = "jonas.schmitz@example.org"
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Code senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code eingeben")
    page.get_by_label("Code aus der E-Mail").fill(outbox_code(phone, email))
    assert_accessible(page, "eid-email-code")
    page.get_by_role("button", name="Anmelden").click()

    # The card's data in normal case next to the (empty) profile; nothing taken yet.
    page.wait_for_url(re.compile(r"/konto/ausweis-daten\?weiter="))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Angaben aus Ihrem Ausweis übernehmen?"
    )
    expect(page.locator("[data-field=family_name] [data-card]")).to_have_text("Schmitz")
    assert phone.request.get("/api/account/profile").json()["verified"] == []
    page.get_by_role("button", name="Alle Angaben übernehmen").click()
    page.wait_for_url(re.compile(r"/konto\?eid=ok$"))
    expect(page.get_by_text("Erledigt: Ihr Online-Ausweis ist bestätigt.")).to_be_visible()
    # A new account: the guided first visit opens on the account page.
    skip_first_visit_tour(page)
    session = phone.request.get("/api/auth/session").json()
    assert session["authenticated"] is True
    assert session["user"]["email"] == email and session["user"]["trust_level"] == "high"
    profile = phone.request.get("/api/account/profile").json()
    assert {"given_names", "family_name", "date_of_birth", "street", "postal_code", "city"} <= set(
        profile["verified"]
    )
    # The verified fields are shown as such and cannot be edited.
    for label, value in [
        ("Vorname(n)", "Jonas Peter"),
        ("Familienname", "Schmitz"),
        ("Straße", "Wirtelstraße"),
        ("Ort", "Düren"),
    ]:
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_value(value)
        expect(field).to_have_attribute("readonly", "")
    expect(page.get_by_text("Mit dem Online-Ausweis bestätigt").first).to_be_visible()
    check_screen(page, "eid-account-verified")
    # The account now offers to link a new card instead of a first confirmation.
    expect(page.get_by_role("link", name="Konto mit Online-Ausweis bestätigen")).to_have_count(0)
    page.get_by_role("link", name="Online-Ausweis ansehen oder neuen Ausweis verbinden").click()
    expect(
        page.get_by_text("Ihr Konto ist mit dem Online-Ausweis bestätigt.", exact=True)
    ).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Verbunden am \d\d\.\d\d\.\d{4} \(Personalausweis\)"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Mit dem neuen Ausweis bestätigen")).to_be_visible()
    check_screen(page, "eid-confirmed")

    # The Meldebescheinigung needs trust level high: no eID offer, the form is prefilled.
    page.goto("/leistungen/registration_certificate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldebescheinigung anfordern")
    expect(page.get_by_role("link", name="Mit Online-Ausweis bestätigen")).to_have_count(0)
    page.get_by_role("button", name="Antrag starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihre Angaben")
    expect(page.get_by_label("Vorname(n)")).to_have_value("Jonas Peter")
    expect(page.get_by_label("Familienname")).to_have_value("Schmitz")
    expect(page.get_by_label("Geburtsdatum")).to_have_value("1988-03-21")
    assert_accessible(page, "eid-registration-certificate-prefilled")
    screenshot(page, "eid-registration-certificate-prefilled")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teil 2 von 2")
    expect(page.get_by_label("Straße")).to_have_value("Wirtelstraße")
    expect(page.get_by_label("Hausnummer")).to_have_value("12")

    # Signing in again with the same card goes straight in (no e-mail step).
    phone.request.post("/api/auth/logout", headers={"X-CSRF-Token": session["csrf_token"]})
    page.goto("/anmelden/ausweis")
    start_eid(page, live_server)
    simulated_ausweisapp(page, IDENTITY_DUEREN)
    page.wait_for_url(re.compile(r"/konto\?eid=ok$"))
    expect(page.get_by_text("Erledigt: Ihr Online-Ausweis ist bestätigt.")).to_be_visible()
    assert phone.request.get("/api/auth/session").json()["user"]["email"] == email


def test_basic_account_confirms_at_the_form_and_comes_back_to_send(phone, live_server):
    sign_in(phone, "leyla.demir@example.org")
    page = phone.new_page()
    page.goto("/konto")
    expect(page.get_by_role("link", name="Konto mit Online-Ausweis bestätigen")).to_have_attribute(
        "href", "/konto/ausweis"
    )
    page.goto("/leistungen/registration_certificate")
    # Offered before the form, too.
    expect(page.get_by_role("link", name="Mit Online-Ausweis bestätigen")).to_be_visible()
    assert_accessible(page, "eid-service-offer")
    page.get_by_role("button", name="Antrag starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihre Angaben")
    page.get_by_label("Vorname(n)").fill("Leyla")
    page.get_by_label("Familienname").fill("Demir")
    page.get_by_label("Geburtsdatum").fill("1993-11-02")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teil 2 von 2")
    page.get_by_label("Straße").fill("Kaiserplatz")
    page.get_by_label("Hausnummer").fill("2")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("radio", name="Einfache Meldebescheinigung").check()
    page.get_by_label("Wofür brauchen Sie die Bescheinigung?").select_option("bank")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    page.get_by_role("button", name="Weiter").click()

    # The check page: why, and the way to the eID step instead of a dead end.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    check_path = urlsplit(page.url).path
    expect(page.get_by_text("Zum Senden brauchen Sie den Online-Ausweis.")).to_be_visible()
    expect(page.get_by_role("button", name="Antrag verbindlich senden")).to_have_count(0)
    assert_accessible(page, "eid-check-offer")
    screenshot(page, "eid-check-offer")
    page.get_by_role("link", name="Mit Online-Ausweis bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto mit Online-Ausweis bestätigen")
    assert parse_qs(urlsplit(page.url).query)["weiter"] == [check_path]
    expect(page.get_by_text("Danach kommen Sie zu Ihrem Antrag zurück.")).to_be_visible()
    check_screen(page, "eid-confirm")
    start_eid(page, live_server)
    simulated_ausweisapp(page, IDENTITY_LEYLA)
    # First the comparison with the profile; the citizen keeps what she typed.
    page.wait_for_url(re.compile(r"/konto/ausweis-daten\?weiter="))
    page.get_by_role("button", name="Meine Angaben behalten").click()

    # Back on the same check page, the answers kept, now allowed to send.
    page.wait_for_url(re.compile(re.escape(check_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    expect(page.get_by_text("Demir", exact=True)).to_be_visible()
    assert phone.request.get("/api/auth/session").json()["user"]["trust_level"] == "high"
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    applications = server_applications(phone)
    assert [a["service_id"] for a in applications] == ["registration_certificate"]
    assert applications[0]["status"] == "awaiting_payment"
    # Sent and waiting for the fee: paying is one step away.
    expect(page.get_by_role("link", name="Jetzt bezahlen")).to_have_attribute(
        "href", f"/antraege/{applications[0]['id']}/bezahlen"
    )


def test_failures_are_explained_and_a_forged_result_signs_nobody_in(phone, live_server):
    page = phone.new_page()
    # Cancelled in the AusweisApp: plain German, try again, other ways to sign in.
    page.goto("/anmelden/ausweis")
    start_eid(page, live_server)
    simulated_ausweisapp(page, IDENTITY_ERIKA, outcome="cancelled")
    page.wait_for_url(re.compile(r"/anmelden/ausweis\?fehler=cancelled$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Das hat nicht geklappt")
    expect(page.get_by_text("Sie haben den Vorgang in der AusweisApp abgebrochen.")).to_be_visible()
    expect(page.get_by_role("link", name="Noch einmal versuchen")).to_have_attribute(
        "href", "/anmelden/ausweis"
    )
    expect(
        page.get_by_role("link", name="Mit Passkey oder Code per E-Mail anmelden")
    ).to_be_visible()
    check_screen(page, "eid-error-cancelled")

    # "ResultMajor=ok" typed into the address bar, no attempt at all.
    page.goto(
        "/api/eid/refresh?ResultMajor="
        + quote("http://www.bsi.bund.de/ecard/api/1.1/resultmajor#ok", safe="")
    )
    page.wait_for_url(re.compile(r"/anmelden/ausweis\?fehler=\w+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Das hat nicht geklappt")
    expect(
        page.get_by_role("link", name="Mit Passkey oder Code per E-Mail anmelden")
    ).to_be_visible()
    assert phone.request.get("/api/auth/session").json()["authenticated"] is False
    assert_accessible(page, "eid-error-forged")

    # The real RefreshAddress of a fresh attempt with "ok", but no card was ever read:
    # the eID-Server has no result, so nobody is signed in.
    page.goto("/anmelden/ausweis")
    token_url = start_eid(page, live_server)
    document = phone.request.get(urlsplit(token_url).path)
    assert document.ok, document.text()
    refresh = next(
        element.text
        for element in ElementTree.fromstring(document.body()).iter()
        if element.tag.rsplit("}", 1)[-1] == "RefreshAddress"
    )
    page.goto(
        refresh + "&ResultMajor=" + quote("http://www.bsi.bund.de/ecard/api/1.1/resultmajor#ok")
    )
    page.wait_for_url(re.compile(r"/anmelden/ausweis\?fehler=\w+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Das hat nicht geklappt")
    expect(page.locator(".kern-alert--danger")).to_contain_text("Bitte")
    assert phone.request.get("/api/auth/session").json()["authenticated"] is False
    assert "/konto" not in page.url

    # The same screen in English.
    page.goto("/anmelden/ausweis")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your online ID")
    expect(page.get_by_role("button", name="Continue with the online ID")).to_be_visible()
    assert_accessible(page, "eid-start-en")


def test_card_data_is_compared_before_it_changes_the_profile(phone, live_server):
    # Erika has an account with details she typed herself; her card says Köln.
    sign_in(
        phone,
        "erika.mustermann@example.org",
        given_names="Erika",
        family_name="Musterfrau",
        city="Düren",
    )
    page = phone.new_page()
    page.goto("/konto/ausweis")
    start_eid(page, live_server)
    simulated_ausweisapp(page, IDENTITY_ERIKA)

    page.wait_for_url(re.compile(r"/konto/ausweis-daten\?weiter="))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Angaben aus Ihrem Ausweis übernehmen?"
    )
    row = page.locator("[data-field=family_name]")
    expect(row.locator("[data-card]")).to_have_text("Mustermann")
    expect(row.locator("[data-profile]")).to_have_text("Musterfrau")
    expect(page.locator("[data-field=street] [data-card]")).to_have_text("Heidestrasse")
    expect(page.locator("[data-field=city] [data-card]")).to_have_text("Köln")
    expect(page.locator("[data-field=city] [data-profile]")).to_have_text("Düren")
    expect(page.locator("[data-field=date_of_birth] [data-card]")).to_have_text("12.08.1964")
    # Nothing changed before the citizen decides.
    profile = phone.request.get("/api/account/profile").json()
    assert (profile["family_name"], profile["city"], profile["verified"]) == (
        "Musterfrau",
        "Düren",
        [],
    )
    check_screen(page, "eid-review")
    # Decided later: the account page keeps reminding, and leads back.
    page.get_by_role("link", name="Später entscheiden").click()
    expect(page.locator(".kern-alert--warning")).to_contain_text("Neue Angaben aus Ihrem Ausweis")
    page.get_by_role("link", name="Angaben aus dem Ausweis ansehen und übernehmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Angaben aus Ihrem Ausweis übernehmen?"
    )

    page.get_by_role("button", name="Alle Angaben übernehmen").click()
    page.wait_for_url(re.compile(r"/konto$"))
    for label, value in [
        ("Vorname(n)", "Erika"),
        ("Familienname", "Mustermann"),
        ("Straße", "Heidestrasse"),
        ("Hausnummer", "17"),
        ("Ort", "Köln"),
    ]:
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_value(value)
        expect(field).to_have_attribute("readonly", "")

    # The registration certificate is for Düren's residents: said on its first page.
    page.goto("/leistungen/registration_certificate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldebescheinigung anfordern")
    notice = page.locator(".kern-alert--warning")
    expect(notice).to_contain_text("Sie wohnen nicht in Düren")
    expect(notice).to_contain_text("Nach Ihren Angaben wohnen Sie in Köln.")
    check_screen(page, "service-residence-notice")

    # Going on anyway: the address is refused once, and "Angaben prüfen" leads to the
    # field with its message.
    page.get_by_role("button", name="Antrag starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihre Angaben")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_label("Straße")).to_have_value("Heidestrasse")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("radio", name="Einfache Meldebescheinigung").check()
    page.get_by_label("Wofür brauchen Sie die Bescheinigung?").select_option("bank")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    screenshot(page, "x-check")
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Antrag noch nicht gesendet")
    page.get_by_role("link", name="Angaben prüfen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    # The refused street is listed once, though both the sync and the refused
    # submission reported it.
    summary = page.locator(".kern-alert--danger").filter(has_text="Bitte prüfen Sie Ihre Angaben")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_contain_text(
        "Die Straße „Heidestrasse“ gibt es in Düren nicht."
    )
    check_screen(page, "check-refused-street")
    summary.get_by_role("link").click()
    # On the address page: the street field has the focus and shows its message.
    page.wait_for_url(re.compile(r"\?zurueck=pruefen#f-address-street$"))
    street = page.get_by_label("Straße", exact=True)
    expect(street).to_be_focused()
    expect(street).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-address-street-error")).to_contain_text(
        "Die Straße „Heidestrasse“ gibt es in Düren nicht."
    )
    check_screen(page, "step-refused-street")
    # Corrected, the message goes.
    street.fill("Wirtelstraße")
    expect(page.locator("#f-address-street-error")).to_have_count(0)
