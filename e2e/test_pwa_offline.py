"""The installable app and its offline behaviour: service worker, manifest, offline
shell and forms, drafts that survive reloads and sync, queued submissions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_accessible,
    screenshot,
    send_registry_information_form,
    server_applications,
    sign_in,
    wait_for_offline_ready,
    wait_until,
)
from e2e.text_layout import wait_for_soft_hyphens

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

CITIZEN_DETAILS = {
    "given_names": "Erika",
    "family_name": "Musterfrau",
    "street": "Kaiserplatz",
    "house_number": "2",
    "postal_code": "52349",
    "city": "Düren",
}


def test_service_worker_activates_and_app_is_installable(
    playwright_instance, live_server, tmp_path
):
    # Installability needs a normal (non-incognito) profile.
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=live_server,
        viewport={"width": 360, "height": 800},
        locale="de-DE",
    )
    try:
        page = context.new_page()
        page.goto("/")
        # (A predicate returning a promise would count as true at once: poll a plain value.)
        page.wait_for_function(
            "() => navigator.serviceWorker.controller?.state === 'activated'", timeout=20_000
        )
        state = page.evaluate(
            """async () => {
                const registration = await navigator.serviceWorker.ready;
                return {scope: registration.scope, state: registration.active.state,
                        script: registration.active.scriptURL};
            }"""
        )
        assert state["state"] == "activated"
        assert state["scope"] == f"{live_server}/"
        assert state["script"].endswith("/sw.js")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        data = context.request.get("/manifest.webmanifest").json()
        assert data["display"] == "standalone" and data["start_url"] == "/" and data["id"] == "/"
        purposes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
        assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
        assert data["shortcuts"] and data["screenshots"]
        for image in [*data["icons"], *data["screenshots"]]:
            response = context.request.get(image["src"])
            # The city's emblem (from its package) is an SVG; the portal's icons are PNG.
            kind = image.get("type", "image/png")
            served = response.headers["content-type"].split(";")[0]
            assert response.ok and served == kind, image["src"]
        assert data["name"] == "Bürgerportal Düren"
        # Scripts go out precompressed (written by the build, sent as is by the server).
        shell = context.request.get("/index.html").text()
        script = re.search(r'src="(/assets/[^"]+\.js)"', shell).group(1)
        response = context.request.get(script, headers={"Accept-Encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["content-type"].startswith("text/javascript")
        assert "Accept-Encoding" in response.headers["vary"]
        # Precached shell: the worker answers from its cache.
        caches = page.evaluate("async () => await caches.keys()")
        assert any(name.startswith("workbox-precache") for name in caches)
        # So is the German hyphenation chunk, which the app loads only after the first render.
        precached = page.evaluate(
            """async () => {
                const names = await caches.keys();
                const name = names.find((key) => key.startsWith('workbox-precache'));
                return (await (await caches.open(name)).keys()).map((request) => request.url);
            }"""
        )
        assert any("/assets/hyphenator-de-" in url for url in precached), precached
    finally:
        context.close()


def test_offline_shell_catalogue_and_form_open(phone):
    sign_in(phone, "offline.shell@example.org", **CITIZEN_DETAILS)
    page = phone.new_page()
    page.goto("/")
    wait_for_offline_ready(page)

    phone.set_offline(True)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("online")
    # The hyphenation patterns come from the worker's cache, too.
    wait_for_soft_hyphens(page.locator(".site-title"))
    expect(
        page.get_by_text("Sie sind offline. Ihre Eingaben werden auf diesem Gerät gespeichert.")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Abfallbehälter bestellen, ändern oder abbestellen")
    ).to_be_visible()
    screenshot(page, "offline-start")

    page.goto("/leistungen/waste_bins")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Abfallbehälter bestellen, ändern oder abbestellen"
    )
    page.get_by_role("button", name="Antrag starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grundstück")
    # Prefilled from the profile copy kept for offline use.
    expect(page.get_by_label("Straße")).to_have_value("Kaiserplatz")
    expect(page.get_by_role("radio", name="Eigentümerin oder Eigentümer")).to_be_visible()
    assert_accessible(page, "offline-form")
    screenshot(page, "offline-form")
    phone.set_offline(False)


def _read_drafts(page) -> list[dict]:
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open('buergerportal');
            open.onerror = reject;
            open.onsuccess = () => {
                const query = open.result.transaction('drafts').objectStore('drafts').getAll();
                query.onsuccess = () => resolve(query.result);
            };
        })"""
    )


def test_offline_draft_survives_reload_syncs_and_is_sent_exactly_once(phone):
    sign_in(phone, "offline.draft@example.org", **CITIZEN_DETAILS)
    page = phone.new_page()
    page.goto("/")
    wait_for_offline_ready(page)

    phone.set_offline(True)
    page.goto("/leistungen/dog_tax_registration")
    page.get_by_role("button", name="Antrag starten").click()
    page.get_by_label("Telefon für Rückfragen").fill("02421 123456")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hund 1")
    page.get_by_label("Name des Hundes").fill("Bello")
    page.get_by_label("Rasse").fill("Dackel")

    # Half a form, then the tab reloads while still offline: everything is still there.
    page.reload()
    expect(page.get_by_label("Name des Hundes")).to_have_value("Bello")
    expect(page.get_by_label("Rasse")).to_have_value("Dackel")
    assert server_applications(phone) == []
    expect(
        page.get_by_text("Wird in Ihrem Konto gesichert, sobald Sie online sind.")
    ).to_be_visible()

    # Back online: the draft appears on the server with what was typed.
    phone.set_offline(False)
    expect(page.get_by_text(re.compile("In Ihrem Konto gesichert um"))).to_be_visible(
        timeout=15_000
    )
    drafts = server_applications(phone)
    assert len(drafts) == 1 and drafts[0]["status"] == "draft"
    assert drafts[0]["answers"]["dogs"][0]["dog_name"] == "Bello"
    assert drafts[0]["answers"]["holder_phone"] == "02421 123456"

    # Offline again: finish and send. The submission waits with its idempotency key.
    phone.set_offline(True)
    page.get_by_role("radio", name="Aus einem Tierheim").check()
    page.get_by_label("Seit wann ist der Hund bei Ihnen").fill("2024-03-01")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zahlung")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Meine Angaben sind richtig und vollständig.").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angaben prüfen")
    expect(page.get_by_role("cell", name="84,00 €")).to_have_count(2)
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Wird gesendet, sobald Sie online sind.")).to_be_visible()
    assert_accessible(page, "queued")
    screenshot(page, "queued-offline")
    queued = [d for d in _read_drafts(page) if d["state"] == "queued"]
    assert len(queued) == 1 and queued[0]["submitKey"]
    assert [a["status"] for a in server_applications(phone)] == ["draft"]

    # A reload while queued keeps the queue (the browser may be killed, too).
    page.reload()
    expect(page.get_by_text("Wird gesendet, sobald Sie online sind.")).to_be_visible()

    phone.set_offline(False)
    reference = page.locator(".reference-number")
    expect(reference).to_be_visible(timeout=20_000)
    applications = server_applications(phone)
    assert len(applications) == 1
    assert applications[0]["status"] == "submitted"
    assert reference.inner_text().strip() == applications[0]["reference_display"]
    assert applications[0]["answers"]["dogs"][0]["origin"] == "shelter"
    screenshot(page, "sent-reference")

    # The personal data screens fall back to the last copy, and say so.
    page.goto("/antraege")
    expect(page.get_by_role("link", name="Hund zur Hundesteuer anmelden")).to_be_visible()
    phone.set_offline(True)
    page.reload()
    expect(page.get_by_text("Sie sind offline.", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("Sie sehen die Daten vom"))).to_be_visible()
    expect(page.get_by_role("link", name="Hund zur Hundesteuer anmelden")).to_be_visible()
    assert_accessible(page, "applications-offline")
    screenshot(page, "applications-offline")
    phone.set_offline(False)


def test_queued_submission_is_sent_by_background_sync_with_the_app_closed(phone):
    sign_in(phone, "offline.background@example.org", **CITIZEN_DETAILS)
    page = phone.new_page()
    page.goto("/")
    wait_for_offline_ready(page)

    phone.set_offline(True)
    send_registry_information_form(page)
    expect(page.get_by_text("Wird gesendet, sobald Sie online sind.")).to_be_visible()
    page.close()
    assert server_applications(phone) == []

    # No page is open: only the service worker's Background Sync can send it now.
    phone.set_offline(False)
    assert phone.pages == []
    wait_until(
        None,
        lambda: [a["status"] for a in server_applications(phone)] == ["awaiting_payment"],
        timeout_ms=20_000,
        message="the queued submission sent in the background",
    )
    sent = server_applications(phone)[0]
    assert sent["answers"]["person_birth_date"] == "1980-05-01" and sent["reference"]

    # Opening the app again shows the reference number that came back.
    page = phone.new_page()
    page.goto("/antraege")
    expect(page.get_by_text(f"Aktenzeichen {sent['reference_display']}")).to_be_visible()
