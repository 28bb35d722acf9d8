"""Defect reports in the browser: a citizen on a phone reports a pothole with a photo
while offline and it arrives exactly once when the phone is online again; a clerk of
the department works and moderates it; the public map and list show it without
personal data; a report by keyboard alone through the address field; axe-core on every
new screen and reflow at 200 % zoom. Tiles come from a local fake tile server."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.db import db
from app.models import DefectReport, ReportCategory, ReportPhoto
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
    wait_until,
)
from tests.fakes.tile_server import FakeTileServer
from tests.reports.photos import jpeg_with_gps

pytestmark = pytest.mark.browser

CLERK = "tiefbau.e2e@example.org"


@pytest.fixture
def tiles(portal) -> Iterator[FakeTileServer]:
    """The portal's map draws from a local fake tile server (set before any page of the
    test loads, so the page's CSP names it)."""
    with FakeTileServer() as server:
        before = portal.app.config.get("REPORTS_TILE_URL")
        portal.app.config["REPORTS_TILE_URL"] = server.url_template
        portal.app.config["REPORTS_TILE_ATTRIBUTION"] = "Kartenkacheln: Testmodus"
        yield server
        portal.app.config["REPORTS_TILE_URL"] = before
        portal.app.config["REPORTS_TILE_ATTRIBUTION"] = None


def _reports(description: str) -> list[DefectReport]:
    with db.connection_context():
        return list(DefectReport.select().where(DefectReport.description == description))


def _older_released(count: int) -> None:
    """``count`` released reports from last month, to fill more than the list's first page."""
    import secrets
    from datetime import timedelta

    from app.db import utcnow
    from app.reports import categories

    with db.connection_context():
        category = categories.by_code("papierkorb")
        for day in range(count):
            DefectReport.create(
                category=category,
                description=f"Älterer Papierkorb {day}",
                address="Markt",
                street="Markt",
                visibility="public",
                token=secrets.token_hex(8),
                created_at=utcnow() - timedelta(days=30 + day),
            )


def _requests_stay_local(page, allowed: tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def _reflow(page, name: str) -> None:
    # 200 % zoom of a 1280 px screen: the layout of a 640 px wide window.
    size = page.viewport_size
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, name)
    page.set_viewport_size(size)


@pytest.mark.service_worker
def test_an_offline_report_with_a_photo_arrives_once(phone, tiles, live_server):
    page = phone.new_page()
    seen = _requests_stay_local(page, (live_server, tiles.origin))
    page.goto("/meldungen/neu")
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    expect(page.get_by_role("heading", level=1)).to_have_text("Einen Mangel melden")
    # The map draws its tiles from the configured (fake) tile server, with attribution.
    map_region = page.get_by_role("region", name="Karte: Ort des Mangels wählen")
    expect(map_region.locator(".leaflet-tile-loaded").first).to_be_visible()
    expect(map_region.get_by_text("Kartenkacheln: Testmodus")).to_be_visible()
    assert tiles.requests and all(path.endswith(".png") for path in tiles.requests)
    assert_accessible(page, "reports-form")
    screenshot(page, "reports-form")

    description = "Schlagloch offline gemeldet"
    page.get_by_label("Was ist das Problem?").select_option(label="Schlagloch")
    page.get_by_label("Beschreibung").fill(description)
    page.get_by_label("Adresse", exact=True).fill("Kölnstraße 40")
    # A tap on the map picks the place.
    map_region.locator(".report-map").click()
    expect(page.get_by_text("Ort übernommen:")).to_be_visible()
    page.get_by_label("Fotos (freiwillig, höchstens 3)").set_input_files(
        {"name": "loch.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    expect(page.get_by_text("1 Foto(s) ausgewählt")).to_be_visible()
    assert_accessible(page, "reports-form-filled")
    _reflow(page, "reports-form")

    phone.set_offline(True)
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ihre Meldung wartet auf diesem Gerät"
    )
    assert _reports(description) == []
    assert_accessible(page, "reports-queued")
    screenshot(page, "reports-queued")

    phone.set_offline(False)
    wait_until(page, lambda: len(_reports(description)) == 1, message="the report arriving")
    # Page and service worker may both send it; the idempotency key keeps it one.
    page.goto("/meldungen/meine")
    expect(page.get_by_text("Auf diesem Gerät ohne Anmeldung gesendet")).to_be_visible()
    expect(page.get_by_text("Warten auf das Senden")).to_have_count(0)
    assert_accessible(page, "reports-mine")
    [report] = _reports(description)
    assert report.lat is not None and report.street == "Kölnstraße"
    with db.connection_context():
        [photo] = ReportPhoto.select().where(ReportPhoto.report == report.id)
    with Image.open(io.BytesIO(bytes(photo.data))) as image:
        # Made smaller in the browser (2400 px → 1600 px) and without EXIF.
        assert max(image.size) == 1600 and not image.getexif()

    # The anonymous reporter's page on this device.
    page.get_by_role("link", name=f"Stand ansehen: Meldung {report.id}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Meldung")
    expect(page.get_by_text("Neu", exact=True)).to_be_visible()
    assert_accessible(page, "reports-track")
    # No request left the machine: the portal and the tile fake only.
    assert all(url.startswith((live_server, tiles.origin, "blob:", "data:")) for url in seen)


def _file_report(context, description: str) -> int:
    answer = context.request.post(
        "/api/reports",
        multipart={
            "category": "schlagloch",
            "description": description,
            "address": "Kölnstraße 40",
            "lat": "50.80371",
            "lon": "6.48932",
            "email": "geheim.melder@example.org",
            "photos": {"name": "loch.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()},
        },
    )
    assert answer.status == 201, answer.text()
    return answer.json()["id"]


def test_staff_work_and_release_a_report_the_public_map_shows_it(desktop, phone, tiles, browser):
    description = "Schlagloch für die Sachbearbeitung"
    report_id = _file_report(phone, description)
    sign_in(desktop, CLERK, "staff", ("tiefbau",))
    page = desktop.new_page()
    page.goto("/meldungen/bearbeitung")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldungen bearbeiten")
    link = page.get_by_role("link", name=f"Meldung {report_id} öffnen: Schlagloch")
    expect(link).to_be_visible()
    expect(
        page.get_by_role("region", name="Karte der Meldungen in dieser Ansicht.")
    ).to_be_visible()
    assert_accessible(page, "reports-staff-queue")
    screenshot(page, "reports-staff-queue")
    _reflow(page, "reports-staff-queue")

    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Meldung {report_id}")
    expect(
        page.get_by_text("Ohne Konto, Rückmeldung an: geheim.melder@example.org")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Foto 1 zur Meldung")).to_be_visible()
    assert_accessible(page, "reports-staff-detail")
    screenshot(page, "reports-staff-detail")
    _reflow(page, "reports-staff-detail")

    page.get_by_label("Neuer Status").select_option(label="In Bearbeitung")
    page.get_by_label("Öffentlicher Hinweis").first.fill("Wird nächste Woche repariert.")
    page.get_by_role("button", name="Status speichern").click()
    expect(page.get_by_text("In Bearbeitung").first).to_be_visible()
    page.get_by_role("radio", name="Öffentlich", exact=True).check()
    page.get_by_role("checkbox", name="Fotos öffentlich zeigen").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_text("Gespeichert.").first).to_be_visible()
    assert_accessible(page, "reports-staff-worked")

    _older_released(20)
    public = browser.new_context(base_url=page.url.split("/meldungen")[0], locale="de-DE")
    try:
        view = public.new_page()
        view.goto("/meldungen")
        expect(view.get_by_role("heading", level=1)).to_have_text("Mängelmelder")
        card = view.locator("li.kern-card", has_text=description)
        expect(card).to_be_visible()
        expect(card.get_by_text("In Bearbeitung")).to_be_visible()
        expect(card.get_by_text("Hinweis der Stadt: Wird nächste Woche repariert.")).to_be_visible()
        expect(card.get_by_text("Ort: Kölnstraße")).to_be_visible()
        expect(view.get_by_role("region", name="Karte der gemeldeten Mängel.")).to_be_visible()
        expect(
            view.locator(".leaflet-interactive, .leaflet-overlay-pane path").first
        ).to_be_attached()
        text = view.locator("main").inner_text()
        assert "geheim.melder@example.org" not in text and "Kölnstraße 40" not in text
        assert "50.80371" not in view.content()
        assert_accessible(view, "reports-public")
        screenshot(view, "reports-public")
        _reflow(view, "reports-public")
        # The list comes in pages of 20; the next one by keyboard, the focus on its first report.
        cards = view.locator("main li.kern-card")
        expect(cards).to_have_count(20)
        more = view.get_by_role("button", name="Weitere Meldungen laden")
        more.focus()
        view.keyboard.press("Enter")
        expect(cards).to_have_count(21)
        expect(view.locator("main li.kern-card h2").nth(20)).to_be_focused()
        expect(view.get_by_text("Meldungen: 21")).to_be_visible()
        expect(more).to_have_count(0)
        assert_accessible(view, "reports-public-more")
    finally:
        public.close()
        with db.connection_context():
            DefectReport.delete().where(
                DefectReport.description.startswith("Älterer Papierkorb")
            ).execute()


def test_a_report_by_keyboard_alone_through_the_address_field(desktop):
    page = desktop.new_page()
    page.goto("/meldungen/neu")
    expect(page.get_by_label("Was ist das Problem?")).to_be_visible()

    def tab_to(element_id: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement && document.activeElement.id") == (
                element_id
            ):
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    # Without a tile server there is no map: the address field does the job.
    expect(page.locator(".report-map")).to_have_count(0)
    tab_to("report-category")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Was ist das Problem?").input_value() == "schlagloch"
    tab_to("report-description")
    page.keyboard.type("Mit der Tastatur gemeldet")
    tab_to("report-address")
    page.keyboard.type("Markt 3")
    tab_to("report-email")
    page.keyboard.type("tastatur@example.org")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Meldung")
    assert_accessible(page, "reports-sent")
    [report] = _reports("Mit der Tastatur gemeldet")
    assert report.street == "Markt" and report.lat is None


def test_field_errors_in_the_form_are_announced_and_linked(desktop):
    page = desktop.new_page()
    page.goto("/meldungen/neu")
    page.get_by_role("button", name="Meldung senden").click()
    summary = page.get_by_role("alert")
    expect(
        summary.get_by_role("link", name="Bitte wählen Sie aus, was das Problem ist.")
    ).to_be_visible()
    expect(
        summary.get_by_role(
            "link", name="Bitte geben Sie eine Adresse ein oder verwenden Sie Ihren Standort."
        )
    ).to_be_visible()
    # The server's own check: a street the city does not have.
    page.get_by_label("Was ist das Problem?").select_option(label="Graffiti")
    page.get_by_label("Beschreibung").fill("Bunte Wand")
    page.get_by_label("Adresse", exact=True).fill("Nirgendweg 1")
    page.get_by_role("button", name="Meldung senden").click()
    expect(
        page.get_by_role("alert").get_by_role(
            "link", name="Diese Straße kennen wir nicht.", exact=False
        )
    ).to_be_visible()
    assert_accessible(page, "reports-form-errors")
    assert _reports("Bunte Wand") == []


def test_the_console_makes_open311_keys_and_edits_categories(desktop):
    sign_in(desktop, "admin.reports@example.org", "admin")
    page = desktop.new_page()
    page.goto("/verwaltung/meldungen")
    expect(page.get_by_role("heading", level=1, name="Verwaltung Mängelmelder")).to_be_visible()
    assert_accessible(page, "reports-console")
    page.get_by_label("Name der App").fill("Stadt-App Düren")
    page.get_by_role("button", name="Schlüssel anlegen").click()
    shown = page.get_by_role("status").filter(has_text="Schlüssel für Stadt-App Düren angelegt")
    expect(shown).to_be_visible()
    key = shown.locator("code").inner_text()
    assert key.startswith("o311_")
    row = page.get_by_role("row", name="Stadt-App Düren")
    expect(row.get_by_text(f"{key[:8]}…")).to_be_visible()
    assert key not in row.inner_text()
    assert_accessible(page, "reports-console-key")
    screenshot(page, "reports-console")
    _reflow(page, "reports-console")
    page.get_by_role("button", name="Schlüssel von Stadt-App Düren sperren").click()
    expect(row.get_by_text("Gesperrt")).to_be_visible()

    page.get_by_role("button", name="Graffiti ändern").click()
    page.get_by_label("Zuständige Stelle (Bereich der Sachbearbeitung)").fill("bauhof")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("row", name="graffiti").get_by_text("bauhof")).to_be_visible()
    # The description the form did not show as changed stays as it was.
    categories = desktop.request.get("/api/admin/reports/categories").json()
    graffiti = next(c for c in categories if c["code"] == "graffiti")
    assert graffiti["department"] == "bauhof" and graffiti["description_de"]


@pytest.mark.service_worker
def test_a_report_refused_from_the_outbox_is_named_by_its_category(phone):
    page = phone.new_page()
    page.goto("/meldungen/neu")
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    page.get_by_label("Was ist das Problem?").select_option(label="Straßenbeleuchtung defekt")
    page.get_by_label("Beschreibung").fill("Laterne dunkel, gleich abgelehnt")
    page.get_by_label("Adresse", exact=True).fill("Kölnstraße 40")
    phone.set_offline(True)
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ihre Meldung wartet auf diesem Gerät"
    )
    # The city withdraws the category while the report waits: the portal refuses it.
    with db.connection_context():
        ReportCategory.update(active=False).where(
            ReportCategory.code == "strassenbeleuchtung"
        ).execute()
    try:
        phone.set_offline(False)
        page.goto("/meldungen/meine")
        expect(page.get_by_text("Die Stadt hat diese Meldung nicht angenommen")).to_be_visible()
        expect(page.get_by_text("Straßenbeleuchtung defekt, geschrieben am")).to_be_visible()
        assert "strassenbeleuchtung" not in page.locator("main").inner_text()
        assert_accessible(page, "reports-outbox-refused")
    finally:
        with db.connection_context():
            ReportCategory.update(active=True).where(
                ReportCategory.code == "strassenbeleuchtung"
            ).execute()
