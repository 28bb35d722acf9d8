"""Surveys in the browser: a citizen answers the start page's survey (anonymously, once
per device) and rates an application after sending it (also offline); an admin builds a
small survey in the builder, publishes it and reads the results. Every new screen is
checked with axe-core. One browser context serves the whole module (the browser suite
is near its time budget); accounts change by session cookie."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.db import db
from app.models import SatisfactionAnswer, ServiceDefinitionRecord, SurveyResponse
from app.surveys import city_today
from app.surveys.demo import DEMO_ANSWERS, seed_demo_survey
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    send_registry_information_form,
    sign_in,
    wait_until,
)
from tests.surveys.support import publish, survey

pytestmark = pytest.mark.browser

DEMO = "online_services_survey"
BUILT = "umfrage_radwege"
CITIZEN = {
    "given_names": "Erika",
    "family_name": "Musterfrau",
    "street": "Kaiserplatz",
    "house_number": "2",
    "postal_code": "52349",
    "city": "Düren",
}


FUTURE = "future_park_survey"


def _forget_surveys() -> None:
    # The portal is shared by every browser test: no survey banner may outlive this module.
    with db.connection_context():
        SurveyResponse.delete().execute()
        SatisfactionAnswer.delete().execute()
        ServiceDefinitionRecord.delete().where(
            ServiceDefinitionRecord.service_id.in_([DEMO, BUILT, FUTURE])
        ).execute()


@pytest.fixture(scope="module")
def context(browser, live_server):
    _forget_surveys()
    with db.connection_context():
        seed_demo_survey()
    shared = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 800}, locale="de-DE"
    )
    shared.set_default_timeout(10_000)
    yield shared
    shared.close()
    _forget_surveys()


def test_a_survey_before_its_first_day_says_when_it_opens(context):
    data = survey(opens="2999-01-01")
    data["id"] = FUTURE
    publish(data)
    page = context.new_page()
    page.goto(f"/umfragen/{FUTURE}")
    expect(page.get_by_text("Diese Umfrage beginnt noch")).to_be_visible()
    expect(page.get_by_text("Sie können ab dem 01.01.2999 teilnehmen.")).to_be_visible()
    expect(page.get_by_role("button", name="Antworten senden")).to_have_count(0)
    assert_accessible(page, "survey-not-open-yet")
    page.close()
    with db.connection_context():
        ServiceDefinitionRecord.delete().where(
            ServiceDefinitionRecord.service_id == FUTURE
        ).execute()


def _responses() -> int:
    with db.connection_context():
        return SurveyResponse.select().where(SurveyResponse.service_id == DEMO).count()


def test_citizen_answers_the_banner_survey_once(context):
    page = context.new_page()
    page.goto("/")
    # Each banner is a region named by its survey's title.
    banner = page.get_by_role(
        "region", name="Umfrage der Stadt: Welche Leistungen möchten Sie online erledigen?"
    )
    expect(banner).to_contain_text("Ihre Meinung ist gefragt")
    expect(banner).to_contain_text("Welche Leistungen möchten Sie online erledigen?")
    assert_accessible(page, "home-survey-banner")
    screenshot(page, "survey-banner", full_page=False)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page, "home-survey-banner-320")
    page.set_viewport_size({"width": 1280, "height": 800})

    banner.get_by_role("link", name="Zur Umfrage").click()
    expect(page).to_have_url(f"/umfragen/{DEMO}")
    # Headings are hyphenated with soft hyphens: their accessible name is the plain text.
    expect(
        page.get_by_role("heading", level=1, name="Welche Leistungen möchten Sie online erledigen?")
    ).to_be_visible()
    expect(page.get_by_text("Die Umfrage ist anonym: Sie müssen sich nicht")).to_be_visible()
    assert_accessible(page, "survey-page")
    screenshot(page, "survey-page")
    # Reflow: at 320 px (200 % zoom of a small screen) nothing needs sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page, "survey-page-320")
    page.set_viewport_size({"width": 1280, "height": 800})
    # Nothing chosen: the form says what is missing and sends nothing.
    page.get_by_role("button", name="Antworten senden").click()
    expect(page.locator(".kern-alert--danger, .kern-error").first).to_be_visible()
    assert _responses() == len(DEMO_ANSWERS)
    assert_accessible(page, "survey-page-errors")

    page.get_by_role("radio", name="Sperrmüll anmelden").check()
    page.get_by_role("checkbox", name="als App auf dem Smartphone").check()
    page.get_by_label("Was sollten wir außerdem online anbieten?").fill("Wunschkennzeichen")
    page.get_by_role("button", name="Antworten senden").click()
    expect(page).to_have_url(f"/umfragen/{DEMO}/danke")
    expect(page.get_by_role("status")).to_contain_text("Ihre Antworten sind bei uns angekommen")
    assert_accessible(page, "survey-thanks")
    assert _responses() == len(DEMO_ANSWERS) + 1
    with db.connection_context():
        newest = SurveyResponse.select().order_by(SurveyResponse.id.desc()).get()
    assert newest.answers["first_choice"] == "bulky_waste"
    assert newest.user_id is None and newest.device_hash

    # The same device again: refused by the server, and the page says so.
    status = page.evaluate(
        """async (id) => {
            const device = localStorage.getItem('buergerportal.device-token');
            const r = await fetch(`/api/surveys/${id}/responses`, {method: 'POST',
                headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({answers: {first_choice: 'moving'}, device})});
            return [r.status, (await r.json()).code];
        }""",
        DEMO,
    )
    assert status == [409, "survey_answered"]
    page.goto(f"/umfragen/{DEMO}")
    expect(page.get_by_text("Sie haben bereits teilgenommen")).to_be_visible()
    assert _responses() == len(DEMO_ANSWERS) + 1

    # Answered here: no banner. Forgetting that brings it back; dismissing it (by
    # keyboard) is remembered on the device.
    page.goto("/")
    expect(page.get_by_role("link", name="Zur Umfrage")).to_have_count(0)
    page.evaluate("localStorage.removeItem('buergerportal.answered-surveys')")
    page.reload()
    dismiss = page.get_by_role("button", name="Hinweis ausblenden")
    dismiss.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Umfrage der Stadt")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Umfrage der Stadt")).to_have_count(0)
    page.close()


def test_citizen_rates_the_application_offline_and_it_is_sent_once(context):
    sign_in(context, "zufrieden@example.org", **CITIZEN)
    page = context.new_page()
    send_registry_information_form(page)
    expect(page.locator(".reference-number")).to_be_visible()

    question = page.get_by_role("group", name="Wie zufrieden sind Sie mit dem Online-Antrag?")
    expect(question).to_be_visible()
    expect(question.get_by_role("radio")).to_have_count(5)
    assert_accessible(page, "satisfaction-question")
    screenshot(page, "satisfaction-question")

    # No rating chosen: the error is announced and the first step takes the focus.
    page.get_by_role("button", name="Bewertung senden").click()
    expect(
        page.get_by_role("alert").filter(has_text="Bitte wählen Sie eine Bewertung")
    ).to_be_visible()
    expect(question.get_by_role("radio").first).to_be_focused()

    context.set_offline(True)
    question.get_by_role("radio", name="Zufrieden", exact=True).check()
    page.get_by_label("Möchten Sie uns noch etwas sagen?").fill("Ging schnell.")
    page.get_by_role("button", name="Bewertung senden").click()
    queued = page.get_by_role("status").filter(has_text="sobald Sie wieder online sind")
    expect(queued).to_be_visible()
    # The form is gone: the focus is on the message that replaced it.
    expect(queued).to_be_focused()
    with db.connection_context():
        assert SatisfactionAnswer.select().count() == 0

    context.set_offline(False)
    thanks = page.get_by_role("status").filter(has_text="Vielen Dank für Ihre Bewertung!")
    expect(thanks).to_be_visible(timeout=20_000)

    def stored() -> int:
        with db.connection_context():
            return SatisfactionAnswer.select().count()

    wait_until(page, lambda: stored() == 1, message="the rating on the server")
    with db.connection_context():
        answer = SatisfactionAnswer.get()
    assert (answer.service_id, answer.rating, answer.comment) == (
        "registry_information_simple",
        4,
        "Ging schnell.",
    )
    assert_accessible(page, "satisfaction-thanks")
    # Opening the page again asks no second time, and nothing is sent twice.
    page.reload()
    expect(thanks).to_be_visible()
    expect(page.get_by_role("button", name="Bewertung senden")).to_have_count(0)
    page.wait_for_timeout(500)
    assert stored() == 1
    page.close()


def test_admin_builds_publishes_and_reads_results(context):
    sign_in(context, "umfragen.admin@example.org", "admin")
    page = context.new_page()
    page.goto("/verwaltung/umfragen")
    expect(page.get_by_role("heading", level=1, name="Umfragen und Zufriedenheit")).to_be_visible()
    table = page.get_by_role("table", name="Alle Umfragen")
    expect(table).to_contain_text("Welche Leistungen möchten Sie online erledigen?")
    # One rating so far: below the threshold, so no figures.
    expect(page.locator("#satisfaction-results")).to_contain_text("Weniger als 5 Antworten")
    assert_accessible(page, "console-surveys")

    # The demo survey's results: a distribution table per choice question.
    table.get_by_role("link", name="Ergebnisse").first.click()
    expect(page).to_have_url(f"/verwaltung/umfragen/{DEMO}")
    expect(page.get_by_role("status")).to_contain_text(
        f"Antworten insgesamt: {len(DEMO_ANSWERS) + 1}"
    )
    chart = page.get_by_role("img", name="Balkendiagramm: Verteilung: Welche Leistung möchten")
    expect(chart).to_be_visible()
    first = page.get_by_role("table", name="Verteilung: Welche Leistung möchten Sie am liebsten")
    moving = first.get_by_role("row").filter(has_text="Wohnsitz ummelden")
    expect(moving.get_by_role("cell").first).to_contain_text("6")
    # The share is of everyone who answered the question: 6 of 20.
    expect(moving.get_by_role("cell").nth(1)).to_have_text("30 %")
    business = first.get_by_role("row").filter(has_text="Gewerbe anmelden")
    expect(business).to_contain_text("verborgen")
    # "Gewerbe" (2) and "Sonstiges" (1) alone would add up to 3 = 20 minus the shown
    # rows: the smallest shown row ("Personalausweis", 5) is hidden as well.
    id_card = first.get_by_role("row").filter(has_text="Personalausweis")
    expect(id_card).to_contain_text("verborgen")
    expect(page.get_by_text("Wunschkennzeichen")).to_be_visible()
    csv_link = page.get_by_role("link", name="Ergebnisse als CSV herunterladen")
    csv = context.request.get(csv_link.get_attribute("href"))
    assert csv.status == 200 and "option;first_choice;" in csv.text()
    assert "@" not in csv.text()
    # Whole periods only: this year's results, the CSV link follows the choice.
    year = str(city_today().year)
    page.get_by_label("Zeitraum").select_option(f"year:{year}")
    page.get_by_role("button", name="Anzeigen").click()
    expect(csv_link).to_have_attribute("href", re.compile(f"group=year&period={year}"))
    expect(page.get_by_role("status")).to_contain_text("Antworten insgesamt")
    assert_accessible(page, "console-survey-results")
    screenshot(page, "console-survey-results")
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page, "console-survey-results-320")
    page.set_viewport_size({"width": 1280, "height": 800})

    # A new survey from the template, built in the builder.
    page.goto("/verwaltung/umfragen")
    page.get_by_role("link", name="Neue Umfrage").click()
    expect(page.get_by_role("heading", level=1, name="Neue Umfrage")).to_be_visible()
    assert_accessible(page, "console-survey-new")
    page.get_by_label("Kennung").fill(BUILT)
    page.get_by_label("Titel (Deutsch)").fill("Radwege in Düren")
    page.get_by_label("Titel (Englisch)").fill("Cycle paths in Düren")
    page.get_by_role("button", name="Umfrage anlegen und bearbeiten").click()
    expect(page).to_have_url(f"/verwaltung/dienste/{BUILT}/v/1/bearbeiten")
    nav = page.get_by_role("navigation", name="Teile des Dienstes")
    for name in ("Allgemeines", "Schritte und Felder", "Umfrage", "Texte und Übersetzungen"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    for name in ("Gebühren und Zahlung", "Ablauf", "Dokumente", "Regeln und Prüfungen"):
        expect(nav.get_by_role("link", name=name)).to_have_count(0)
    nav.get_by_role("link", name="Umfrage").click()
    expect(page.get_by_role("heading", level=2, name="Umfrage")).to_be_visible()
    assert_accessible(page, "builder-survey-section")
    screenshot(page, "builder-survey-section", full_page=False)
    banner_de = page.get_by_role("group", name="Hinweis auf der Startseite").get_by_label("Deutsch")
    banner_de.fill("Wie sicher fühlen Sie sich auf Dürens Radwegen?")
    expect(page.get_by_text("Keine offenen Probleme")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Fassung 1 veröffentlichen").click()
    expect(page).to_have_url(f"/verwaltung/dienste/{BUILT}?veroeffentlicht=1")
    offered = {item["id"]: item for item in context.request.get("/api/surveys").json()}
    assert offered[BUILT]["banner"]["de"] == "Wie sicher fühlen Sie sich auf Dürens Radwegen?"
    catalogue = [item["id"] for item in context.request.get("/api/services").json()]
    assert BUILT not in catalogue and DEMO not in catalogue

    # The new survey is listed with no answers yet; the services list does not show it.
    page.goto("/verwaltung/umfragen")
    expect(page.get_by_role("table", name="Alle Umfragen")).to_contain_text("Radwege in Düren")
    page.goto("/verwaltung/dienste")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Radwege in Düren")).to_have_count(0)

    # The statistics role reads the results but builds no survey.
    sign_in(context, "umfragen.statistik@example.org", "statistics")
    page.goto("/verwaltung/umfragen")
    expect(page.get_by_role("heading", level=1, name="Umfragen und Zufriedenheit")).to_be_visible()
    expect(page.get_by_role("table", name="Alle Umfragen")).to_contain_text("Radwege in Düren")
    expect(page.get_by_role("link", name="Neue Umfrage")).to_have_count(0)
    page.close()
