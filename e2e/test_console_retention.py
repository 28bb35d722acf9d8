"""Retention in the browser: the console's "Aufbewahrung" lists per service what the
next daily run would delete and what a legal hold keeps, then the run that happened; the
builder's "Aufbewahrung" section edits a service's periods and shows a bad value's
problem at its input. Every screen passes axe-core."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.db import db, utcnow
from app.models import Application, ApplicationEvent, HandoffDelivery
from app.retention import runs
from e2e.conftest import (
    assert_accessible,
    json_headers,
    new_service,
    screenshot,
    sign_in,
    submit_application,
)

pytestmark = pytest.mark.browser

SAVED = "Alle Änderungen sind gespeichert."


def _withdrawn_years_ago(context, answers: dict) -> dict:
    application = submit_application(context, "waste_bins", answers)
    moved = context.request.post(
        f"/api/applications/{application['id']}/transitions",
        data=json.dumps({"to": "withdrawn"}),
        headers=json_headers(context),
    )
    assert moved.status == 200, moved.text()
    long_ago = utcnow() - timedelta(days=1200)
    with db.connection_context():
        ApplicationEvent.update(at=long_ago).where(
            ApplicationEvent.application == application["id"]
        ).execute()
        Application.update(updated_at=long_ago, decided_at=long_ago).where(
            Application.id == application["id"]
        ).execute()
    return application


def test_the_console_shows_what_the_next_run_would_delete_and_the_last_runs(phone, desktop):
    from tests.api.service_answers import complete_answers

    sign_in(phone, "aufbewahrung.buerger@example.org")
    answers = complete_answers("waste_bins")
    expired = _withdrawn_years_ago(phone, answers)
    held = _withdrawn_years_ago(phone, answers)
    with db.connection_context():
        HandoffDelivery.create(
            application=held["id"],
            service_id="waste_bins",
            target_id="abfallwirtschaft",
            backend="email",
            moment="submitted",
            state="waiting",
        )

    sign_in(desktop, "aufbewahrung.admin@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung")
    page.get_by_role("navigation", name="Bereiche der Verwaltung").get_by_role(
        "link", name="Aufbewahrung"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Verwaltung Aufbewahrung")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Der nächste Lauf würde 1 Antrag löschen.")
    table = page.get_by_role("table", name="Was der nächste Lauf je Dienst löschen würde")
    row = table.get_by_role("row").filter(has_text="Abfallbehälter")
    expect(row).to_contain_text("Entwürfe 90 Tage, abgeschlossene 1095 Tage")
    expect(row).to_contain_text("1 mit ausstehender Übergabe")
    expect(page.get_by_text("Es gab noch keinen Lauf.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mängelmeldungen")).to_be_visible()
    expect(page.get_by_text("Bei Mängelmeldungen löscht der Lauf 90 Tage nach")).to_be_visible()
    assert_accessible(page, "retention-console")
    screenshot(page, "retention-console")

    with db.connection_context():
        runs.run(started_by="cli")
        assert not Application.select().where(Application.id == expired["id"]).exists()
        assert Application.select().where(Application.id == held["id"]).exists()
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("Der nächste Lauf würde nichts löschen.")
    last = page.get_by_role("table", name="Die letzten Läufe").get_by_role("row").nth(1)
    expect(last).to_contain_text("von Hand (Befehlszeile)")
    assert_accessible(page, "retention-console-after-run")

    # The deletion is in the audit log under its own name, without the person.
    page.goto("/verwaltung/protokoll")
    entry = page.get_by_role("row").filter(has_text="Nach Ablauf der Aufbewahrung gelöscht")
    expect(entry.first).to_be_visible()
    expect(entry.first).to_contain_text(expired["reference"])
    expect(entry.first).not_to_contain_text("aufbewahrung.buerger")


def test_the_builder_edits_the_periods_and_shows_a_bad_value_at_its_input(desktop):
    sign_in(desktop, "aufbewahrung.builder@example.org", role="admin")
    new_service(
        desktop,
        service_id="sperrmuell_aufbewahrung",
        title_de="Sperrmüll anmelden",
        title_en="Bulky waste collection",
        area="abfall",
    )
    page = desktop.new_page()
    page.goto("/verwaltung/dienste/sperrmuell_aufbewahrung/v/1/bearbeiten")
    page.get_by_role("navigation", name="Teile des Dienstes").get_by_role(
        "link", name="Aufbewahrung"
    ).click()
    expect(page.locator("#builder-section-heading")).to_contain_text("Aufbewahrung")
    drafts = page.get_by_label("Entwürfe aufbewahren (Tage seit der letzten Änderung)")
    closed = page.get_by_label("Abgeschlossene Anträge aufbewahren (Tage nach dem Abschluss)")
    expect(page.get_by_text("Ohne Angabe: 90 Tage.")).to_be_visible()
    expect(page.get_by_text("Ohne Angabe: 1095 Tage.")).to_be_visible()

    drafts.fill("0")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    expect(
        page.get_by_text("0 ist kleiner als der kleinste erlaubte Wert 1.").first
    ).to_be_visible()
    expect(drafts).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "builder-retention-problem")
    screenshot(page, "builder-retention-problem")

    drafts.fill("30")
    closed.fill("400")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Keine offenen Probleme")).to_be_visible()
    editor = desktop.request.get("/api/admin/services/sperrmuell_aufbewahrung/versions/1/editor")
    body = editor.json()
    assert body["problems"] == []
    assert body["definition"]["retention"] == {"drafts_days": 30, "closed_days": 400}
    assert_accessible(page, "builder-retention")

    closed.fill("")
    drafts.fill("")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    editor = desktop.request.get("/api/admin/services/sperrmuell_aufbewahrung/versions/1/editor")
    assert "retention" not in editor.json()["definition"]
