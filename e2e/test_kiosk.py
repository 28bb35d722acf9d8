"""The Bürgerbüro terminal: set up from the console's one-time link; a visitor signs in,
starts a draft and prints a document; the terminal goes idle, counts down and wipes
itself; the next visitor finds nothing of the first. Then "Sitzung beenden" at once.

The idle time and countdown are shortened through the portal's settings (the server
tells the terminal its timings)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.db import db
from app.models import AuthSession, User
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    outbox_code,
    screenshot,
    sign_in,
    submit_dog_deregistration,
)

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

DESKTOP_PREFIX = "http://127.0.0.1:24727/eID-Client?tcTokenURL="

# What the terminal's device holds: IndexedDB databases with their drafts, the Cache
# Storage's caches with the addresses they keep, localStorage and sessionStorage keys.
DEVICE_STATE = """async () => {
    const databases = {};
    for (const { name } of await indexedDB.databases()) {
        // A database still waiting to be deleted would hold this open forever.
        const db = await Promise.race([
            new Promise((resolve, reject) => {
                const request = indexedDB.open(name);
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error);
            }),
            new Promise((resolve, reject) => {
                setTimeout(() => reject(new Error(`${name} blocked`)), 5000);
            }),
        ]);
        const stores = {};
        for (const store of db.objectStoreNames) {
            stores[store] = await new Promise((resolve) => {
                // The meta store keeps values under out-of-line keys: its keys say what.
                const objects = db.transaction(store).objectStore(store);
                const request = store === "meta" ? objects.getAllKeys() : objects.getAll();
                const row = (r) => (typeof r === "string" ? r : r.url || r.localId || 1);
                request.onsuccess = () => resolve(request.result.map(row));
            });
        }
        db.close();
        databases[name] = stores;
    }
    const cached = {};
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        cached[name] = {};
        for (const request of await cache.keys()) {
            const path = new URL(request.url).pathname;
            if (!path.startsWith('/api/')) continue;
            cached[name][path] = await (await cache.match(request)).text();
        }
    }
    return {
        databases, cached,
        local: Object.keys(localStorage), session: Object.keys(sessionStorage),
        kioskClass: document.documentElement.classList.contains('kiosk'),
    };
}"""


# Headless Chromium has no printer and its renderer dies on print() in a PDF frame; the
# print frame's window is replaced by one that counts print() calls. Everything up to
# that call (the fetched PDF in the hidden frame) is the real thing.
COUNT_PRINTS = """(() => {
    const real = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow');
    window.__printed = [];
    Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
        get() {
            if (!this.classList.contains('kiosk-print-frame')) return real.get.call(this);
            const frame = this;
            return { focus() {}, print() { window.__printed.push(frame.src); } };
        },
    });
})()"""


@pytest.fixture
def terminal(browser, live_server, portal, monkeypatch):
    """The terminal: a large touch screen, German, with short idle times."""
    monkeypatch.setitem(portal.app.config, "KIOSK_IDLE_SECONDS", 4)
    monkeypatch.setitem(portal.app.config, "KIOSK_COUNTDOWN_SECONDS", 3)
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1024, "height": 768},
        has_touch=True,
        is_mobile=True,
        locale="de-DE",
    )
    context.set_default_timeout(10_000)
    context.add_init_script(COUNT_PRINTS)
    yield context
    context.close()


def _setup_link(desktop) -> str:
    """An admin registers the terminal in the console and reads its setup link."""
    sign_in(desktop, "kiosk-admin@example.org", "admin")
    page = desktop.new_page()
    page.goto("/verwaltung/terminals")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terminals im Bürgerbüro")
    page.get_by_role("button", name="Terminal anmelden").click()
    expect(page.get_by_text("Bitte füllen Sie dieses Feld aus.").first).to_be_visible()
    page.get_by_label("Name des Terminals").fill("Foyer links")
    page.get_by_role("button", name="Terminal anmelden").click()
    link = page.locator("[data-setup-link]")
    expect(link).to_contain_text("?kiosk=")
    expect(page.get_by_role("cell", name="Wartet auf Einrichtung")).to_be_visible()
    assert_accessible(page, "kiosk-console")
    screenshot(page, "kiosk-console")
    url = link.inner_text().strip()
    page.close()
    return url


def _sign_in_by_code(page, context, email: str, check: bool = False) -> None:
    page.get_by_role("link", name="Anmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden oder Konto eröffnen")
    # No passkey at a shared terminal.
    expect(page.get_by_role("button", name=re.compile("Passkey"))).to_have_count(0)
    if check:
        assert_accessible(page, "kiosk-sign-in")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Code senden").click()
    # The code step shows once the mail is written (the outbox reads whole files only).
    expect(page.get_by_role("heading", level=1)).to_have_text("Code eingeben")
    page.get_by_label("Code aus der E-Mail").fill(outbox_code(context, email))
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/antraege$"))


def _live_sessions(email: str) -> int:
    with db.connection_context():
        return AuthSession.select().join(User).where(User.email == email).count()


def test_a_second_visitor_finds_nothing_of_the_first(terminal, desktop):
    setup = _setup_link(desktop)
    page = terminal.new_page()
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.goto(setup)
    expect(page.locator("html.kiosk")).to_have_count(1)
    # The token leaves the address (and the history) at once.
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Sitzung beenden")).to_be_visible()
    assert_accessible(page, "kiosk-start")
    screenshot(page, "kiosk-start")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)

    # Visitor 1 signs in; the sign-in lasts a short while only.
    email = "besuch.eins@example.org"
    _sign_in_by_code(page, terminal, email, check=True)
    expect(page.get_by_role("button", name="Sitzung beenden")).to_be_visible()
    assert _live_sessions(email) == 1
    # A new account, yet no guided first visit at a shared terminal (not here, not on
    # the account page).
    expect(page.locator("dialog.tour")).to_have_count(0)
    # The account offers no passkey, no push and no download of the data.
    page.goto("/konto")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    expect(page.locator("dialog.tour")).to_have_count(0)
    expect(page.get_by_role("button", name="Einführung noch einmal ansehen")).to_have_count(0)
    expect(page.get_by_role("heading", name="Passkeys")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("herunterladen"))).to_have_count(0)
    assert_accessible(page, "kiosk-account")

    # The eID at the terminal goes through the desktop AusweisApp, touch screen or not.
    page.goto("/konto/ausweis")
    page.get_by_role("button", name="Weiter mit dem Online-Ausweis").click()
    app_link = page.get_by_role("link", name="AusweisApp öffnen", exact=True)
    assert app_link.get_attribute("href").startswith(DESKTOP_PREFIX)
    assert_accessible(page, "kiosk-eid")

    # A document of theirs is printed, not saved on the terminal.
    application = submit_dog_deregistration(terminal)
    page.goto(f"/antraege/{application['id']}")
    print_button = page.get_by_role("button", name=re.compile(r"^Eingangsbestätigung.* drucken$"))
    print_button.first.click()
    expect(page.get_by_text(re.compile("wird gedruckt")).first).to_be_visible()
    frame_src = page.locator("iframe.kiosk-print-frame").get_attribute("src")
    assert frame_src.startswith("blob:")
    assert page.evaluate("() => window.__printed") == [frame_src]
    expect(page.get_by_role("link", name=re.compile("herunterladen"))).to_have_count(0)
    assert_accessible(page, "kiosk-application")
    assert_no_horizontal_scroll(page, "kiosk-application")
    screenshot(page, "kiosk-application")

    # ... and a draft is started (kept in IndexedDB as typed).
    page.goto("/leistungen/registry_information_simple")
    page.get_by_role("button", name="Antrag starten").click()
    page.get_by_label("Familienname", exact=True).fill("Geheim")
    page.get_by_role("link", name="Meine Anträge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anträge")
    before = page.evaluate(DEVICE_STATE)
    assert before["databases"]["buergerportal"]["drafts"]
    assert email in before["cached"]["personal-data"]["/api/auth/session"]
    assert "/api/applications" in before["cached"]["personal-data"]

    # Nobody touches the screen: a countdown, cancelled by any input ...
    countdown = page.locator("[data-kiosk-countdown]")
    expect(countdown).to_be_visible(timeout=10_000)
    expect(countdown.get_by_role("alert")).to_contain_text("Sind Sie noch da?")
    assert_accessible(page, "kiosk-countdown")
    screenshot(page, "kiosk-countdown", full_page=False)
    page.keyboard.press("Shift")
    expect(countdown).to_have_count(0)
    # ... and then, left alone, the sign-out and the wipe, back at the start screen.
    expect(countdown).to_be_visible(timeout=10_000)
    page.wait_for_url(re.compile(r"/$"), timeout=10_000)
    expect(page.get_by_role("link", name="Anmelden", exact=True)).to_be_visible(timeout=10_000)
    expect(countdown).to_have_count(0)

    # Visitor 2 finds nothing of visitor 1.
    assert _live_sessions(email) == 0
    assert terminal.request.get("/api/auth/session").json()["authenticated"] is False
    assert not [c for c in terminal.cookies() if c["name"] == "bp_session"]
    after = page.evaluate(DEVICE_STATE)
    assert after["kioskClass"] is True
    # No draft, no outbox, nothing in any database; Workbox's records of the personal
    # cache's entries name only what the new start screen itself asked for.
    kept = {"/api/auth/session"}
    for name, stores in after["databases"].items():
        for store, rows in stores.items():
            if name == "workbox-expiration":
                assert {urlsplit(url).path for url in rows} <= kept, rows
            elif store == "meta":
                # What every start writes again: the city's public data (for the service
                # worker) and the language of the screen now shown.
                assert set(rows) <= {"city", "locale"}, rows
            else:
                assert rows == [], (name, store, rows)
    # No cached API answer of the first visitor: the only personal one left is the new
    # start screen's "nobody is signed in".
    public = ("catalogue", "definitions")
    personal = {
        path: body
        for name, entries in after["cached"].items()
        if name not in public
        for path, body in entries.items()
    }
    assert set(personal) <= kept, set(personal)
    for body in personal.values():
        assert email not in body and '"authenticated":false' in body.replace(" ", "")
    assert set(after["local"]) <= {"kiosk"}, after["local"]
    assert after["session"] == []
    assert downloads == []
    # The terminal is still a terminal for the next visitor.
    assert terminal.request.get("/api/kiosk").json()["terminal"] == "Foyer links"


def test_end_session_wipes_at_once(terminal, desktop):
    setup = _setup_link(desktop)
    page = terminal.new_page()
    page.goto(setup)
    expect(page.locator("html.kiosk")).to_have_count(1)
    email = "besuch.zwei@example.org"
    sign_in(terminal, email)
    page.goto("/antraege")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anträge")
    assert_accessible(page, "kiosk-applications")
    assert_touch_targets(page, "kiosk-applications")
    # The larger type still reflows at 200 % zoom (640 px wide).
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, "kiosk-applications-640")
    expect(page.get_by_role("button", name="Sitzung beenden")).to_be_in_viewport()
    screenshot(page, "kiosk-applications-640", full_page=False)
    page.get_by_role("button", name="Sitzung beenden").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Anmelden", exact=True)).to_be_visible()
    assert _live_sessions(email) == 0
    assert terminal.request.get("/api/auth/session").json()["authenticated"] is False


def test_a_visit_ended_offline_is_signed_out_when_the_network_returns(terminal, desktop):
    setup = _setup_link(desktop)
    page = terminal.new_page()
    page.goto(setup)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    email = "besuch.drei@example.org"
    # A real sign-in: its cookie is HttpOnly, out of the page's reach.
    _sign_in_by_code(page, terminal, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anträge")
    terminal.set_offline(True)
    page.get_by_role("button", name="Sitzung beenden").click()
    page.wait_for_url(re.compile(r"/$"))
    # The server has not heard of it yet: the session lives until the network returns.
    assert _live_sessions(email) == 1
    terminal.set_offline(False)
    page.wait_for_function("() => !localStorage.getItem('kiosk-logout-pending')")
    assert _live_sessions(email) == 0
    expect(page.get_by_role("link", name="Anmelden", exact=True)).to_be_visible()
