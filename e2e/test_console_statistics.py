"""The console's statistics in the browser: citizens file applications for a service of
their own (one through the form, the rest through the API), a clerk records counter
cases in the queue with one click, an admin imports more from a CSV file (a broken file
first), picks a range of whole months, runs the aggregation (done at once or handed to
the job queue), reads the online quote (hidden while the counter cases are fewer than
five) and the quote chart's data table, downloads that table as CSV, and sets a target.
The screen, month pickers included, has no axe-core violations, also at 320 px. A user
with the role ``statistics`` sees only the statistics sections; a clerk gets no access.
The form's step views reach the server in a batch.

One browser context for the module (the suite's time budget): users change by their
session cookie."""

from __future__ import annotations

import calendar
import copy
import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    json_headers,
    screenshot,
    sign_in,
    submit_application,
)
from e2e.test_pwa_payload import role_files
from tests.api.test_admin_definitions import MINIMAL

pytestmark = pytest.mark.browser

# A service only this module files applications for: the browser tests share one
# database, so the figures of a built-in service depend on which tests ran before.
SERVICE = "stats_tree_report"
TITLE = "Baumschnitt melden (Statistik)"
API_FILED = 5
AREA = "umwelt"


@pytest.fixture(scope="module")
def office(browser, live_server):
    """An office screen for the whole module; who is signed in changes per step."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 900},
        locale="de-DE",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _publish_service(context) -> None:
    """The module's own service, published by an admin through the API."""
    sign_in(context, "statistik.admin@example.org", role="admin")
    definition = copy.deepcopy(MINIMAL)
    definition.update(
        id=SERVICE,
        title={"de": TITLE, "en": "Report tree cutting (statistics)"},
        area=AREA,
        workflow="standard",
        auto_decision={"enabled": False},
    )
    headers = json_headers(context)
    created = context.request.post(
        "/api/admin/services", data=json.dumps({"definition": definition}), headers=headers
    )
    assert created.status == 201, created.text()
    published = context.request.post(
        f"/api/admin/services/{SERVICE}/versions/1/publish", headers=headers
    )
    assert published.status == 200, published.text()


@pytest.fixture(scope="module")
def filed(office):
    """The service, one application filed through the form and ``API_FILED`` through
    the API; the step views the form sent."""
    _publish_service(office)
    for number in range(API_FILED):
        sign_in(office, f"statistik.buerger{number}@example.org")
        submit_application(office, SERVICE, {"girth_cm": 40 + number})
    sign_in(office, "statistik.formular@example.org")
    page = office.new_page()
    views: list[dict] = []

    def note(request) -> None:
        if request.url.endswith("/api/statistics/step-views") and request.method == "POST":
            views.extend(json.loads(request.post_data)["views"])

    page.on("request", note)
    page.goto(f"/leistungen/{SERVICE}")
    page.get_by_role("button", name="Antrag starten").click()
    page.get_by_label("Stammumfang in cm").fill("55")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("gesendet")
    # The outbox sends a few seconds after the last view.
    for _ in range(40):
        if any(view["step"] == "_submitted" for view in views):
            break
        page.wait_for_timeout(500)
    page.close()
    return views


def test_the_form_reports_its_step_views_anonymously(filed):
    steps = [view["step"] for view in filed]
    assert "tree" in steps and "_submitted" in steps, filed
    journeys = {view["journey"] for view in filed}
    assert len(journeys) == 1, "one form fill is one journey"
    journey = journeys.pop()
    assert 22 <= len(journey) <= 64
    for view in filed:
        assert view["service_id"] == SERVICE and view["version"] == 1
        # Nothing about the account travels with a view.
        assert set(view) == {"journey", "service_id", "version", "step", "at"}


@pytest.fixture(scope="module")
def recorded(office, filed):
    """Two counter cases recorded by a clerk in the queue with one click each; the
    queue page, still open, for the test that looks at it."""
    sign_in(office, "statistik.schalter@example.org", role="staff", areas=(AREA,))
    page = office.new_page()
    page.goto("/sachbearbeitung")
    section = page.get_by_role("region", name="Fall im Bürgerbüro")
    section.get_by_label("Dienst").select_option(label=TITLE)
    expect(section.get_by_label("Tag")).to_have_value(date.today().isoformat())
    button = section.get_by_role("button", name="Im Bürgerbüro erfasst")
    status = section.get_by_role("status")
    button.click()
    expect(status).to_contain_text("(1 in dieser Sitzung)")
    button.click()
    expect(status).to_contain_text("(2 in dieser Sitzung)")
    yield page
    page.close()


def test_a_clerk_records_counter_cases_with_one_click(office, recorded):
    page = recorded
    section = page.get_by_role("region", name="Fall im Bürgerbüro")
    status = section.get_by_role("status")
    today = f"{date.today():%d.%m.%Y}"
    expect(status).to_have_text(f"Erfasst: ein Fall „{TITLE}“ am {today} (2 in dieser Sitzung).")
    assert_accessible(page, "staff-queue-counter-case")

    # The clerk has no statistics: the console says so, the API refuses.
    sign_in(office, "statistik.schalter@example.org", role="staff", areas=(AREA,))
    page.goto("/verwaltung/statistik")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kein Zugang")
    refused = office.request.get("/api/statistics/figures")
    assert refused.status == 403


def _statistics_page(office):
    page = office.new_page()
    page.emulate_media(reduced_motion="reduce")
    page.goto("/verwaltung/statistik")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statistik")
    return page


def _quote_row(page, period: str):
    table = page.get_by_role("table", name="Online-Quote je Zeitraum")
    header = page.get_by_role("rowheader", name=period, exact=True)
    return table.get_by_role("row").filter(has=header).get_by_role("cell")


def _percent(part: int, whole: int) -> str:
    """The quote as the screen writes it: the server's four decimals, then one decimal
    of percent rounded half up (as Intl.NumberFormat does)."""
    quote = Decimal(str(round(part / whole, 4))) * 100
    return f"{quote.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",") + " %"


def _month_back(today: date, months: int) -> str:
    """``YYYY-MM`` of the month ``months`` before ``today``'s."""
    index = today.year * 12 + today.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def test_an_admin_aggregates_imports_and_reads_the_quote(office, recorded, tmp_path):
    sign_in(office, "statistik.admin@example.org", role="admin")
    asked: list[dict[str, list[str]]] = []
    page = office.new_page()
    page.on(
        "request",
        lambda request: (
            asked.append(parse_qs(urlparse(request.url).query))
            if "/api/statistics/figures?" in request.url
            else None
        ),
    )
    page.emulate_media(reduced_motion="reduce")
    page.goto("/verwaltung/statistik")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statistik")
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    expect(nav.get_by_role("link", name="Statistik")).to_have_attribute("aria-current", "page")
    today = date.today()
    month = f"{today:%Y-%m}"
    online = API_FILED + 1
    last_day = f"{month}-{calendar.monthrange(today.year, today.month)[1]:02d}"

    # The range is whole months, by default the twelve up to the end of this one; the
    # figures and the export are asked for from a first to a last day.
    expect(page.get_by_label("Von (Monat)")).to_have_value(_month_back(today, 11))
    expect(page.get_by_label("Bis (Monat)")).to_have_value(month)
    expect(page.locator("#stats-quote-heading")).to_be_visible()
    assert asked[-1]["from"] == [f"{_month_back(today, 11)}-01"], asked
    assert asked[-1]["to"] == [last_day], asked
    export = page.get_by_role("link", name="Offene Daten als CSV")
    expect(export).to_have_attribute(
        "href", re.compile(re.escape(f"from={_month_back(today, 11)}-01&to={last_day}"))
    )

    # Aggregate now and look at the module's service alone in this month: two counter
    # cases are fewer than five, so neither their number nor the quote is shown.
    page.locator("#stats-service").select_option(label=TITLE)
    page.get_by_label("Von (Monat)").select_option(month)
    page.get_by_role("button", name="Zahlen anzeigen").click()
    expect(
        page.get_by_role("table", name="Online-Quote je Zeitraum").get_by_role("row")
    ).to_have_count(3)
    assert asked[-1]["from"] == [f"{month}-01"] and asked[-1]["to"] == [last_day], asked
    page.get_by_role("button", name="Zahlen aktualisieren").click()
    # Done at once (200) or, the first time, handed to the job queue (202).
    expect(
        page.get_by_role("status").filter(
            has_text=re.compile("Die Zahlen sind aktualisiert|im Hintergrund berechnet")
        )
    ).to_be_visible()
    expect(page.locator("#stats-as-of")).to_contain_text("Stand:")
    expect(_quote_row(page, month)).to_have_text([str(online), "weniger als 5", "keine Angabe"])
    expect(_quote_row(page, "Gesamt")).to_have_text([str(online), "weniger als 5", "keine Angabe"])
    expect(page.locator("[data-figure=quote]")).to_have_text("keine Angabe")
    assert_accessible(page, "statistics")
    screenshot(page, "console-statistics-top", full_page=False)

    # A broken file: every bad line is named, nothing is stored.
    upload = page.get_by_label("CSV-Datei mit Schalterfällen")
    broken = f"dienst;datum;anzahl\n{SERVICE};{today:%d.%m.%Y};drei\nunbekannt;{today:%d.%m.%Y};1\n"
    upload.set_input_files(
        {"name": "schalter.csv", "mimeType": "text/csv", "buffer": broken.encode()}
    )
    page.get_by_role("button", name="Datei importieren").click()
    problems = page.locator("#counter-file-error")
    expect(problems).to_contain_text("Zeile 2")
    expect(problems).to_contain_text("Zeile 3")
    assert_accessible(page, "statistics-import-refused")

    good = f"\ufeffdienst;datum;anzahl\n{SERVICE};{today:%d.%m.%Y};3\n"
    upload.set_input_files(
        {"name": "schalter.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    page.get_by_role("button", name="Datei importieren").click()
    expect(page.get_by_text("1 Zeile importiert.")).to_be_visible()

    page.get_by_role("button", name="Zahlen aktualisieren").click()
    counter = 2 + 3  # recorded in the queue + imported
    shown = _percent(online, online + counter)
    expect(_quote_row(page, month)).to_have_text([str(online), str(counter), shown])
    expect(_quote_row(page, "Gesamt")).to_have_text([str(online), str(counter), shown])
    expect(page.locator("[data-figure=quote]")).to_have_text(shown)
    # The chart is an image whose summary names the quote; the table carries the figures.
    canvas = page.locator("#chart-quote")
    expect(canvas).to_have_attribute("role", "img")
    expect(canvas).to_have_attribute("aria-label", re.compile(re.escape(shown)))

    with page.expect_download() as waiting:
        page.get_by_role("button", name="CSV herunterladen").first.click()
    assert waiting.value.suggested_filename == "online-quote-je-zeitraum.csv"
    saved = tmp_path / "quote.csv"
    waiting.value.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM for spreadsheet programs"
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Zeitraum;Online;Schalter;Online-Quote"
    assert f"{month};{online};{counter};{shown}" in lines
    assert lines[-1] == f"Gesamt;{online};{counter};{shown}"

    # A target: 40 % in the baseline year plus 10 points.
    targets = page.get_by_role("region", name="Ziele", exact=True)
    targets.get_by_label("Dienst", exact=True).select_option(label=TITLE)
    targets.get_by_label("Vergleichsjahr", exact=True).fill(str(today.year - 1))
    targets.get_by_label("Prozentpunkte mehr").fill("10")
    targets.get_by_label("Quote im Vergleichsjahr in Prozent (freiwillig)").fill("40")
    targets.get_by_role("button", name="Ziel speichern").click()
    expect(targets.get_by_role("status")).to_contain_text("50,0 %")
    expect(page.locator("[data-figure=target]")).to_have_text("50,0 %")

    # A typed monthly count replaces the imported one when it is larger: 2 + max(4, 3).
    months = page.get_by_role("region", name="Schalterfälle", exact=True)
    months.get_by_label("Dienst", exact=True).select_option(label=TITLE)
    months.get_by_label("Jahr", exact=True).select_option(str(today.year))
    german_months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"]
    german_months += ["September", "Oktober", "November", "Dezember"]
    month_name = f"{german_months[today.month - 1]} {today.year}"
    row = months.get_by_role("row").filter(has=page.get_by_role("rowheader", name=month_name))
    expect(row.get_by_role("cell").nth(0)).to_have_text("2")
    expect(row.get_by_role("cell").nth(1)).to_have_text("3")
    months.get_by_label(f"Gezählte Fälle {month_name}").fill("4")
    months.get_by_role("button", name="Monatszahlen speichern").click()
    expect(months.get_by_role("status")).to_have_text("1 Monatszahl gespeichert.")
    counter = 2 + 4
    expect(_quote_row(page, month)).to_have_text(
        [str(online), str(counter), _percent(online, online + counter)]
    )

    assert_accessible(page, "statistics-with-target")
    page.locator("#stats-quote-heading").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "console-statistics-quote", full_page=False)
    screenshot(page, "console-statistics")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page, "statistics-320")
    assert_accessible(page, "statistics-320")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.close()


def test_the_statistics_role_sees_only_the_statistics(office, filed):
    sign_in(office, "statistik.auswertung@example.org", role="statistics")
    page = office.new_page()
    page.goto("/verwaltung")
    expect(page).to_have_url(re.compile(r"/verwaltung/statistik$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statistik")
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    names = nav.get_by_role("link").all_inner_texts()
    assert "Statistik" in names
    # Figures only: the statistics, the surveys' results and the Bürgerbüro's utilisation.
    assert set(names) <= {"Statistik", "Umfragen", "Termine"}, names
    assert office.request.get("/api/statistics/services").status == 200
    for path in ("/verwaltung/dienste", "/verwaltung/benutzer", "/sachbearbeitung"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Kein Zug"))
    assert office.request.get("/api/admin/overview").status == 403
    page.close()


def test_chart_js_is_downloaded_for_the_console_only(office):
    """Chart.js is a chunk of the console's group: kept out of the precache every
    citizen's device downloads, cached only where a console user signs in."""
    groups = role_files(office)
    charts = [path for path in groups["admin"] if path.startswith("/assets/chart-setup-")]
    assert charts, groups["admin"]
    entry = office.request.get("/").text()
    for path in charts:
        assert path not in entry
