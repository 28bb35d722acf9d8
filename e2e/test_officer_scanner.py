"""The officers' scanner in Chromium: a fake camera shows a real pass; after one sync the
device is offline and still says "Gültig" for it, and "Widerrufen" once the permit is
given back and the revocation list (a delta) has been synced again. Also: manual entry,
the plate look-up on- and offline, the 24-hour warning, and the in-browser verifier
agreeing with the reference implementation (app.passes.verify_pass) on forged, damaged
and otherwise rejected passes. A device syncs by itself (on opening, when the network
returns, every few minutes) and, without keys, says "Prüfung nicht möglich" instead of
rejecting a genuine pass."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import random
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import base45
import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from playwright.sync_api import expect

from app.applications.lifecycle import enter_workflow
from app.db import db
from app.models import Application
from app.passes import (
    build_full_list,
    encode_pass,
    generate_signing_key,
    new_claims,
    parse_keyset,
    revocation_entry,
    verify_pass,
)
from app.passes.cose import protected_header, sig_structure, sign1
from app.passes.keyset import STATUS_CURRENT, STATUS_RETIRED, build_keyset, public_key_record
from app.passes.revocation import Revocation
from e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    new_phone,
    screenshot,
    sign_in,
    submit_application,
    wait_for_offline_ready,
)
from e2e.fake_camera import fake_camera_video
from e2e.text_layout import assert_words_break_at_hyphens

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

ANSWERS = {
    "residence": {"street": "Markt", "house_number": "3"},
    "main_residence": True,
    "plate": "DN-OF 101",
    "holder": "registered",
    "months": 12,
    "truthful": True,
}


def issue_permit(context, email: str, plate: str) -> dict:
    """Apply as ``email`` through the API, pay (the payment hook), return the permit."""
    sign_in(context, email, given_names="Olga", family_name="Ortmann")
    application = submit_application(context, "resident_parking", {**ANSWERS, "plate": plate})
    assert application["status"] == "awaiting_payment"
    with db.connection_context():
        enter_workflow(Application.get_by_id(application["id"]))
    permits = context.request.get("/api/parking/permits").json()
    assert len(permits) == 1 and permits[0]["state"] == "valid", permits
    return permits[0]


def csrf(context) -> str:
    return context.request.get("/api/auth/session").json()["csrf_token"]


def stranger_pass() -> str:
    """A well-formed pass for today, signed with a key the town hall never published."""
    today = datetime.date.today()
    claims = new_claims(
        permit_no="DN-2026-099999",
        plates=["DN-XY 999"],
        zone="A",
        valid_from=today,
        valid_to=today + datetime.timedelta(days=30),
        sequence=1,
        issuer="DN",
        issued_at=int(datetime.datetime.now(datetime.UTC).timestamp()),
    )
    return encode_pass(claims, generate_signing_key())


def verdict_ms(page) -> int:
    text = page.locator(".verdict__timing").inner_text()
    return int(re.search(r"(\d+)\s*ms", text).group(1))


def test_scanner_offline_with_a_fake_camera_valid_then_revoked(
    playwright_instance, phone, live_server, tmp_path
):
    permit = issue_permit(phone, "citizen.scan@example.org", "DN-OF 101")
    video = fake_camera_video(permit["pass_text"], tmp_path / "pass.y4m")

    # Camera flags belong to the browser process: a Chromium of its own for this test.
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = new_phone(browser, live_server, 15_000, permissions=["camera"])
        sign_in(context, "officer.scan@example.org", role="officer")
        page = context.new_page()
        foreign = []

        def note_foreign(request) -> None:
            if request.url.startswith("http") and urlsplit(request.url).hostname not in (
                "localhost",
                "127.0.0.1",
            ):
                foreign.append(request.url)

        page.on("request", note_foreign)
        revocation_requests = []
        page.on(
            "request",
            lambda r: "/api/passes/revocations" in r.url and revocation_requests.append(r.url),
        )

        page.goto("/kontrolle")
        expect(page.get_by_role("heading", level=1)).to_have_text("Parkausweise prüfen")
        expect(page.get_by_role("link", name="Parkkontrolle")).to_be_visible()
        # The first visit with network syncs by itself: key set, full list, zones.
        expect(page.get_by_text("Die Prüfdaten wurden geladen.")).to_be_visible()
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        wait_for_offline_ready(page)
        assert_accessible(page, "scanner-first-visit")
        assert_touch_targets(page, "scanner-first-visit")
        screenshot(page, "scanner-first-visit")

        # A sync by hand says so.
        page.get_by_role("button", name="Daten aktualisieren").click()
        expect(page.get_by_text("Die Prüfdaten sind aktuell.")).to_be_visible()
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        expect(page.locator("[data-age=revocations]")).to_have_text("aktualisiert gerade eben")
        expect(page.get_by_text("Noch keine Prüfdaten auf diesem Gerät")).to_have_count(0)
        # The first sync fetched the full list; later ones only what changed since.
        assert revocation_requests[0].endswith("/api/passes/revocations"), revocation_requests
        first_version = int(
            re.search(r"Version (\d+)", page.locator(".scanner-data__detail").inner_text()).group(1)
        )
        page.get_by_label("Zone, die Sie gerade kontrollieren").select_option("A")

        # Airplane mode: the app, the reader's WebAssembly and the data all come from
        # the device.
        context.set_offline(True)
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Parkausweise prüfen")
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        expect(page.get_by_label("Zone, die Sie gerade kontrollieren")).to_have_value("A")
        page.get_by_role("button", name="Kamera starten").click()
        verdict = page.locator(".verdict")
        expect(verdict).to_be_visible(timeout=20_000)
        expect(verdict.get_by_role("heading", level=2)).to_have_text(re.compile("gültig", re.I))
        expect(verdict).to_have_attribute("data-reason", "valid")
        expect(verdict.locator(".verdict__plates")).to_have_text("DN-OF 101")
        expect(verdict).to_contain_text(permit["number"])
        assert verdict_ms(page) < 1000
        assert_accessible(page, "scanner-valid")
        assert_no_horizontal_scroll(page, "scanner-valid")
        screenshot(page, "scanner-valid")

        # The citizen gives the permit back (online, on their own device).
        cancelled = phone.request.post(
            f"/api/parking/permits/{permit['id']}/cancel", headers={"X-CSRF-Token": csrf(phone)}
        )
        assert cancelled.ok and cancelled.json()["state"] == "revoked", cancelled.text()

        # Still offline, the device does not know yet: the pass still verifies.
        page.get_by_role("button", name="Nächsten Ausweis prüfen").click()
        expect(verdict).to_have_attribute("data-reason", "valid", timeout=20_000)

        # Back online: the device syncs by itself, fetching only what changed (a delta
        # since the held version).
        with page.expect_request(lambda r: r.url.endswith(f"/revocations?since={first_version}")):
            context.set_offline(False)
        expect(page.locator(".scanner-data__detail")).not_to_contain_text(
            f"Version {first_version},"
        )
        new_version = int(
            re.search(r"Version (\d+)", page.locator(".scanner-data__detail").inner_text()).group(1)
        )
        assert new_version > first_version

        context.set_offline(True)
        page.get_by_role("button", name="Nächsten Ausweis prüfen").click()
        expect(verdict).to_have_attribute("data-reason", "revoked", timeout=20_000)
        expect(verdict.get_by_role("heading", level=2)).to_have_text(re.compile("Widerrufen"))
        expect(verdict.locator(".verdict__plates")).to_have_text("DN-OF 101")
        assert verdict_ms(page) < 1000
        assert_accessible(page, "scanner-revoked")
        screenshot(page, "scanner-revoked")
        assert foreign == [], f"requests to other hosts: {foreign}"
        context.close()
    finally:
        browser.close()


def test_manual_entry_plate_lookup_and_the_24_hour_warning(browser, phone, live_server):
    permit = issue_permit(phone, "citizen.manual@example.org", "DN-OF 202")
    officer = new_phone(browser, live_server)
    try:
        sign_in(officer, "officer.manual@example.org", role="officer")
        page = officer.new_page()
        page.goto("/kontrolle")
        wait_for_offline_ready(page)
        page.get_by_role("button", name="Daten aktualisieren").click()
        expect(page.get_by_text("Die Prüfdaten sind aktuell.")).to_be_visible()
        zone = page.get_by_label("Zone, die Sie gerade kontrollieren")
        expect(zone.locator("option")).to_have_count(14)  # 13 zones and "do not check"
        zone.select_option("B")

        text_field = page.get_by_label("Text des Ausweises")
        check = page.get_by_role("button", name="Prüfen", exact=True)
        verdict = page.locator(".verdict")
        # Right pass, wrong street: the zone is checked.
        text_field.fill(permit["pass_text"])
        check.click()
        expect(verdict).to_have_attribute("data-reason", "wrong_zone")
        expect(verdict).to_contain_text("Der Ausweis gilt für Zone A, nicht für Zone B.")
        expect(verdict.locator(".verdict__plates")).to_have_text("DN-OF 202")

        # A changed signature: forged, and nothing from the pass is shown.
        last = permit["pass_text"][-1]
        text_field.fill(permit["pass_text"][:-1] + ("0" if last != "0" else "1"))
        check.click()
        expect(verdict).to_have_attribute("data-reason", "forged")
        expect(verdict.get_by_role("heading", level=2)).to_have_text(re.compile("Gefälscht"))
        expect(verdict.locator(".verdict__plates")).to_have_count(0)
        expect(verdict).not_to_contain_text("DN-OF 202")
        assert_accessible(page, "scanner-forged")
        screenshot(page, "scanner-forged")

        # Signed by a key the town hall never published, with fresh data: not valid.
        text_field.fill(stranger_pass())
        check.click()
        expect(verdict).to_have_attribute("data-reason", "unknown_key")
        expect(verdict.locator(".verdict__plates")).to_have_count(0)

        text_field.fill("https://example.org/nicht-unser-code")
        check.click()
        expect(verdict).to_have_attribute("data-reason", "malformed")
        expect(verdict.get_by_role("heading", level=2)).to_have_text(re.compile("Unlesbar"))

        # Plate look-up: online it answers from the register, offline it says why not.
        page.get_by_role("link", name="Kennzeichen abfragen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kennzeichen abfragen")
        page.get_by_label("Kennzeichen", exact=True).fill("dn of 202")
        page.get_by_role("button", name="Abfragen").click()
        result = page.locator(".permit-result")
        expect(result).to_have_count(1)
        expect(result).to_contain_text(permit["number"])
        expect(result).to_contain_text("Gültig")
        assert_accessible(page, "plate-lookup")
        assert_touch_targets(page, "plate-lookup")
        screenshot(page, "plate-lookup")
        officer.set_offline(True)
        page.get_by_role("button", name="Abfragen").click()
        expect(page.get_by_text("Ohne Internet nicht möglich")).to_be_visible()
        expect(result).to_have_count(0)
        assert_accessible(page, "plate-lookup-offline")

        # Data older than a day: the screen warns (the device's clock moved on).
        page.get_by_role("link", name="Zurück zur Prüfung").click()
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        page.evaluate(
            """async () => {
                const db = await new Promise((resolve, reject) => {
                    const open = indexedDB.open('buergerportal-scanner');
                    open.onsuccess = () => resolve(open.result);
                    open.onerror = () => reject(open.error);
                });
                const tx = db.transaction('state', 'readwrite');
                const store = tx.objectStore('state');
                for (const key of ['keyset', 'revocations']) {
                    const record = await new Promise((resolve) => {
                        const get = store.get(key);
                        get.onsuccess = () => resolve(get.result);
                    });
                    record.fetchedAt -= 25 * 3600 * 1000;
                    store.put(record, key);
                }
                await new Promise((resolve) => { tx.oncomplete = resolve; });
                db.close();
            }"""
        )
        page.reload()
        expect(page.get_by_text("Die Prüfdaten sind älter als 24 Stunden")).to_be_visible()
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert vor 25 Stunden")
        # Offline, "update" keeps the old data and says so.
        page.get_by_role("button", name="Daten aktualisieren").click()
        expect(
            page.get_by_text("Keine Internetverbindung. Die gespeicherten Prüfdaten gelten weiter.")
        ).to_be_visible()
        assert_accessible(page, "scanner-stale")
        screenshot(page, "scanner-stale")
        # With keys a day old, an unknown key may just be a new one: no red verdict.
        text_field.fill(stranger_pass())
        check.click()
        expect(verdict).to_have_attribute("data-reason", "not_synced")
        expect(verdict).to_contain_text("älter als 24 Stunden")
        expect(verdict.locator("[data-age=verdict-keyset]")).to_have_text(
            "aktualisiert vor 25 Stunden"
        )
        assert_accessible(page, "scanner-stale-unknown-key")
        # A pass with a known key still verifies on the old data.
        text_field.fill(permit["pass_text"])
        check.click()
        expect(verdict).to_have_attribute("data-reason", "wrong_zone")
        # A citizen has no business here.
        page2 = phone.new_page()
        page2.goto("/kontrolle")
        expect(page2.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")
    finally:
        officer.close()


def officer_phone(browser, live_server, email: str):
    """A phone-sized, German browser context signed in as an officer (a fresh device)."""
    context = new_phone(browser, live_server, 15_000)
    sign_in(context, email, role="officer")
    return context


def check_by_hand(page, text: str):
    """Enter pass text by hand and press "Prüfen"; returns the verdict locator."""
    page.get_by_label("Text des Ausweises").fill(text)
    page.get_by_role("button", name="Prüfen", exact=True).click()
    return page.locator(".verdict")


def test_fresh_device_syncs_by_itself_and_shows_the_data_age(browser, phone, live_server):
    permit = issue_permit(phone, "citizen.fresh@example.org", "DN-OF 404")
    officer = officer_phone(browser, live_server, "officer.fresh@example.org")
    try:
        page = officer.new_page()
        # Timers under the test's control, so "every few minutes" need not take minutes.
        page.clock.install()
        keyset_requests = []
        page.on(
            "request", lambda r: r.url.endswith("/api/passes/keyset") and keyset_requests.append(r)
        )
        page.goto("/kontrolle")
        # Nobody taps "Daten aktualisieren": the device fetches key set and list itself.
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        expect(page.locator("[data-age=revocations]")).to_have_text("aktualisiert gerade eben")
        expect(page.get_by_text("Die Prüfdaten wurden geladen.")).to_be_visible()
        expect(page.get_by_text("Noch keine Prüfdaten auf diesem Gerät")).to_have_count(0)
        assert len(keyset_requests) == 1

        verdict = check_by_hand(page, permit["pass_text"])
        expect(verdict).to_have_attribute("data-reason", "valid")
        expect(verdict.locator(".verdict__plates")).to_have_text("DN-OF 404")
        expect(verdict).to_contain_text("Stand der Prüfdaten")
        expect(verdict.locator("[data-age=verdict-keyset]")).to_have_text(
            "aktualisiert gerade eben"
        )
        assert_accessible(page, "verdict-with-data-age")

        # While the screen stays open, the data is refreshed every few minutes; the
        # verdict keeps the age of the data it was checked with.
        with page.expect_request("**/api/passes/keyset"):
            page.clock.fast_forward("05:30")
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        expect(verdict.locator("[data-age=verdict-keyset]")).to_have_text(
            "aktualisiert vor 6 Minuten"
        )
        assert len(keyset_requests) == 2
    finally:
        officer.close()


def test_never_synced_device_offline_cannot_check_until_the_network_returns(
    browser, phone, live_server
):
    permit = issue_permit(phone, "citizen.unsynced@example.org", "DN-OF 303")
    officer = officer_phone(browser, live_server, "officer.unsynced@example.org")
    try:
        page = officer.new_page()
        # The app is installed, but the scanner was never opened with a network.
        page.goto("/hilfe")
        wait_for_offline_ready(page)
        officer.set_offline(True)
        page.goto("/kontrolle")
        expect(page.get_by_role("heading", level=1)).to_have_text("Parkausweise prüfen")
        expect(page.get_by_text("Noch keine Prüfdaten auf diesem Gerät")).to_be_visible()
        expect(page.locator("[data-age=keyset]")).to_have_text("noch nie geladen")

        # A genuine pass: the device cannot tell, and must not call it forged.
        verdict = check_by_hand(page, permit["pass_text"])
        expect(verdict).to_have_attribute("data-reason", "not_synced")
        expect(verdict.get_by_role("heading", level=2)).to_have_text(
            re.compile("Prüfung nicht möglich")
        )
        expect(verdict).to_contain_text("Schlüssel noch nicht geladen. Bitte mit Netz verbinden")
        expect(verdict).not_to_contain_text("Unbekannter Schlüssel")
        expect(verdict).not_to_contain_text("Gefälscht")
        # Amber, neither the green of "valid" nor the red of a rejection.
        expect(verdict.locator(".verdict__banner")).to_have_css(
            "background-color", "rgb(255, 244, 214)"
        )
        expect(verdict.locator(".verdict__plates")).to_have_count(0)
        expect(verdict.locator("[data-age=verdict-keyset]")).to_have_text("noch nie geladen")
        assert_accessible(page, "scanner-not-synced")
        assert_no_horizontal_scroll(page, "scanner-not-synced")
        screenshot(page, "scanner-not-synced")

        # The network returns: the device syncs by itself and checks the pass again.
        with page.expect_request("**/api/passes/keyset"):
            officer.set_offline(False)
        expect(verdict).to_have_attribute("data-reason", "valid")
        expect(verdict.locator(".verdict__plates")).to_have_text("DN-OF 303")
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        expect(verdict.locator("[data-age=verdict-revocations]")).to_have_text(
            "aktualisiert gerade eben"
        )
        assert_accessible(page, "scanner-synced-valid")
    finally:
        officer.close()


def test_scanner_and_verdict_reflow_on_a_small_phone_at_200_percent(browser, phone, live_server):
    permit = issue_permit(phone, "citizen.small@example.org", "DN-OF 505")
    # A 360 px phone at 200 % zoom: 180 CSS pixels.
    officer = browser.new_context(
        base_url=live_server, viewport={"width": 180, "height": 400}, locale="de-DE"
    )
    officer.set_default_timeout(15_000)
    try:
        sign_in(officer, "officer.small@example.org", role="officer")
        page = officer.new_page()
        page.goto("/kontrolle")
        expect(page.locator("[data-age=keyset]")).to_have_text("aktualisiert gerade eben")
        assert_no_horizontal_scroll(page, "scanner-180")
        verdict = check_by_hand(page, permit["pass_text"])
        expect(verdict).to_have_attribute("data-reason", "valid")
        expect(verdict.locator(".verdict__plates")).to_have_text("DN-OF 505")
        assert_no_horizontal_scroll(page, "verdict-180")
        # Title and button keep whole words (or break them at a hyphen).
        assert_words_break_at_hyphens(page, ".verdict__title, .verdict .kern-btn", "verdict-180")
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), "the verdict is wider than the screen"
        assert_accessible(page, "verdict-180")
        screenshot(page, "verdict-180")
    finally:
        officer.close()


# --- The verifier itself, against the reference implementation --------------------------


def passes_bundle() -> str:
    """pwa/src/lib/passes as one script (the same source the app's chunk is built from)."""
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    built = subprocess.run(
        [
            str(esbuild),
            str(ROOT / "pwa" / "src" / "lib" / "passes" / "index.js"),
            "--bundle",
            "--format=iife",
            "--global-name=BPPasses",
            "--target=es2022",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return built.stdout + "\nglobalThis.BPPasses = BPPasses;\n"


def mutations(text: str, count: int, rng: random.Random) -> list[str]:
    """Single-character changes of the text and single-bit flips of its COSE bytes."""
    alphabet = base45.BASE45_CHARSET
    body = text[len("BPA1:") :]
    raw = bytearray(base45.b45decode(body))
    out = []
    for index in range(count):
        if index % 2:
            position = rng.randrange(len(body))
            swap = rng.choice(alphabet.replace(body[position], ""))
            out.append("BPA1:" + body[:position] + swap + body[position + 1 :])
        else:
            flipped = bytearray(raw)
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
            out.append("BPA1:" + base45.b45encode(bytes(flipped)).decode())
    return out


def crafted(key) -> list[tuple[str, str]]:
    """Correctly signed passes whose bytes break the format's strict encoding rules."""
    claims = new_claims(
        permit_no="DN-2026-004712",
        plates=["DN-AB 1234"],
        zone="A",
        valid_from=datetime.date(2026, 5, 1),
        valid_to=datetime.date(2027, 4, 30),
        sequence=1,
        issuer="DN",
        issued_at=1777368600,
    )
    cwt = claims.to_cwt()
    good = claims.to_payload()

    def text(cose: bytes) -> str:
        return "BPA1:" + base45.b45encode(cose).decode()

    def signed(payload: bytes) -> str:
        return text(sign1(payload, key.private_key, key.kid))

    def with_permit(**changes) -> bytes:
        permit = dict(cwt[-65537])
        for name, value in changes.items():
            permit[{"no": 1, "plates": 2, "zone": 3, "start": 4, "end": 5, "seq": 6}[name]] = value
        return cbor2.dumps({**cwt, -65537: permit})

    def raw_sign1(protected: bytes, unprotected, payload: bytes, tag: bool = True, cut: int = 0):
        der = key.private_key.sign(sig_structure(protected, payload), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        signature = (r.to_bytes(32, "big") + s.to_bytes(32, "big"))[: 64 - cut]
        body = [protected, unprotected, payload, signature]
        return text(cbor2.dumps(cbor2.CBORTag(18, body) if tag else body))

    reordered = cbor2.dumps({-65537: cwt[-65537], 6: cwt[6], 4: cwt[4], 1: cwt[1]})
    assert reordered != good
    long_sequence = good.replace(bytes.fromhex("0601"), bytes.fromhex("061801"))
    assert long_sequence != good
    indefinite = good.replace(bytes.fromhex("81 6a".replace(" ", "")), bytes.fromhex("9f6a"))
    indefinite = indefinite.replace(b"1234\x03", b"1234\xff\x03")
    duplicate = bytes([0xA5]) + good[1:] + bytes.fromhex("0162444e")
    protected = protected_header(key.kid)
    return [
        ("keys in another order", signed(reordered)),
        ("non-shortest integer", signed(long_sequence)),
        ("indefinite-length array", signed(indefinite)),
        ("duplicate claim", signed(duplicate)),
        ("trailing byte", signed(good + b"\x00")),
        ("extra claim", signed(cbor2.dumps({**cwt, 7: 0}))),
        ("float day", signed(with_permit(end=20938.0))),
        ("plates as text", signed(with_permit(plates="DN-AB 1234"))),
        ("five plates", signed(with_permit(plates=["A-A 1", "A-A 2", "A-A 3", "A-A 4", "A-A 5"]))),
        ("repeated plate", signed(with_permit(plates=["DN-AB 1", "DN-AB 1"]))),
        ("control character", signed(with_permit(no="DN-2026\u0007"))),
        ("non-breaking space", signed(with_permit(zone="A\u00a0"))),
        ("ends before it starts", signed(with_permit(start=20939))),
        ("negative sequence", signed(with_permit(seq=-1))),
        ("boolean sequence", signed(with_permit(seq=True))),
        ("sequence 2^53", signed(with_permit(seq=2**53))),
        ("tagged zone", signed(with_permit(zone=cbor2.CBORTag(32, "A")))),
        ("zone too long", signed(with_permit(zone="ABCDEFGHI"))),
        ("issuer as bytes", signed(cbor2.dumps({**cwt, 1: b"DN"}))),
        ("untagged", raw_sign1(protected, {}, good, tag=False)),
        ("unprotected kid", raw_sign1(protected, {4: key.kid}, good)),
        ("extra protected parameter", raw_sign1(cbor2.dumps({1: -7, 4: key.kid, 3: 0}), {}, good)),
        ("other algorithm", raw_sign1(cbor2.dumps({1: -35, 4: key.kid}), {}, good)),
        ("short signature", raw_sign1(protected, {}, good, cut=1)),
        ("properly signed copy", raw_sign1(protected, {}, good)),
    ]


def test_browser_verifier_agrees_with_the_reference(browser, live_server):
    rng = random.Random(20260615)
    today = datetime.date(2026, 6, 15)
    key, old_key, stranger = generate_signing_key(), generate_signing_key(), generate_signing_key()
    records = [
        public_key_record(key.private_key.public_key(), 1767225600, None, STATUS_CURRENT),
        # A retired key whose lifetime ends before the pass below expires.
        public_key_record(old_key.private_key.public_key(), 1704067200, 1790000000, STATUS_RETIRED),
    ]
    keyset_json = build_keyset("DN", records, issued_at=1777368600)
    keyset = parse_keyset(keyset_json)

    def make(signer=key, issuer="DN", plates=("DN-AB 1234",), issued_at=1777368600, **changes):
        fields = {
            "permit_no": "DN-2026-004711",
            "zone": "A",
            "valid_from": datetime.date(2026, 5, 1),
            "valid_to": datetime.date(2027, 4, 30),
            "sequence": 1,
        } | changes
        claims = new_claims(plates=plates, issuer=issuer, issued_at=issued_at, **fields)
        return encode_pass(claims, signer)

    good = make()
    cases = [
        ("good", good, "A"),
        ("no zone", good, None),
        ("wrong zone", good, "B"),
        (
            "expired",
            make(
                valid_from=datetime.date(2025, 1, 1),
                valid_to=datetime.date(2025, 12, 31),
                issued_at=1735689600,
            ),
            "A",
        ),
        ("not yet valid", make(valid_from=datetime.date(2026, 7, 1)), "A"),
        ("unknown key", make(signer=stranger), "A"),
        ("other issuer", make(issuer="AC"), "A"),
        ("outlives retired key", make(signer=old_key), "A"),
        ("revoked", make(permit_no="DN-2026-000999"), "A"),
        ("superseded", make(permit_no="DN-2026-000777", sequence=1), "A"),
        ("four plates", make(plates=("DN-A 1", "DN-B 2", "DN-C 3", "DN-D 44E")), "A"),
        ("lower case prefix", "bpa1:" + good[5:], "A"),
        ("trailing newline", good + "\n", "A"),
        ("dangling char", good + "A", "A"),
        ("empty", "BPA1:", "A"),
        ("not base45", "BPA1:abc", "A"),
        ("group too large", "BPA1:::::", "A"),
    ]
    cases += [(name, text, "A") for name, text in crafted(key)]
    cases += [(f"mutation {i}", text, "A") for i, text in enumerate(mutations(good, 1500, rng))]
    revoked = {revocation_entry("DN-2026-000999", 1)}
    latest = {"DN-2026-000777": 2}
    expected = [
        verify_pass(text, keyset, revoked, zone=zone, today=today, latest_sequences=latest).reason
        for _, text, zone in cases
    ]
    assert expected[:11] == [
        "valid",
        "valid",
        "wrong_zone",
        "expired",
        "not_yet_valid",
        "unknown_key",
        "unknown_key",
        "unknown_key",
        "revoked",
        "superseded",
        "valid",
    ]
    # The revocation list as a scanner downloads it, signed and verified in the browser.
    signed_list = build_full_list(
        [Revocation(entry, 3) for entry in revoked], 3, key, issued_at=1777368600
    )

    page = browser.new_page()
    page.goto(live_server + "/hilfe")
    page.evaluate(passes_bundle())
    got = page.evaluate(
        """async ({keyset, list, cases, latest, today}) => {
            const P = globalThis.BPPasses;
            const parsed = await P.parseKeyset(keyset);
            const bytes = Uint8Array.from(atob(list), (c) => c.charCodeAt(0));
            const revocations = await P.parseRevocationList(bytes, parsed);
            const revoked = new Set(revocations.entries);
            const sequences = new Map(Object.entries(latest));
            const day = P.isoToDay(today);
            const out = [];
            for (const [text, zone] of cases) {
                const v = await P.verifyPass(text, {keyset: parsed, revoked, zone, today: day,
                                                    latestSequences: sequences});
                out.push([v.reason, v.claims ? v.claims.plates : null]);
            }
            return {version: revocations.version, out};
        }""",
        {
            "keyset": keyset_json,
            "list": base64.b64encode(signed_list).decode(),
            "cases": [[text, zone] for _, text, zone in cases],
            "latest": latest,
            "today": today.isoformat(),
        },
    )
    assert got["version"] == 3
    crafted_reasons = dict(zip([name for name, _, _ in cases], expected, strict=True))
    assert crafted_reasons["keys in another order"] == "valid"
    assert crafted_reasons["properly signed copy"] == "valid"
    broken = [
        name
        for name, _ in crafted(key)
        if name not in ("keys in another order", "properly signed copy")
    ]
    assert {crafted_reasons[name] for name in broken} == {"malformed"}
    mismatches = [
        (name, want, have[0])
        for (name, _, _), want, have in zip(cases, expected, got["out"], strict=True)
        if want != have[0]
    ]
    assert mismatches == [], mismatches[:20]
    # Plates only for passes whose signature verified.
    for want, (_, plates) in zip(expected, got["out"], strict=True):
        if want in ("malformed", "unknown_key", "forged"):
            assert plates is None
    mutated = expected[len(cases) - 1500 :]
    assert "valid" not in mutated, "a mutated pass verified"
    print(
        "\nverdicts of 1500 mutations:",
        json.dumps({r: mutated.count(r) for r in sorted(set(mutated))}),
    )

    # A corrupted key set (kid not matching its key) is refused as a whole.
    broken = json.loads(json.dumps(keyset_json))
    broken["keys"][0]["kid"] = broken["keys"][1]["kid"]
    refused = page.evaluate(
        """async (doc) => {
            try { await globalThis.BPPasses.parseKeyset(doc); return 'accepted'; }
            catch (error) { return error.message; }
        }""",
        broken,
    )
    assert "kid does not match" in refused
    # A list signed by a stranger is refused too.
    foreign_list = build_full_list([], 4, stranger, issued_at=1777368600)
    refused = page.evaluate(
        """async ({keyset, list}) => {
            const P = globalThis.BPPasses;
            const bytes = Uint8Array.from(atob(list), (c) => c.charCodeAt(0));
            try {
                await P.parseRevocationList(bytes, await P.parseKeyset(keyset));
                return 'accepted';
            } catch (error) {
                return error.reason;
            }
        }""",
        {"keyset": keyset_json, "list": base64.b64encode(foreign_list).decode()},
    )
    assert refused == "unknown_key"
    page.close()


def test_served_reader_wasm_is_the_one_the_polyfill_expects(phone):
    """The ZXing WebAssembly comes from our own assets, at the version the polyfill's
    glue code was built for, with the right type for streaming compilation. The service
    worker lists it among the officers' files (cached on officers' devices only)."""
    sw = phone.request.get("/sw.js").text()
    names = re.findall(
        r'"group":"officer","revision":null,"url":"(assets/zxing_reader-[\w-]+\.wasm)"', sw
    )
    assert len(set(names)) == 1, "the reader's WebAssembly is not among the officers' files"
    response = phone.request.get("/" + names[0])
    assert response.ok and response.headers["content-type"] == "application/wasm"
    glue = (
        ROOT / "node_modules" / "barcode-detector" / "dist" / "es" / "zxing-exported.js"
    ).read_text()
    digest = hashlib.sha256(response.body()).hexdigest()
    assert digest in glue, "served WebAssembly differs from the version the polyfill expects"
    assert "fastly.jsdelivr" not in Path(ROOT / "static" / "dist" / "sw.js").read_text()
