"""The portal in every configured language: the chooser in the header switches the
start page and a form page (a screenshot of each, axe-core without violations in
each), sets ``<html lang dir>``, mirrors the layout in Arabic, and the choice survives
a reload and a sign-in; a device without a choice takes the account's language. The
parking pass in Arabic: the page mirrored, the QR code not. Staff screens offer German
and English only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.i18n import LOCALES
from app.languages import NATIVE_NAMES, STAFF_LANGUAGES, direction
from e2e.conftest import (
    ROOT,
    assert_accessible,
    outbox_code,
    screenshot,
    sign_in,
    wait_until,
)
from e2e.test_parking_wallet import PROFILE, issue_permit, shown_qr_text

pytestmark = pytest.mark.browser

LOCALE_DIRS = [
    ROOT / "pwa" / "src" / "locales",
    ROOT / "pwa" / "src" / "pages" / "form" / "locales",
]


def text(lang: str, key: str) -> str:
    """The catalogue text the PWA shows for ``key`` in ``lang`` (German where it lacks one)."""
    for language in (lang, "de"):
        for folder in LOCALE_DIRS:
            path: Path = folder / f"{language}.json"
            if path.exists():
                found = json.loads(path.read_text(encoding="utf-8")).get(key)
                if found:
                    return found
    raise AssertionError(f"no text for {key}")


# Where each script's font files start (pwa/fonts.config.js), and what a page loads.
FIRST_LETTER = {"de": "U+0-17F", "en": "U+0-17F", "tr": "U+0-17F", "uk": "U+400", "ar": "U+600"}
LOADED_RANGES = """async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.unicodeRange);
}"""


@pytest.fixture
def device(browser, live_server):
    """A phone without the service worker: only the pages' own requests, quickly."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 800},
        locale="de-DE",
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def choose(page, lang: str) -> None:
    page.get_by_role("group", name=text(page_lang(page), "lang.chooser_label")).get_by_role(
        "button", name=NATIVE_NAMES[lang], exact=True
    ).click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction(lang))


def mails_to(context, email: str) -> list:
    return context.request.get(f"/dev/outbox.json?to={email}").json()


def page_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def box(locator) -> dict:
    return locator.evaluate(
        "(e) => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; }"
    )


def test_every_language_on_the_start_page_and_a_form(device):
    page = device.new_page()
    page.goto("/")
    german_title = text("de", "home.title").split("{")[0]
    edges = {}
    for lang in LOCALES:
        page.goto("/")
        choose(page, lang)
        heading = page.get_by_role("heading", level=1)
        if lang == "de":
            expect(heading).to_contain_text(german_title)
        else:
            expect(heading).not_to_contain_text(german_title)
        # Each language is named in itself, marked with its language, the current pressed.
        current = page.locator(f'.language-chooser button[lang="{lang}"]')
        expect(current).to_have_attribute("aria-pressed", "true")
        assert_accessible(page, f"start-{lang}")
        screenshot(page, f"language-start-{lang}")
        # The portal's own files for the language's letters are what draws them.
        loaded = page.evaluate(LOADED_RANGES)
        assert any(FIRST_LETTER[lang] in ranges for ranges in loaded), (lang, loaded)
        edges[lang] = {"title": box(page.locator(".site-title")), "heading": box(heading)}

    # A form page, switched in place (the draft is started once).
    page.goto("/")
    choose(page, "de")
    page.goto("/leistungen/dog_tax_registration")
    page.get_by_role("button", name=text("de", "service.start")).click()
    field = page.locator(".kern-form-input:has(input.kern-form-input__input)").first
    for lang in LOCALES:
        choose(page, lang)
        expect(field).to_be_visible()
        assert_accessible(page, f"form-{lang}")
        screenshot(page, f"language-form-{lang}")
        edges[lang]["label"] = box(field.locator("label").first)
        edges[lang]["input"] = box(field.locator("input").first)

    for lang, found in edges.items():
        if direction(lang) == "ltr":
            # The portal's name starts where the page heading starts; labels above inputs.
            assert abs(found["title"]["left"] - found["heading"]["left"]) < 2, (lang, found)
            assert abs(found["label"]["left"] - found["input"]["left"]) < 2, (lang, found)
        else:
            # Mirrored: both start at the right-hand edge.
            assert abs(found["title"]["right"] - found["heading"]["right"]) < 2, (lang, found)
            assert abs(found["label"]["right"] - found["input"]["right"]) < 2, (lang, found)
            assert found["title"]["left"] > edges["de"]["title"]["left"], (lang, found)


def test_the_choice_survives_a_reload_and_a_sign_in(device, browser, live_server):
    lang = next(code for code in reversed(LOCALES) if code != "de")
    email = f"e2e.language.{lang}@example.org"
    page = device.new_page()
    page.goto("/anmelden")
    choose(page, lang)
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", direction(lang))

    page.get_by_label(text(lang, "signin.email_label")).fill(email)
    page.get_by_role("button", name=text(lang, "signin.email_submit")).click()
    page.get_by_label(text(lang, "signin.code_label")).press_sequentially(
        outbox_code(device, email)
    )
    page.get_by_role("button", name=text(lang, "signin.code_submit"), exact=True).click()
    page.wait_for_url(re.compile(r"/konto(\?.*)?$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # The account keeps it: mails and push messages are written in it.
    wait_until(
        page,
        lambda: device.request.get("/api/account").json()["locale"] == lang,
        message="the account's language",
    )

    # Another device, with no choice of its own, takes the account's language at sign-in.
    other = browser.new_context(base_url=live_server, locale="de-DE", service_workers="block")
    try:
        second = other.new_page()
        second.goto("/anmelden")
        expect(second.locator("html")).to_have_attribute("lang", "de")
        mails_before = len(mails_to(other, email))
        second.get_by_label(text("de", "signin.email_label")).fill(email)
        second.get_by_role("button", name=text("de", "signin.email_submit")).click()
        # The first device's code is in the outbox too: wait for the new one.
        wait_until(second, lambda: len(mails_to(other, email)) > mails_before, message="a new code")
        second.get_by_label(text("de", "signin.code_label")).press_sequentially(
            outbox_code(other, email)
        )
        second.get_by_role("button", name=text("de", "signin.code_submit"), exact=True).click()
        expect(second.locator("html")).to_have_attribute("lang", lang)
        expect(second.locator("html")).to_have_attribute("dir", direction(lang))
    finally:
        other.close()


def test_the_parking_pass_in_arabic_is_mirrored_around_an_unmirrored_code(device):
    if "ar" not in LOCALES:
        pytest.skip("Arabic is not among PORTAL_LANGUAGES")
    sign_in(device, "e2e.language.pass@example.org", **PROFILE)
    permit = issue_permit(device, "DN-AR 101")
    page = device.new_page()
    page.goto(f"/parkausweis/{permit['id']}")
    choose(page, "ar")
    # The code reads as issued and is drawn unturned; the page around it is mirrored.
    assert shown_qr_text(page) == permit["pass_text"]
    code = page.locator(".pass-qr__code")
    assert code.evaluate("(e) => getComputedStyle(e).transform") == "none"
    plates = page.locator(".pass-qr__plates")
    expect(plates).to_have_text("DN-AR 101")
    assert_accessible(page, "pass-ar")
    screenshot(page, "language-pass-ar")


def test_staff_screens_offer_german_and_english_only(device):
    sign_in(device, "e2e.language.clerk@example.org", role="staff", areas=("hundesteuer",))
    page = device.new_page()
    page.goto("/sachbearbeitung")
    chooser = page.get_by_role("group", name=text("de", "lang.chooser_label"))
    staff_languages = [code for code in LOCALES if code in STAFF_LANGUAGES]
    expect(chooser.get_by_role("button")).to_have_count(len(staff_languages))
    expect(chooser.get_by_role("button", name="English", exact=True)).to_be_visible()
    page.goto("/")
    expect(page.locator(".language-chooser button")).to_have_count(len(LOCALES))
