"""A new version of the app is announced ("new version available, reload") and only
takes over when the citizen chooses; the open form keeps what was typed."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from e2e.conftest import ROOT, assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]


def test_new_version_is_announced_and_applied_on_reload(portal, phone, tmp_path):
    # Serve a copy of the build, so a "new release" can be simulated by changing it.
    release = tmp_path / "dist"
    shutil.copytree(ROOT / "static" / "dist", release)
    original = portal.app.config["STATIC_DIR"]
    portal.app.config["STATIC_DIR"] = str(release)
    try:
        sign_in(
            phone,
            "update@example.org",
            street="Kaiserplatz",
            house_number="2",
            postal_code="52349",
            city="Düren",
        )
        page = phone.new_page()
        page.goto("/leistungen/waste_bins")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
        page.get_by_role("button", name="Antrag starten").click()
        page.get_by_role("radio", name="Hausverwaltung").check()
        page.get_by_label("Name der Eigentümerin oder des Eigentümers").fill("Hausbesitz GmbH")
        page.evaluate("() => { window.stillTheSamePage = true; }")

        sw = release / "sw.js"
        sw.write_text(sw.read_text(encoding="utf-8") + "\n// next release\n", encoding="utf-8")
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")

        banner = page.get_by_text("Eine neue Version des Bürgerportals ist verfügbar.")
        expect(banner).to_be_visible(timeout=15_000)
        # Nothing reloaded by itself: the open form and its state are untouched.
        assert page.evaluate("() => window.stillTheSamePage === true")
        assert page.evaluate(
            "async () => (await navigator.serviceWorker.getRegistration()).waiting !== null"
        )
        assert_accessible(page, "update-banner")
        screenshot(page, "update-banner")

        page.get_by_role("button", name="Neu laden").click()
        page.wait_for_function("() => window.stillTheSamePage === undefined", timeout=15_000)
        expect(page.get_by_role("radio", name="Hausverwaltung")).to_be_checked()
        expect(page.get_by_label("Name der Eigentümerin oder des Eigentümers")).to_have_value(
            "Hausbesitz GmbH"
        )
        expect(banner).to_have_count(0)
        assert page.evaluate(
            "async () => (await navigator.serviceWorker.getRegistration()).waiting === null"
        )
    finally:
        portal.app.config["STATIC_DIR"] = original
