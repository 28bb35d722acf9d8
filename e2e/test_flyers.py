"""Flyers in the browser: an admin creates a campaign in the console ("Flyer und
Aushänge") for a built-in service, downloads its A5 flyer and decodes the QR code; a
citizen opens that address in a fresh browser, lands on the service's page with the
tag gone from the address bar, starts and sends an application; after the statistics'
aggregation the admin sees the campaign's visits and the sent application on the
dashboard ("Zugänge über Kampagnen"). Four more visits and submissions come through the
API (five at least, or the dashboard hides the numbers). Both console screens have no
axe-core violations."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    send_registry_information_form,
    sign_in,
)
from tests.parking.support import decode_qr, rasterise_pdf

pytestmark = pytest.mark.browser

SERVICE = "registry_information_simple"
TAG = "flyer-melde-e2e"
NAME = "Flyer Melderegister (Test)"
CITIZEN = {
    "given_names": "Erika",
    "family_name": "Musterfrau",
    "street": "Kaiserplatz",
    "house_number": "2",
    "postal_code": "52349",
    "city": "Düren",
}
MORE = 4


@pytest.fixture
def office(browser, live_server):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 900},
        locale="de-DE",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def citizen(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, locale="de-DE"
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_a_flyer_brings_a_citizen_and_the_dashboard_counts_it(
    browser, office, citizen, live_server, tmp_path
):
    sign_in(office, "flyer.admin@example.org", role="admin")
    page = office.new_page()
    page.goto("/verwaltung/flyer")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Flyer und Aushänge")
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    expect(nav.get_by_role("link", name="Flyer und Aushänge")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, "flyers-empty")

    # A bad tag first: the field says what is wrong, nothing is created.
    page.get_by_label("Kennung").fill("Flyer 2027")
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Wohin führt der QR-Code?").select_option(SERVICE)
    page.get_by_role("button", name="Kampagne anlegen").click()
    expect(page.locator("#campaign-tag-error")).to_contain_text("Kleinbuchstaben")
    assert_accessible(page, "flyers-error")
    page.get_by_label("Kennung").fill(TAG)
    page.get_by_role("button", name="Kampagne anlegen").click()
    url = f"{live_server}/leistungen/{SERVICE}?q={TAG}"
    expect(page.get_by_text(f"Der QR-Code führt zu: {url}")).to_be_visible()
    row = page.locator(f"tr[data-campaign='{TAG}']")
    expect(row).to_contain_text(NAME)

    # The A5 flyer, chosen by keyboard-usable selects, downloaded as a PDF.
    page.get_by_label("Kampagne", exact=True).select_option(TAG)
    page.get_by_label("Format").select_option("a5")
    page.get_by_label("Sprache des Flyers").select_option("de")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Flyer herunterladen (PDF)").click()
    assert waiting.value.suggested_filename == f"flyer-{TAG}-a5-de.pdf"
    saved = tmp_path / "flyer.pdf"
    waiting.value.save_as(saved)
    [image] = rasterise_pdf(saved.read_bytes(), dpi=200)
    assert decode_qr(image) == [url]
    assert_accessible(page, "flyers-created")
    screenshot(page, "console-flyers")
    # 200 % zoom: the page reflows, the table scrolls inside itself.
    page.set_viewport_size({"width": 640, "height": 900})
    assert_no_horizontal_scroll(page, "flyers at 200 %")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A citizen scans it: a fresh browser, signed in, opens the address.
    sign_in(citizen, "flyer.buergerin@example.org", **CITIZEN)
    landing = citizen.new_page()
    views: list[dict] = []
    entries: list[dict] = []

    def note(request) -> None:
        if request.method != "POST":
            return
        if request.url.endswith("/api/statistics/step-views"):
            views.extend(json.loads(request.post_data)["views"])
        if request.url.endswith("/api/statistics/entries"):
            entries.append(json.loads(request.post_data))

    landing.on("request", note)
    landing.goto(url)
    expect(landing.get_by_role("button", name="Antrag starten")).to_be_visible()
    assert landing.url == f"{live_server}/leistungen/{SERVICE}"
    for _ in range(40):
        if entries:
            break
        landing.wait_for_timeout(250)
    assert {"tag": TAG, "service_id": SERVICE} in entries
    send_registry_information_form(landing)
    expect(landing.get_by_role("heading", level=1)).to_contain_text("gesendet")
    for _ in range(40):
        if any(view["step"] == "_submitted" for view in views):
            break
        landing.wait_for_timeout(500)
    sent = [view for view in views if view["step"] == "_submitted"]
    assert sent and all(view.get("campaign") == TAG for view in views), views
    landing.close()

    # Four more citizens through the API, as their phones would report them.
    phones = browser.new_context(base_url=live_server)
    anonymous = phones.request
    version = sent[0]["version"]
    for number in range(MORE):
        entry = anonymous.post(
            "/api/statistics/entries",
            data=json.dumps({"tag": TAG, "service_id": SERVICE}),
            headers={"Content-Type": "application/json", "Origin": live_server},
        )
        assert entry.status == 204, entry.text()
    journeys = [
        {
            "journey": f"flyer-e2e-journey-{number:04d}-xyz",
            "service_id": SERVICE,
            "version": version,
            "step": "_submitted",
            "at": sent[0]["at"],
            "campaign": TAG,
        }
        for number in range(MORE)
    ]
    posted = anonymous.post(
        "/api/statistics/step-views",
        data=json.dumps({"views": journeys}),
        headers={"Content-Type": "application/json", "Origin": live_server},
    )
    assert posted.status == 202, posted.text()
    phones.close()

    # The admin runs the aggregation and reads the campaign's figures.
    stats = office.new_page()
    stats.goto("/verwaltung/statistik")
    stats.locator("#stats-service").select_option(SERVICE)
    stats.get_by_role("button", name="Zahlen anzeigen").click()
    table = stats.get_by_role("table", name="Zugänge und Anträge je Kampagne")
    for _ in range(3):
        stats.get_by_role("button", name="Zahlen aktualisieren").click()
        expect(
            stats.get_by_role("status").filter(
                has_text=re.compile("Die Zahlen sind aktualisiert|im Hintergrund berechnet")
            )
        ).to_be_visible()
        if table.count():
            break
        stats.wait_for_timeout(1000)
    expect(table.get_by_role("row", name=re.compile(re.escape(NAME)))).to_have_text(
        re.compile(rf"{re.escape(NAME)}\s*{TAG}\s*{1 + MORE}\s*{1 + MORE}")
    )
    assert_accessible(stats, "statistics-campaigns")
    stats.locator("#stats-campaigns-heading").scroll_into_view_if_needed()
    screenshot(stats, "console-statistics-campaigns", full_page=False)

    # The console's list shows the counts so far too.
    page.reload()
    expect(page.locator(f"tr[data-campaign='{TAG}'] [data-entries]")).to_have_text(str(1 + MORE))
