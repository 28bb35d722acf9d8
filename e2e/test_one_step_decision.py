"""A clerk opens a newly submitted case, finds the service's message prefilled in the
decision form and approves in one step; the citizen gets exactly one message about the
decision in the inbox and exactly one mail (read from a real SMTP server on loopback)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, screenshot, sign_in, submit_dog_deregistration

pytestmark = pytest.mark.browser

CITIZEN = "citizen.onestep@example.org"


def _inbox(context, application_id: str) -> list[dict]:
    messages = context.request.get("/api/inbox").json()
    return [m for m in messages if m["application_id"] == application_id]


def test_clerk_approves_a_new_case_in_one_step_and_the_citizen_hears_once(phone, desktop, smtp):
    sign_in(phone, CITIZEN, given_names="Erika", family_name="Einschritt")
    application = submit_dog_deregistration(phone)
    reference = application["reference_display"]
    before = _inbox(phone, application["id"])
    assert smtp.messages_to(CITIZEN) == []

    sign_in(desktop, "clerk.onestep@example.org", role="staff", areas=("hundesteuer",))
    clerk = desktop.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    expect(clerk.get_by_role("heading", level=1)).to_contain_text(
        "Hund von der Hundesteuer abmelden"
    )
    # Clerks read their own wording for the status.
    expect(clerk.locator(".kern-badge").first).to_have_text("Neu eingegangen")

    clerk.get_by_role("radio", name="Genehmigt").check()
    message = clerk.get_by_label("Nachricht an die Antragstellerin oder den Antragsteller")
    # The service's default message, filled in for this case, ready to be edited.
    expect(message).to_have_value(re.compile(r"^Guten Tag,"))
    expect(message).to_have_value(re.compile(re.escape(reference)))
    expect(message).to_have_value(re.compile("von der Hundesteuer abgemeldet"))
    expect(clerk.get_by_text("Vorschlag aus der Vorlage dieser Leistung")).to_be_visible()
    assert_accessible(clerk, "staff-decision-form")
    screenshot(clerk, "staff-decision-form")

    clerk.get_by_role("button", name="Stand ändern").click()
    expect(clerk.get_by_text("Stand geändert: Genehmigt.")).to_be_visible()
    history = clerk.locator(".timeline")
    expect(history).to_contain_text("Status geändert: Neu eingegangen → Genehmigt")
    expect(history).to_contain_text("Antrag eingereicht")
    expect(history).not_to_contain_text("– → –")
    assert_accessible(clerk, "staff-detail-decided")
    screenshot(clerk, "staff-detail-decided")

    # The citizen: exactly one new message about the decision (the notice it issues
    # arrives as its document), exactly one mail.
    seen = {m["id"] for m in before}
    new = [m for m in _inbox(phone, application["id"]) if m["id"] not in seen]
    about_status = [m for m in new if m["kind"] == "status"]
    assert len(about_status) == 1, new
    assert about_status[0]["subject"] == f"Antrag {reference}: Genehmigt"
    assert about_status[0]["body"].startswith("Guten Tag,")
    assert all(m["document"] for m in new if m["kind"] != "status"), new
    [mail] = smtp.messages_to(CITIZEN)
    assert "Entscheidung zu Ihrem Antrag" in mail["Subject"]

    page = phone.new_page()
    page.goto(f"/antraege/{application['id']}")
    expect(page.locator(".kern-badge").first).to_have_text("Genehmigt")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Antrag gesendet")
    expect(timeline).to_contain_text("Neuer Stand: Genehmigt")
    expect(timeline).to_contain_text("von der Hundesteuer abgemeldet")
    expect(timeline).not_to_contain_text("clerk.onestep@example.org")
    assert_accessible(page, "citizen-timeline-decided")
    screenshot(page, "citizen-timeline-decided")
