"""Appointments at the Bürgerbüro in the browser: a citizen books (with the online
service offered first), gets the confirmation with the calendar file in a real SMTP
server on loopback, moves and cancels with the mail's link; a keyboard-only booking; the
staff's day plan with marks and a blocked time; the console's figures. axe-core on
every new screen, and 200 % zoom (640 px) without horizontal scrolling."""

from __future__ import annotations

import re
import time
from datetime import UTC, timedelta
from datetime import time as dt_time

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from app.appointments import availability, booking, catalogue
from app.appointments.settings import TIMEZONE
from app.appointments.slots import local_day
from app.db import db, utcnow
from app.models import Appointment, AppointmentCounter
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
)
from tests.api.appointment_helpers import SMALL_OFFICE

pytestmark = pytest.mark.browser

CITIZEN = "termin.buerger@example.org"


@pytest.fixture
def office(portal):
    with db.connection_context():
        catalogue.load(SMALL_OFFICE, ())


def _mails(smtp, to: str, count: int) -> list:
    for _ in range(100):
        found = smtp.messages_to(to)
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{len(smtp.messages_to(to))} mails to {to}, expected {count}")


def _event(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def _manage_path(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"(/termin/[0-9a-f]{40})", body).group(1)


def _pick_first_day_and_time(page, name: str) -> None:
    days = page.get_by_role("list", name="Tage mit freien Terminen")
    expect(days).to_be_visible()
    assert_accessible(page, f"{name}: days as a list")
    page.get_by_role("button", name="Als Kalender").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page, f"{name}: days as a calendar")
    page.get_by_role("button", name="Als Liste").click()
    page.get_by_role("list", name="Tage mit freien Terminen").get_by_role("button").nth(1).click()
    times = page.get_by_role("list", name="Freie Uhrzeiten")
    expect(times).to_be_visible()
    assert_accessible(page, f"{name}: times")
    times.get_by_role("button").first.click()


def test_book_move_and_cancel_with_the_mails(phone, office, smtp):
    page = phone.new_page()
    page.goto("/termine")
    expect(page.get_by_role("heading", name="Wofür brauchen Sie einen Termin?")).to_be_visible()
    assert_accessible(page, "appointment services")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_text("Bitte wählen Sie mindestens ein Anliegen.").first).to_be_visible()
    assert_accessible(page, "appointment services with an error")
    page.get_by_label("Meldebescheinigung (etwa 10 Minuten)").check()
    page.get_by_label("Personalausweis beantragen (etwa 20 Minuten)").check()
    page.get_by_role("button", name="Weiter").click()
    # The registration certificate can be had online: offered first.
    expect(page.get_by_role("heading", name="Das geht auch online")).to_be_visible()
    online = page.get_by_role("link", name="Meldebescheinigung online beantragen")
    expect(online).to_have_attribute("href", "/leistungen/registration_certificate")
    assert_accessible(page, "appointment online offer")
    screenshot(page, "appointments-online-offer")
    # Both services together: the counter that serves both (Schalter A), 30 minutes.
    page.get_by_role("button", name="Trotzdem einen Termin buchen").click()
    _pick_first_day_and_time(page, "booking")
    expect(page.get_by_role("heading", name="Ihr Name und Ihre E-Mail-Adresse")).to_be_visible()
    page.get_by_role("button", name="Termin verbindlich buchen").click()
    expect(page.get_by_text("Bitte füllen Sie dieses Feld aus.").first).to_be_visible()
    assert_accessible(page, "appointment details with errors")
    page.get_by_label("Ihr Name").fill("Erika Termin")
    page.get_by_label("Ihre E-Mail-Adresse").fill(CITIZEN)
    page.get_by_role("button", name="Termin verbindlich buchen").click()
    expect(page.get_by_role("heading", name="Ihr Termin ist gebucht")).to_be_visible()
    assert_accessible(page, "appointment booked")
    screenshot(page, "appointments-booked")

    [confirmation] = _mails(smtp, CITIZEN, 1)
    method, event = _event(confirmation)
    assert method == "REQUEST" and int(event["SEQUENCE"]) == 0
    uid = str(event["UID"])
    page.goto(_manage_path(confirmation))
    expect(page.get_by_role("heading", name="Ihr Termin im Bürgerbüro")).to_be_visible()
    assert_accessible(page, "appointment manage page")
    page.get_by_role("button", name="Termin verschieben").click()
    _pick_first_day_and_time(page, "moving")
    expect(page.get_by_text("Ihr Termin ist verschoben.")).to_be_visible()
    _, moved = _mails(smtp, CITIZEN, 2)
    method, event = _event(moved)
    assert method == "REQUEST" and str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1

    page.get_by_role("button", name="Termin absagen").click()
    expect(page.get_by_text("Möchten Sie den Termin wirklich absagen?")).to_be_visible()
    assert_accessible(page, "appointment cancel question")
    page.get_by_role("button", name="Ja, Termin absagen").click()
    expect(page.get_by_text("Ihr Termin ist abgesagt.")).to_be_visible()
    expect(page.get_by_text("Abgesagt", exact=True)).to_be_visible()
    _, _, cancelled = _mails(smtp, CITIZEN, 3)
    method, event = _event(cancelled)
    assert method == "CANCEL" and str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, "appointment manage page at 640 px")


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_booking_with_the_keyboard_alone(desktop, office, smtp):
    page = desktop.new_page()
    page.set_viewport_size({"width": 640, "height": 800})  # 200 % zoom of a 1280 px screen
    page.goto("/termine")
    expect(page.get_by_role("heading", name="Wofür brauchen Sie einen Termin?")).to_be_visible()
    assert_no_horizontal_scroll(page, "appointment services at 640 px")
    _tab_to(page, "#service-zeugnis")
    page.keyboard.press("Space")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="An welchem Tag möchten Sie kommen?")).to_be_focused()
    _tab_to(page, "button[data-day]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("list", name="Freie Uhrzeiten")).to_be_visible()
    assert_no_horizontal_scroll(page, "appointment times at 640 px")
    _tab_to(page, "button[data-start]")
    page.keyboard.press("Enter")
    _tab_to(page, "#name")
    page.keyboard.type("Karl Tastatur")
    _tab_to(page, "#email")
    page.keyboard.type("karl.tastatur@example.org")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ihr Termin ist gebucht")).to_be_visible()
    assert_no_horizontal_scroll(page, "appointment booked at 640 px")
    _mails(smtp, "karl.tastatur@example.org", 1)


def _booked_today(portal, service: str, email: str, name: str, counter: str) -> str:
    """A booking for tomorrow, moved into the present hour at ``counter`` (bookings open
    30 minutes ahead; staff mark them on their day). Which counter the booking first
    took depends on what is free tomorrow, so the test names the one it looks at."""
    with db.connection_context():
        tomorrow = local_day(utcnow()) + timedelta(days=1)
        chosen = catalogue.resolve([service])
        free = availability.free_by_day(chosen, tomorrow, tomorrow)[tomorrow]
        request = booking.Request([service], free[-1].starts_at, name, email)
        made, _ = booking.book(request, None, dict(portal.app.config))
        start = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=5)
        at = AppointmentCounter.get(AppointmentCounter.name == counter)
        Appointment.update(
            starts_at=start, ends_at=start + timedelta(minutes=10), counter=at
        ).where(Appointment.id == made.id).execute()
        return made.reference


def test_staff_day_plan_marks_and_blocks(desktop, portal, office, smtp):
    _booked_today(portal, "zeugnis", "kommt@example.org", "Kim Kommt", "Schalter B")
    _booked_today(portal, "zeugnis", "fehlt@example.org", "Fritz Fehlt", "Schalter B")
    sign_in(desktop, "schalter@example.org", "staff", ("buergerbuero",))
    page = desktop.new_page()
    page.goto("/buergerbuero")
    page.get_by_label("Schalter", exact=True).select_option(label="Schalter B")
    plan = page.get_by_role("region", name="Termine des Tages")
    expect(plan.get_by_text("Kim Kommt")).to_be_visible()
    assert_accessible(page, "appointment day plan")
    screenshot(page, "appointments-day-plan")
    page.get_by_role("button", name=re.compile("Kim Kommt .* ist angekommen")).click()
    page.get_by_role("button", name=re.compile("Termin von Kim Kommt .* ist erledigt")).click()
    expect(plan.locator("[data-status=done]")).to_have_count(1)
    page.get_by_role("button", name=re.compile("Fritz Fehlt .* ist nicht erschienen")).click()
    expect(plan.locator("[data-status=no_show]")).to_have_count(1)
    page.get_by_role("button", name="Zeit sperren").click()
    expect(page.get_by_text("Bitte geben Sie eine Uhrzeit ein.").first).to_be_visible()
    assert_accessible(page, "appointment block form with errors")
    # Away from the two bookings of the present hour.
    hour = 5 if utcnow().replace(tzinfo=UTC).astimezone(TIMEZONE).hour >= 20 else 22
    page.get_by_label("Von (Uhrzeit)").fill(f"{hour:02d}:30")
    page.get_by_label("Bis (Uhrzeit)").fill(f"{hour:02d}:50")
    page.get_by_label("Grund (nur intern sichtbar)").fill("Teamsitzung")
    page.get_by_role("button", name="Zeit sperren").click()
    expect(page.get_by_text(f"{hour:02d}:30 bis {hour:02d}:50 Uhr: Teamsitzung")).to_be_visible()
    assert_accessible(page, "appointment day plan with a block")
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, "appointment day plan at 640 px")


def test_console_figures(desktop, office):
    sign_in(desktop, "admin.termine@example.org", "admin")
    page = desktop.new_page()
    page.goto("/verwaltung/termine")
    expect(page.get_by_role("heading", name="Termine im Bürgerbüro")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Bürgerbüro gesamt"))).to_be_visible()
    assert_accessible(page, "appointment figures and settings")
    page.get_by_role("button", name="Schließtag hinzufügen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page, "appointment settings with errors")
    page.get_by_label("Tag", exact=True).fill("2030-06-28")
    page.get_by_label("Grund (Deutsch)").fill("Betriebsausflug")
    page.get_by_role("button", name="Schließtag hinzufügen").click()
    expect(page.get_by_text("Die Schließtage sind gespeichert.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("28.06.2030 Betriebsausflug"))).to_be_visible()
    page.get_by_label("Führungszeugnis: Dauer in Minuten").fill("15")
    page.get_by_role("button", name="Dauer speichern").click()
    expect(page.get_by_text("Die Dauer der Anliegen ist gespeichert.")).to_be_visible()
    with db.connection_context():
        assert catalogue.resolve(["zeugnis"])[0].duration_minutes == 15
    monday = page.get_by_role("group", name="Zeitraum 1")
    monday.get_by_label("Bis").fill("07:00")
    page.get_by_role("button", name="Öffnungszeiten speichern").click()
    expect(monday.get_by_text("Das Ende muss nach dem Beginn liegen.")).to_be_visible()
    assert_accessible(page, "appointment opening hours with an error")
    monday.get_by_label("Bis").fill("10:30")
    page.get_by_role("button", name="Öffnungszeiten speichern").click()
    expect(page.get_by_text("Die Öffnungszeiten sind gespeichert.")).to_be_visible()
    with db.connection_context():
        assert [(o.opens, o.closes) for o in catalogue.openings() if o.weekday == 0] == [
            (dt_time(9, 0), dt_time(10, 30))
        ]
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, "appointment figures at 640 px")


@pytest.mark.service_worker
def test_signed_in_citizens_find_their_bookings_on_the_booking_page(phone, office, smtp):
    email = "termin.konto@example.org"
    sign_in(phone, email)
    page = phone.new_page()
    page.goto("/termine")
    # The first visit installs the service worker; once it takes control it may reload
    # the page, which must not happen during the second visit below.
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
        timeout=20_000,
    )
    page.get_by_label("Führungszeugnis (etwa 10 Minuten)").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("list", name="Tage mit freien Terminen").get_by_role("button").nth(1).click()
    page.get_by_role("list", name="Freie Uhrzeiten").get_by_role("button").first.click()
    expect(page.get_by_label("Ihre E-Mail-Adresse")).to_have_value(email)
    page.get_by_label("Ihr Name").fill("Konto Inhaberin")
    page.get_by_role("button", name="Termin verbindlich buchen").click()
    expect(page.get_by_role("heading", name="Ihr Termin ist gebucht")).to_be_visible()
    page.goto("/termine")
    mine = page.get_by_role("region", name="Ihre Termine")
    expect(mine.get_by_role("link")).to_have_count(1)
    assert_accessible(page, "appointment services with the citizen's bookings")
    mine.get_by_role("link").click()
    expect(page.get_by_role("button", name="Termin absagen")).to_be_visible()
    _mails(smtp, email, 1)
