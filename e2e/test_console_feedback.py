"""The console's feedback, audit log and broadcasts in the browser: an admin answers an
overdue report of a barrier by e-mail and closes it (with the keyboard only), finds a
clerk's access to a citizen's application in the audit log, and writes a broadcast with
a preview of what a phone shows. axe-core on every screen and state; every screen
reflows at 200 % zoom."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.db import db, utcnow
from app.models import Feedback, FeedbackReply
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
    submit_application,
    wait_until,
)
from tests.api.engine_helpers import complete_answers

pytestmark = pytest.mark.browser


@pytest.fixture
def stored_feedback():
    """Makes feedback for one test and removes it afterwards: the portal's database is
    shared by all browser tests, and others count the feedback that waits."""
    made: list[int] = []

    def make(**values) -> Feedback:
        with db.connection_context():
            item = Feedback.create(**values)
        made.append(item.id)
        return item

    yield make
    with db.connection_context():
        FeedbackReply.delete().where(FeedbackReply.feedback.in_(made)).execute()
        Feedback.delete().where(Feedback.id.in_(made)).execute()


def _tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def _at_200_percent(page, name: str) -> None:
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, f"{name}-200")
    assert_accessible(page, f"{name}-200")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_overdue_barrier_is_answered_and_closed_with_the_keyboard(desktop, stored_feedback):
    old = stored_feedback(
        kind="accessibility",
        message="The date picker cannot be used with the keyboard.",
        email="reader.feedback@example.org",
        page="/antrag/x/termin",
        locale="en",
        created_at=utcnow() - timedelta(days=20),
    )
    stored_feedback(kind="general", message="Danke für das neue Portal!")
    sign_in(desktop, "admin.feedback@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung")
    nav = page.get_by_role("navigation", name="Bereiche der Verwaltung")
    _tab_to(page, nav.get_by_role("link", name="Rückmeldungen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rückmeldungen von Bürgerinnen")
    row = page.get_by_role("row").filter(has_text=f"Nr. {old.id}")
    expect(row).to_contain_text("Frist überschritten")
    expect(row).to_contain_text("20 Tage")
    expect(row).to_contain_text("Neu")
    assert_accessible(page, "console-feedback-list")
    screenshot(page, "console-feedback-list")
    _at_200_percent(page, "console-feedback-list")

    _tab_to(page, page.get_by_role("link", name=f"Nr. {old.id}"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Rückmeldung Nr. {old.id}")
    expect(page.get_by_text("Die Antwortfrist ist überschritten")).to_be_visible()
    expect(page.get_by_text("/antrag/x/termin")).to_be_visible()
    expect(page.get_by_text("Englisch", exact=True)).to_be_visible()
    assert_accessible(page, "console-feedback-detail")
    _at_200_percent(page, "console-feedback-detail")

    # Sending without words is refused on the page, with the field named.
    _tab_to(page, page.get_by_role("button", name="Antwort senden"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Bitte schreiben Sie eine Antwort.")
    assert_accessible(page, "console-feedback-reply-error")

    _tab_to(page, page.get_by_label("Ihre Antwort"))
    page.keyboard.type("Thank you. The date picker now works with the keyboard.")
    expect(page.get_by_role("alert")).to_have_count(0)  # the fixed problem is gone
    _tab_to(page, page.get_by_role("button", name="Antwort senden"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Die Antwort wurde gesendet")).to_be_visible()
    expect(page.get_by_text("Beantwortet", exact=True)).to_be_visible()
    expect(page.get_by_text("Gesendet von admin.feedback@example.org")).to_be_visible()
    assert_accessible(page, "console-feedback-answered")
    screenshot(page, "console-feedback-answered")

    def mails():
        response = desktop.request.get("/dev/outbox.json?to=reader.feedback@example.org")
        return json.loads(response.text())

    wait_until(page, lambda: len(mails()) == 1, message="the reply mail")
    [mail] = mails()
    assert mail["subject"] == f"Reply to your feedback on the citizen portal (no. {old.id})"
    assert mail["body"].strip() == "Thank you. The date picker now works with the keyboard."

    _tab_to(page, page.get_by_role("button", name="Abschließen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="abgeschlossen")).to_be_visible()
    expect(page.get_by_text("Abgeschlossen", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Wieder öffnen")).to_be_visible()
    assert_accessible(page, "console-feedback-closed")
    page.wait_for_timeout(300)
    assert len(mails()) == 1  # closing sends nothing

    page.goto("/verwaltung/rueckmeldungen")
    expect(page.get_by_role("row").filter(has_text=f"Nr. {old.id}")).to_have_count(0)
    page.get_by_label("Stand").select_option("closed")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.get_by_role("row").filter(has_text=f"Nr. {old.id}")).to_contain_text(
        "Abgeschlossen"
    )
    assert_accessible(page, "console-feedback-list-closed")


def test_feedback_without_an_address_cannot_be_answered_by_mail(desktop, stored_feedback):
    anonymous = stored_feedback(kind="general", message="Ohne Adresse")
    sign_in(desktop, "admin.anonym@example.org", role="admin")
    page = desktop.new_page()
    page.goto(f"/verwaltung/rueckmeldungen/{anonymous.id}")
    expect(page.get_by_text("Antwort per E-Mail nicht möglich")).to_be_visible()
    expect(page.get_by_label("Ihre Antwort")).to_have_count(0)
    assert_accessible(page, "console-feedback-no-address")


def test_a_clerks_access_to_a_citizens_application_is_found_in_the_audit_log(
    desktop, browser, live_server
):
    citizen = browser.new_context(base_url=live_server)
    clerk = browser.new_context(base_url=live_server)
    try:
        sign_in(citizen, "erika.protokoll@example.org")
        application = submit_application(citizen, "waste_bins", complete_answers("waste_bins"))
        sign_in(clerk, "sb.protokoll@example.org", role="staff", areas=("abfall",))
        opened = clerk.request.get(f"/api/staff/applications/{application['reference']}")
        assert opened.status == 200, opened.text()
    finally:
        citizen.close()
        clerk.close()

    sign_in(desktop, "admin.protokoll@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/protokoll")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Protokoll")
    expect(page.get_by_role("table", name="Protokolleinträge, die neuesten zuerst")).to_be_visible()
    assert_accessible(page, "console-audit")
    _at_200_percent(page, "console-audit")

    page.get_by_label("Daten von (E-Mail-Adresse)").fill("erika.protokoll@example.org")
    page.get_by_label("Aktion").select_option("personal_data_viewed")
    page.get_by_role("button", name="Filter anwenden").click()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and the clerk's access
    expect(rows.nth(1)).to_contain_text("sb.protokoll@example.org")
    expect(rows.nth(1)).to_contain_text("Antrag mit persönlichen Daten geöffnet")
    expect(rows.nth(1)).to_contain_text(f"Antrag {application['id']}")
    assert_accessible(page, "console-audit-citizen")
    screenshot(page, "console-audit-citizen")

    # A time range before the access finds nothing.
    page.get_by_label("Von (Tag)").fill("2020-01-01")
    page.get_by_label("Bis (Tag)").fill("2020-01-31")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.get_by_role("status").filter(has_text="0 Einträge")).to_be_visible()
    assert_accessible(page, "console-audit-empty")
    page.get_by_label("Bis (Tag)").fill("2019-12-31")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.get_by_role("alert")).to_contain_text("nicht vor dem Tag")
    assert_accessible(page, "console-audit-error")


def test_a_broadcast_is_previewed_as_a_phone_shows_it_and_confirmed(desktop):
    sign_in(desktop, "admin.mitteilung@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/mitteilungen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mitteilungen aufs Telefon")
    assert_accessible(page, "console-broadcasts")
    _at_200_percent(page, "console-broadcasts")

    page.get_by_role("button", name="Prüfen und senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie ein Thema.")
    assert_accessible(page, "console-broadcasts-errors")

    title = "Die Abfuhr der Biotonne verschiebt sich wegen des Feiertags um einen Tag"
    body = (
        "Wegen des Feiertags am Donnerstag wird die Biotonne in allen Bezirken erst am "
        "Freitag geleert. Bitte stellen Sie die Tonne am Freitag bis 6 Uhr an die Straße. "
        "Gelbe Säcke werden wie gewohnt abgeholt."
    )
    assert len(title) > 50 and len(body) > 150
    page.get_by_label("Thema").select_option(index=1)
    german = page.get_by_role("group", name="Text auf Deutsch")
    german.get_by_label("Überschrift", exact=True).fill(title)
    german.get_by_label("Text", exact=True).fill(body)
    english = page.get_by_role("group", name="Text auf Englisch")
    english.get_by_label("Überschrift", exact=True).fill("Organic waste a day later")
    english.get_by_label("Text", exact=True).fill(
        "Because of the holiday, organic bins are emptied on Friday."
    )
    expect(page.get_by_role("alert")).to_have_count(0)  # every problem is fixed

    preview = page.get_by_role("region", name="Vorschau Deutsch")
    expect(preview).to_contain_text("Bürgerportal Düren")
    shown_title = preview.locator(".push-preview__title").inner_text()
    shown_body = preview.locator(".push-preview__body").inner_text()
    assert shown_title.endswith("…") and len(shown_title) <= 50
    assert shown_body.endswith("…") and len(shown_body) <= 150
    assert title.startswith(shown_title[:-1])
    expect(preview).to_contain_text("länger als 50 Zeichen")
    expect(preview).to_contain_text("länger als 150 Zeichen")
    english_preview = page.get_by_role("region", name="Vorschau Englisch")
    expect(english_preview.locator(".push-preview__title")).to_have_text(
        "Organic waste a day later"
    )
    expect(english_preview).not_to_contain_text("gekürzt")
    assert_accessible(page, "console-broadcasts-preview")
    screenshot(page, "console-broadcasts-preview")

    page.get_by_role("button", name="Prüfen und senden").click()
    confirm = page.get_by_role("group", name="Mitteilung jetzt senden?")
    expect(confirm).to_be_focused()
    assert_accessible(page, "console-broadcasts-confirm")
    confirm.get_by_role("button", name="Ja, jetzt senden").click()
    expect(page.get_by_role("status").filter(has_text="wird gesendet")).to_be_visible()
    sent = page.get_by_role("table", name="Gesendete Mitteilungen")
    expect(sent).to_contain_text(title)
    expect(sent).to_contain_text("admin.mitteilung@example.org")
    assert_accessible(page, "console-broadcasts-sent")
    _at_200_percent(page, "console-broadcasts-sent")
