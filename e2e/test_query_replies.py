"""A clerk asks a question; the citizen answers with text and a PDF (what was typed
survives a reload and a lost connection); the case is back in the clerk's queue marked
"Antwort eingegangen"; the clerk opens it and downloads the file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, screenshot, sign_in, submit_dog_deregistration

pytestmark = pytest.mark.browser

QUESTION = "Bitte schicken Sie uns die Bescheinigung der Tierarztpraxis mit Stempel."
ANSWER = "Anbei die Bescheinigung mit Stempel."
STAMPED = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% Stempel\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def in_review(clerk) -> None:
    """Show the cases in review (the queue opens with the new ones)."""
    clerk.get_by_label("Stand", exact=True).select_option(label="In Bearbeitung")
    clerk.get_by_role("button", name="Filter anwenden").click()


@pytest.mark.service_worker
def test_citizen_answers_a_query_with_a_file(phone, desktop):
    sign_in(phone, "citizen.reply@example.org", given_names="Erika", family_name="Antwort")
    application = submit_dog_deregistration(phone)
    reference = application["reference_display"]

    sign_in(desktop, "clerk.reply@example.org", role="staff", areas=("hundesteuer",))
    clerk = desktop.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    # The clerk asks straight away, in one step.
    clerk.get_by_role("radio", name="Rückfrage gestellt (Nachricht nötig)").check()
    clerk.get_by_label("Nachricht an die Antragstellerin oder den Antragsteller").fill(QUESTION)
    clerk.get_by_role("button", name="Stand ändern").click()
    expect(clerk.get_by_text("Stand geändert: Rückfrage gestellt.")).to_be_visible()

    # The citizen sees the question and opens the reply form.
    page = phone.new_page()
    page.goto(f"/antraege/{application['id']}")
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    page.get_by_role("button", name="Rückfrage beantworten").click()
    page.get_by_label("Ihre Antwort").fill(ANSWER)
    files = page.get_by_label("Dateien mitschicken (freiwillig)")
    files.set_input_files(
        [
            {"name": "bescheinigung.pdf", "mimeType": "application/pdf", "buffer": STAMPED},
            {"name": "foto.png", "mimeType": "image/png", "buffer": PHOTO},
        ]
    )
    chosen = page.get_by_role("list", name="Ausgewählte Dateien")
    expect(chosen.get_by_role("listitem")).to_have_count(2)
    expect(chosen).not_to_contain_text("wird hochgeladen")
    # A file that is no document is refused beside its name, and nothing else is lost.
    files.set_input_files(
        {"name": "programm.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"}
    )
    expect(chosen).to_contain_text("Diese Dateiart ist hier nicht möglich")
    assert_accessible(page, "reply-form")
    screenshot(page, "reply-form")
    page.get_by_role("button", name="Datei programm.pdf entfernen").click()
    page.get_by_role("button", name="Datei foto.png entfernen").click()
    expect(chosen.get_by_role("listitem")).to_have_count(1)

    # A reload keeps the text typed and the file uploaded.
    page.reload()
    expect(page.get_by_label("Ihre Antwort")).to_have_value(ANSWER)
    expect(page.get_by_role("list", name="Ausgewählte Dateien")).to_contain_text(
        "bescheinigung.pdf"
    )

    # Without a connection the reply is not sent, and the page says so.
    phone.set_offline(True)
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Keine Verbindung")
    expect(page.get_by_label("Ihre Antwort")).to_have_value(ANSWER)
    phone.set_offline(False)

    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Erledigt. Wir haben Ihre Nachricht erhalten.")).to_be_visible()
    expect(page.locator(".kern-badge").first).to_have_text("In Bearbeitung")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Ihre Antwort auf die Rückfrage")
    expect(timeline).to_contain_text(ANSWER)
    expect(timeline.get_by_role("link", name="bescheinigung.pdf")).to_be_visible()
    expect(page.get_by_role("button", name="Rückfrage beantworten")).to_have_count(0)
    assert_accessible(page, "application-detail-replied")

    # The clerk's queue marks the case until the clerk opens it.
    clerk.goto("/sachbearbeitung")
    in_review(clerk)
    row = clerk.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Antwort eingegangen")
    expect(row).to_contain_text("In Bearbeitung")
    assert_accessible(clerk, "staff-queue-replied")
    row.get_by_role("link", name=reference).click()
    history = clerk.locator(".timeline")
    expect(history).to_contain_text("Antwort auf die Rückfrage")
    expect(history).to_contain_text(ANSWER)
    link = history.get_by_role("link", name="bescheinigung.pdf")
    expect(link).to_be_visible()
    expect(clerk.get_by_text("mit der Antwort auf die Rückfrage gesendet")).to_be_visible()
    assert_accessible(clerk, "staff-detail-reply")
    screenshot(clerk, "staff-detail-reply")
    download = desktop.request.get(link.get_attribute("href"))
    assert download.ok and download.body() == STAMPED
    clerk.goto("/sachbearbeitung")
    in_review(clerk)
    row = clerk.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("In Bearbeitung")
    expect(row).not_to_contain_text("Antwort eingegangen")
