"""Every screen in German and English: axe-core (WCAG 2.1 AA) without violations, touch
targets of at least 44 px, no sideways scrolling at 360 px, at 200 % zoom and at 320 px;
the citizen journey by keyboard alone; the feedback channel of the accessibility
statement; screenshots at 360×800."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    screenshot,
    sign_in,
    submit_application,
)

pytestmark = pytest.mark.browser

PUBLIC = [
    ("/", "Ihre Anliegen bei der Stadt Düren – online", "start"),
    (
        "/leistungen/civil_status_certificate",
        "Geburts-, Ehe- oder Sterbeurkunde anfordern",
        "service",
    ),
    ("/leistungen/business_registration", "Gewerbe anmelden", "service-eid"),
    ("/hilfe", "Hilfe", "help"),
    ("/hilfe/anmelden", "So melden Sie sich an", "help-sign-in"),
    ("/hilfe/bezahlen", "So bezahlen Sie", "help-pay"),
    ("/hilfe/app-installieren", "So installieren Sie die App", "help-install"),
    ("/hilfe/antrag-verfolgen", "So verfolgen Sie Ihren Antrag", "help-follow"),
    ("/datenschutz", "Datenschutz", "privacy"),
    ("/impressum", "Impressum", "imprint"),
    ("/barrierefreiheit", "Erklärung zur Barrierefreiheit", "accessibility"),
    ("/anmelden", "Anmelden oder Konto eröffnen", "sign-in"),
    ("/gibt-es-nicht", "Seite nicht gefunden", "not-found"),
]

WASTE_BINS = {
    "property_address": {"street": "Kaiserplatz", "house_number": "2"},
    "applicant_role": "owner",
    "action": "cancel",
    "bins": [{"bin_type": "bio", "size": "120"}],
    "collection_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
    "truthful": True,
}


def check_screen(page, name: str) -> None:
    assert_accessible(page, name)
    assert_touch_targets(page, name)
    assert_no_horizontal_scroll(page, name)


def test_public_screens(phone):
    page = phone.new_page()
    for path, heading, name in PUBLIC:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_screen(page, name)
        screenshot(page, f"screen-{name}")
    # Search narrows the catalogue and says how many services it found.
    page.goto("/")
    page.get_by_label("Leistung suchen").fill("hund")
    expect(page.get_by_text("2 Treffer")).to_be_visible()
    expect(page.get_by_role("link", name="Hund zur Hundesteuer anmelden")).to_be_visible()
    expect(page.get_by_role("link", name="Gewerbe anmelden")).to_have_count(0)


def test_english_screens(phone):
    page = phone.new_page()
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your errands with the City of Düren – online"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Register a dog for dog tax")).to_be_visible()
    check_screen(page, "start-en")
    screenshot(page, "screen-start-en")
    page.get_by_role("link", name="Register a dog for dog tax").click()
    page.get_by_role("button", name="Start application").click()
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check your answers")
    expect(
        summary.get_by_role("link", name="Address in Düren – Street: Please fill in this field.")
    ).to_be_visible()
    check_screen(page, "form-error-en")
    screenshot(page, "screen-form-error-en")
    # The link moves the focus to the field it names.
    summary.get_by_role(
        "link", name="Address in Düren – Street: Please fill in this field."
    ).click()
    expect(page.get_by_label("Street")).to_be_focused()
    for path, heading in [
        ("/hilfe", "Help"),
        ("/barrierefreiheit", "Accessibility statement"),
        ("/datenschutz", "Privacy"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_screen(page, f"{path}-en")
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenschutz")


def test_signed_in_screens(phone):
    sign_in(phone, "screens@example.org", given_names="Erika", family_name="Musterfrau")
    application = submit_application(phone, "waste_bins", WASTE_BINS)
    page = phone.new_page()
    screens = [
        ("/", "start-signed-in"),
        ("/antraege", "applications"),
        (f"/antraege/{application['id']}", "application"),
        ("/postfach", "inbox-list"),
        ("/konto", "account"),
    ]
    for path, name in screens:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
        check_screen(page, name)
        screenshot(page, f"screen-{name}")
    expect(page.get_by_role("heading", name="Angemeldete Geräte")).to_be_visible()
    expect(page.get_by_role("heading", name="Benachrichtigungen")).to_be_visible()
    expect(page.get_by_role("heading", name="Daten auf diesem Gerät")).to_be_visible()
    page.goto("/postfach")
    page.get_by_role("link", name=re.compile("^Abfallbehälter")).first.click()
    expect(page.get_by_role("link", name=re.compile("herunterladen$"))).to_be_visible()
    check_screen(page, "inbox-message")
    # A citizen does not get the clerks' screens.
    page.goto("/sachbearbeitung")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")


def test_feedback_form_sends_the_report(phone):
    page = phone.new_page()
    page.goto("/barrierefreiheit")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(
        page.get_by_role("alert").get_by_role(
            "link", name="Bitte schreiben Sie uns, was Ihnen aufgefallen ist."
        )
    ).to_be_visible()
    # Typed key by key while the error shows: the focus stays in the field.
    message = page.get_by_label("Ihre Nachricht")
    message.click()
    message.press_sequentially("Die Schrift im Kalender ist zu klein.")
    expect(message).to_have_value("Die Schrift im Kalender ist zu klein.")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.get_by_text("Danke! Ihre Rückmeldung ist angekommen.")).to_be_visible()
    mails = phone.request.get("/dev/outbox.json?to=barrierefreiheit@dueren.de").json()
    assert any("Schrift im Kalender" in mail["body"] for mail in mails)
    check_screen(page, "feedback-sent")


def test_feedback_form_falls_back_to_email(phone):
    page = phone.new_page()
    # The report cannot be sent (no network, server down): the e-mail way still works.
    page.route("**/api/feedback", lambda route: route.abort())
    page.goto("/barrierefreiheit")
    page.get_by_label("Ihre Nachricht").fill("Der Kontrast im Kopf ist zu schwach.")
    page.get_by_role("button", name="Rückmeldung senden").click()
    link = page.get_by_role("link", name="E-Mail an barrierefreiheit@dueren.de schreiben")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href.startswith("mailto:barrierefreiheit@dueren.de?subject=")
    assert "Kontrast" in href
    check_screen(page, "feedback-fallback")
    screenshot(page, "screen-feedback-fallback")


def tab_to(page, matches: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches the JS predicate ``matches(el)``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return ({matches})(el); }}"):
            return
    raise AssertionError(f"could not reach {matches} by keyboard")


def by_text(text: str) -> str:
    # Soft hyphens (break points in long compounds) are not part of what is read out.
    return f"(el) => el && el.textContent.replace(/\\u00ad/g, '').trim() === {text!r}"


def by_label(text: str) -> str:
    label = "el.labels && el.labels.length && el.labels[0].textContent.trim()"
    return f"(el) => el && {label} && {label}.startsWith({text!r})"


def test_keyboard_only_journey(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1024, "height": 800}, locale="de-DE"
    )
    try:
        sign_in(context, "keyboard@example.org", given_names="Kim", family_name="Tastatur")
        page = context.new_page()
        page.goto("/")
        tab_to(page, by_text("Zum Inhalt springen"))
        tab_to(page, by_text("Einfache Melderegisterauskunft"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Einfache Melderegisterauskunft")
        tab_to(page, by_text("Antrag starten"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Gesuchte Person")

        # Continue without answers: the error summary takes the focus; Enter on its
        # first link lands in the field.
        tab_to(page, by_text("Weiter"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_be_focused()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_label("Familienname", exact=True)).to_be_focused()
        page.keyboard.type("Beispiel")
        tab_to(page, by_label("Vornamen"))
        page.keyboard.type("Max")
        # A radio group is one tab stop; the arrow keys choose within it.
        tab_to(page, by_label("Das Geburtsdatum"))
        page.keyboard.press("ArrowDown")
        expect(page.get_by_role("radio", name="Die letzte bekannte Anschrift")).to_be_checked()
        tab_to(page, by_label("Straße"))
        page.keyboard.type("Hauptstraße")
        page.keyboard.press("Tab")
        page.keyboard.type("5")
        page.keyboard.press("Tab")
        page.keyboard.type("50667")
        page.keyboard.press("Tab")
        page.keyboard.type("Köln")
        tab_to(page, by_text("Weiter"))
        page.keyboard.press("Enter")

        expect(page.get_by_role("heading", level=1)).to_have_text("Zweck")
        tab_to(page, by_text("Weiter"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Bestätigen")
        tab_to(page, by_label("Meine Angaben sind richtig"))
        page.keyboard.press("Space")
        tab_to(page, by_text("Weiter"))
        page.keyboard.press("Enter")

        expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
        expect(page.get_by_text("Hauptstraße 5, 50667 Köln")).to_be_visible()
        tab_to(page, by_text("Antrag verbindlich senden"))
        page.keyboard.press("Enter")
        expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
        expect(page.locator(".reference-number")).not_to_be_empty()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("viewport", "scale", "name"),
    [
        ({"width": 640, "height": 400}, 2, "zoom-200"),
        ({"width": 320, "height": 640}, 1, "reflow-320"),
    ],
    ids=["200-percent-zoom", "320px-reflow"],
)
def test_zoom_and_reflow(browser, live_server, viewport, scale, name):
    # 1280×800 at 200 % zoom is a 640×400 CSS pixel window; 320 px is WCAG's reflow width.
    context = browser.new_context(
        base_url=live_server, viewport=viewport, device_scale_factor=scale, locale="de-DE"
    )
    try:
        sign_in(
            context,
            f"{name}@example.org",
            street="Kaiserplatz",
            house_number="2",
            postal_code="52349",
            city="Düren",
        )
        page = context.new_page()
        for path in ["/", "/leistungen/dog_tax_registration", "/hilfe/app", "/konto"]:
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_no_horizontal_scroll(page, f"{name} {path}")
        page.goto("/leistungen/dog_tax_registration")
        page.get_by_role("button", name="Antrag starten").click()
        page.get_by_role("button", name="Weiter").click()
        page.get_by_role("button", name="Weiter").click()
        expect(page.get_by_role("alert")).to_be_visible()
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .map((el) => el.outerHTML.slice(0, 120))""")
        assert_no_horizontal_scroll(page, f"{name} form errors {wide[:3]}")
        weiter = page.get_by_role("button", name="Weiter")
        weiter.scroll_into_view_if_needed()
        expect(weiter).to_be_in_viewport()
        screenshot(page, f"screen-{name}")
    finally:
        context.close()
