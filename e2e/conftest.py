"""Browser tests: the real portal served on localhost, driven in Debian's Chromium.

The server runs in a thread of this process with its own SQLite database and the
built PWA from ``static/dist`` (the test command builds it first).
"""

from __future__ import annotations

import datetime
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.accounts import profile, sessions, tour, users
from app.db import db
from app.models import User
from portal.local import LocalPortal, start_local_portal
from tests.fakes.smtp_server import SmtpServer
from tests.push.portal import set_config

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_AXE_RUN = """async () => {
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    // Only violations are reported in full: the other result types cost time, unread.
    const r = await axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
    });
    return r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
    }));
}"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPortal]:
    """The running portal: its address and the Flask app (for its configuration)."""
    if not (ROOT / "static" / "dist" / "index.html").exists():
        pytest.fail("The PWA is not built: run 'npm run build' (the test command does).")
    running = start_local_portal(tmp_path_factory.mktemp("e2e-instance"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def live_server(portal: LocalPortal) -> str:
    return portal.base


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    instance = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield instance
    instance.close()


def service_workers(request: pytest.FixtureRequest) -> str:
    """Whether a test's browser runs the portal's service worker: in the tests marked
    ``service_worker`` (offline use, caches, updates, push, the main journeys). Elsewhere
    it is blocked, so a context does not install it and download every file of the app
    ahead, which was a fifth of the browser tests' time; the pages work without it, as
    they do in browsers that have none."""
    return "allow" if request.node.get_closest_marker("service_worker") else "block"


def new_phone(browser, live_server: str, timeout_ms: int = 10_000, **options):
    """A phone-sized browser context (360×800, touch, German). One device pixel per CSS
    pixel: layouts are the same, drawing costs a quarter (see ``zoomed_phone``)."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 800},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale="de-DE",
        **options,
    )
    context.set_default_timeout(timeout_ms)
    return context


def zoomed_phone(browser, live_server: str, width: int = 360, **options):
    """A ``width`` px wide screen at 200 % zoom: half as many CSS pixels, two device
    pixels each (a 360 px phone lays out 180 CSS pixels)."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width // 2, "height": 400},
        device_scale_factor=2,
        locale="de-DE",
        **options,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(browser, live_server, request):
    """A phone (``new_phone``) for one test."""
    context = new_phone(browser, live_server, service_workers=service_workers(request))
    yield context
    context.close()


@pytest.fixture
def desktop(browser, live_server, request):
    """An office screen (1280×800, German), as clerks use the portal."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 800},
        locale="de-DE",
        service_workers=service_workers(request),
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def outbox(context, email: str) -> list[dict]:
    """The mails to ``email`` in the development outbox, newest first; waits up to 5 s
    for the first (a background job writes them). Empty if none came."""
    for _ in range(50):
        messages = json.loads(context.request.get(f"/dev/outbox.json?to={email}").text())
        if messages:
            return messages
        time.sleep(0.1)
    return []


def outbox_code(context, email: str) -> str:
    """The newest code mailed to ``email``, read from the development outbox."""
    messages = outbox(context, email)
    assert messages, f"no mail to {email}"
    return messages[0]["subject"].rsplit(" ", 1)[-1]


def assert_accessible(page, name: str) -> None:
    """Run axe-core (WCAG 2.1 A/AA) on the page and fail on any violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() goes through the DevTools protocol, which the page's CSP does not block.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(_AXE_RUN)
    assert result == [], f"{name}: accessibility violations: {json.dumps(result, indent=1)}"


def screenshot(page, name: str, full_page: bool = True) -> None:
    """Save a screenshot as a test artifact (the whole page, or what the window shows)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def make_user(email: str, role: str = "citizen", areas: tuple[str, ...] = (), **details) -> int:
    """Create (or find) an account with profile details; returns its id. The account
    has seen the guided first visit already (e2e/test_first_visit_tour.py shows it to
    accounts opened through the sign-in page), so it covers no other test's screen."""
    with db.connection_context():
        user = User.get_or_none(User.email == email)
        if user is None:
            user = tour.record(users.create_user(email, role, list(areas)), "skipped")
        if details:
            profile.update_profile(user, details)
        return user.id


def sign_in(
    context, email: str, role: str = "citizen", areas: tuple[str, ...] = (), **details
) -> int:
    """Sign ``context`` in as ``email`` (a server session cookie, as after a real sign-in)."""
    user_id = make_user(email, role, areas, **details)
    with db.connection_context():
        token, _ = sessions.start_session(User.get_by_id(user_id), "email", "e2e", 24)
    base = context.request.get("/api/health").url.split("/api/")[0]
    context.add_cookies([{"name": "bp_session", "value": token, "url": base}])
    return user_id


def skip_first_visit_tour(page) -> None:
    """Close the guided first visit a new account sees after signing in through the
    sign-in page ("Überspringen" in any language; e2e/test_first_visit_tour.py tests it)."""
    page.locator("dialog.tour").get_by_role("button").last.click()
    page.locator("dialog.tour").wait_for(state="detached")


def wait_for_offline_ready(page) -> None:
    """The service worker controls the page and has the catalogue and every form cached."""
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
        timeout=20_000,
    )
    page.get_by_text("Alle Formulare sind auf diesem Gerät gespeichert").wait_for(timeout=20_000)


def form_page(page) -> str:
    """The key of the form page on screen (the last part of its address; "pruefen" for
    the check page), once that page is drawn: the address changes a moment before."""
    page.wait_for_url(lambda url: "/antrag/" in url)
    key = urlsplit(page.url).path.rsplit("/", 1)[-1]
    if key != "pruefen":
        page.locator(f'form[data-page="{key}"]').wait_for()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return key


def server_applications(context) -> list[dict]:
    """The signed-in citizen's applications as the server has them."""
    return context.request.get("/api/applications").json()


def wait_until(page, predicate, timeout_ms: int = 10_000, message: str = "condition") -> None:
    """Poll ``predicate`` (e.g. a look at the server) while the page (if any) keeps running."""
    for _ in range(timeout_ms // 200):
        if predicate():
            return
        if page is None:
            time.sleep(0.2)
        else:
            page.wait_for_timeout(200)
    assert predicate(), f"timed out waiting for {message}"


def json_headers(context) -> dict[str, str]:
    """The headers the PWA sends with a JSON write: the session's CSRF token and the type."""
    csrf = context.request.get("/api/auth/session").json()["csrf_token"]
    return {"X-CSRF-Token": csrf, "Content-Type": "application/json"}


def post_json(context, path: str, body: dict | None = None):
    """POST ``body`` (or nothing) as the signed-in user of ``context``; the response."""
    return context.request.post(
        path,
        data=json.dumps(body) if body is not None else None,
        headers=json_headers(context),
    )


def post_ok(context, path: str, body: dict | None = None):
    """``post_json`` that must succeed (set-up, not the thing under test)."""
    response = post_json(context, path, body)
    assert response.ok, response.text()
    return response


def new_service(context, service_id: str, title_de: str, title_en: str, area: str) -> None:
    """A new service from the console's template, created by the signed-in admin."""
    body = {"service_id": service_id, "title_de": title_de, "title_en": title_en, "area": area}
    created = post_json(context, "/api/admin/services/new", body)
    assert created.status == 201, created.text()


def duplicate_newest(context, service_id: str, copy_id: str) -> None:
    """A copy of ``service_id``'s newest version as the new service ``copy_id``."""
    versions = context.request.get(f"/api/admin/services/{service_id}/versions").json()
    newest = max(version["version"] for version in versions["versions"])
    body = {"service_id": copy_id, "title_de": "Kopie", "title_en": "Copy"}
    copied = post_json(
        context, f"/api/admin/services/{service_id}/versions/{newest}/duplicate", body
    )
    assert copied.status == 201, copied.text()


def submit_application(context, service_id: str, answers: dict, files: dict | None = None) -> dict:
    """Create, (upload files for) and submit an application through the API, as the
    signed-in citizen. ``files`` maps a file field to [(name, bytes, content type)]."""
    csrf = context.request.get("/api/auth/session").json()["csrf_token"]
    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
    created = context.request.post(
        "/api/applications",
        data=json.dumps({"service_id": service_id, "answers": answers}),
        headers=headers,
    )
    assert created.status == 201, created.text()
    draft = created.json()
    if files:
        answers = dict(draft["answers"])
        for field_id, items in files.items():
            answers[field_id] = []
            for name, content, content_type in items:
                uploaded = context.request.post(
                    f"/api/applications/{draft['id']}/attachments",
                    multipart={
                        "field_id": field_id,
                        "file": {"name": name, "mimeType": content_type, "buffer": content},
                    },
                    headers={"X-CSRF-Token": csrf},
                )
                assert uploaded.status == 201, uploaded.text()
                answers[field_id].append(uploaded.json())
        updated = context.request.put(
            f"/api/applications/{draft['id']}",
            data=json.dumps({"answers": answers}),
            headers={**headers, "If-Match": f'"{draft["revision"]}"'},
        )
        assert updated.status == 200, updated.text()
    sent = context.request.post(
        f"/api/applications/{draft['id']}/submit",
        headers={**headers, "Idempotency-Key": f"e2e-{draft['id']}"},
    )
    assert sent.status == 201, sent.text()
    return sent.json()


_SMALL_TARGETS = """() => {
    const visible = (el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
    };
    // Links inside running text are exempt (WCAG 2.5.5/2.5.8 "inline").
    const inline = (el) => {
        if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
        const parent = el.parentElement;
        return [...parent.childNodes].some((n) => n !== el && n.textContent.trim());
    };
    const small = [];
    const check = (el, target) => {
        const box = target.getBoundingClientRect();
        const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
        if (box.height < 43.5) small.push(`${el.outerHTML.slice(0, 90)} -> ${size}`);
    };
    const controls = 'a[href], button, select, textarea, input:not([type=hidden])';
    for (const el of document.querySelectorAll(controls)) {
        if (!visible(el) || inline(el) || el.closest('.skip-link')) continue;
        const choice = el.type === 'radio' || el.type === 'checkbox';
        if (choice) check(el, el.closest('.kern-form-check') || el);
        else check(el, el);
    }
    return small;
}"""


VET_NOTE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def send_registry_information_form(page) -> None:
    """Fill and send the simple registry information request in the browser, as a
    citizen whose name and date of birth are on file (from the service's start page)."""
    page.goto("/leistungen/registry_information_simple")
    page.get_by_role("button", name="Antrag starten").click()
    page.get_by_label("Familienname", exact=True).fill("Beispiel")
    page.get_by_label("Vornamen", exact=True).fill("Max")
    page.get_by_role("radio", name="Das Geburtsdatum").check()
    page.get_by_label("Geburtsdatum", exact=True).fill("1980-05-01")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("button", name="Antrag verbindlich senden").click()


def submit_dog_deregistration(context) -> dict:
    """A submitted dog-tax de-registration of the signed-in citizen: the dog died three
    days ago, the vet's note (``VET_NOTE``) is attached."""
    died = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    answers = {
        "holder_address": {"street": "Kaiserplatz", "house_number": "2"},
        "dog_name": "Bello",
        "reason": "died",
        "event_date": died,
        "truthful": True,
    }
    files = {"proof": [("tierarzt.pdf", VET_NOTE, "application/pdf")]}
    return submit_application(context, "dog_tax_deregistration", answers, files)


def assert_touch_targets(page, name: str) -> None:
    """Every control a finger must hit is at least 44 px high (inline text links exempt)."""
    small = page.evaluate(_SMALL_TARGETS)
    assert small == [], f"{name}: touch targets under 44 px: {json.dumps(small, indent=1)}"


def assert_no_horizontal_scroll(page, name: str) -> None:
    """Content reflows: nothing wider than the viewport (data tables scroll inside themselves)."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, (
        f"{name}: page is {widths[0]} px wide in a {widths[1]} px viewport"
    )


@pytest.fixture
def smtp(portal, monkeypatch):
    """The running portal sends its mail to a local SMTP server for this test."""
    with SmtpServer() as server:
        set_config(
            portal.app,
            monkeypatch,
            SMTP_HOST=server.host,
            SMTP_PORT=server.port,
            SMTP_STARTTLS=False,
            SMTP_USER=None,
        )
        yield server
