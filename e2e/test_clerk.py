"""A clerk works the queue: opens an application, takes it, changes its status with a
message, adds an internal note. The citizen's timeline and inbox show the change (and
never the note), and the citizen answers the question."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    VET_NOTE,
    assert_accessible,
    screenshot,
    sign_in,
    submit_dog_deregistration,
)

pytestmark = pytest.mark.browser

QUESTION = "Bitte schicken Sie uns die Hundesteuermarke zurück."
NOTE = "Marke ist noch nicht eingegangen."


def test_clerk_status_change_reaches_citizen_timeline_and_inbox(phone, desktop):
    sign_in(phone, "citizen.clerkflow@example.org", given_names="Erika", family_name="Musterfrau")
    application = submit_dog_deregistration(phone)
    reference = application["reference_display"]

    sign_in(
        desktop,
        "clerk.hund@example.org",
        role="staff",
        areas=("hundesteuer",),
        given_names="Sam",
        family_name="Schreiber",
    )
    clerk = desktop.new_page()
    clerk.goto("/sachbearbeitung")
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Eingang")
    expect(clerk.get_by_text("Anträge Ihrer Bereiche (Hundesteuer)")).to_be_visible()
    row = clerk.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Musterfrau, Erika")
    expect(row).to_contain_text("Neu eingegangen")  # the clerks' wording
    assert_accessible(clerk, "staff-queue")
    screenshot(clerk, "staff-queue")

    # Search by reference finds it too.
    clerk.get_by_label("Suchen nach Aktenzeichen oder Name").fill(application["reference"])
    clerk.get_by_role("button", name="Suchen", exact=True).click()
    expect(clerk.get_by_text("1 Antrag", exact=True)).to_be_visible()
    clerk.get_by_role("link", name=reference).click()

    expect(clerk.get_by_role("heading", level=1)).to_contain_text(
        "Hund von der Hundesteuer abmelden"
    )
    expect(clerk.get_by_text("Kaiserplatz 2, 52349 Düren")).to_be_visible()
    # The applicant's upload, downloadable for the clerk.
    attachment = clerk.get_by_role("link", name="tierarzt.pdf")
    expect(attachment).to_be_visible()
    download = desktop.request.get(attachment.get_attribute("href"))
    assert download.ok and download.body() == VET_NOTE
    clerk.get_by_role("button", name="Mir zuweisen").click()
    expect(clerk.get_by_text("Der Antrag ist Ihnen zugewiesen.")).to_be_visible()

    # Taking the case is internal: no message field, the citizen is not notified.
    clerk.get_by_role("radio", name="In Bearbeitung (ohne Nachricht)").check()
    expect(
        clerk.get_by_label("Nachricht an die Antragstellerin oder den Antragsteller")
    ).to_have_count(0)
    clerk.get_by_role("button", name="Stand ändern").click()
    expect(clerk.get_by_text("Stand geändert: In Bearbeitung.")).to_be_visible()

    # A question needs the clerk's words: the template alone is a start, an empty
    # message is refused with the field named.
    clerk.get_by_role("radio", name="Rückfrage gestellt (Nachricht nötig)").check()
    message_field = clerk.get_by_label("Nachricht an die Antragstellerin oder den Antragsteller")
    expect(message_field).to_have_value(re.compile(r"^Guten Tag,"))
    message_field.fill("")
    clerk.get_by_role("button", name="Stand ändern").click()
    expect(
        clerk.get_by_role("alert").get_by_role(
            "link", name="Bitte schreiben Sie eine Nachricht für diesen Stand."
        )
    ).to_be_visible()
    assert_accessible(clerk, "staff-detail-error")
    clerk.get_by_label("Nachricht an die Antragstellerin oder den Antragsteller").fill(QUESTION)
    clerk.get_by_role("button", name="Stand ändern").click()
    expect(clerk.get_by_text("Stand geändert: Rückfrage gestellt.")).to_be_visible()

    clerk.get_by_label("Notiz", exact=True).fill(NOTE)
    clerk.get_by_role("button", name="Notiz speichern").click()
    expect(clerk.get_by_text("Die Notiz ist gespeichert.")).to_be_visible()
    history = clerk.locator(".timeline")
    expect(history).to_contain_text(NOTE)
    expect(history).to_contain_text("Status geändert: In Bearbeitung → Rückfrage gestellt")
    expect(history).not_to_contain_text("– → –")
    assert_accessible(clerk, "staff-detail")
    screenshot(clerk, "staff-detail")

    # The citizen: status, question and timeline on the application; a message in the inbox.
    page = phone.new_page()
    page.goto(f"/antraege/{application['id']}")
    expect(page.locator(".kern-badge")).to_have_text("Rückfrage an Sie")
    expect(page.get_by_text("Wir haben eine Rückfrage an Sie")).to_be_visible()
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Antrag gesendet")
    expect(timeline).to_contain_text("In Bearbeitung")
    expect(timeline).to_contain_text(QUESTION)
    expect(page.get_by_text(NOTE)).to_have_count(0)
    assert_accessible(page, "application-detail")
    screenshot(page, "application-detail")

    page.get_by_role("link", name="Postfach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Postfach")
    # One thread for the application, its latest message the question.
    thread = page.get_by_role("link", name=re.compile(f"Aktenzeichen {reference}$"))
    expect(thread).to_be_visible()
    expect(page.get_by_text(f"Antrag {reference}: Rückfrage an Sie")).to_be_visible()
    assert_accessible(page, "inbox")
    screenshot(page, "inbox")
    thread.click()
    expect(
        page.get_by_role("heading", name=f"Antrag {reference}: Rückfrage an Sie")
    ).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    assert_accessible(page, "inbox-message")
    # The receipt PDF from the submission is in the same thread as a document.
    download = page.get_by_role("link", name=re.compile("^Eingangsbestätigung .* herunterladen$"))
    expect(download).to_be_visible()
    assert (
        phone.request.get(download.get_attribute("href")).headers["content-type"]
        == "application/pdf"
    )

    # The citizen answers; the clerk sees the answer and the status back in review.
    page.goto(f"/antraege/{application['id']}")
    page.get_by_role("button", name="Rückfrage beantworten").click()
    page.get_by_label("Ihre Antwort").fill("Die Marke liegt im Briefkasten des Rathauses.")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Erledigt. Wir haben Ihre Nachricht erhalten.")).to_be_visible()
    expect(page.locator(".kern-badge").first).to_have_text("In Bearbeitung")
    clerk.reload()
    expect(clerk.locator(".timeline")).to_contain_text(
        "Die Marke liegt im Briefkasten des Rathauses."
    )


def test_deleted_account_leaves_the_case_with_the_clerk(phone, desktop):
    sign_in(phone, "citizen.leaving@example.org", given_names="Max", family_name="Mustermann")
    application = submit_dog_deregistration(phone)
    page = phone.new_page()
    page.goto("/konto")
    expect(page.get_by_text("Eingereichte Anträge bleiben bei der Stadt")).to_be_visible()
    confirm = page.get_by_label("Geben Sie zur Bestätigung Ihre E-Mail-Adresse ein")
    confirm.fill("jemand.anderes@example.org")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    expect(page.locator("#confirm_email-error")).to_be_visible()
    confirm.fill("citizen.leaving@example.org")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.get_by_role("link", name="Anmelden", exact=True)).to_be_visible()

    sign_in(desktop, "clerk.leaving@example.org", role="staff", areas=("hundesteuer",))
    clerk = desktop.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    expect(clerk.get_by_text("Das Bürgerkonto wurde gelöscht")).to_be_visible()
    expect(clerk.get_by_text("Bitte teilen Sie Entscheidungen per Post")).to_be_visible()
    # The history names roles in words, not as codes.
    history = clerk.locator(".timeline")
    expect(history).to_contain_text("Antragsteller/in")
    expect(history).to_contain_text("automatisch")
    expect(history).not_to_contain_text("citizen")
    assert_accessible(clerk, "staff-detail-account-closed")
    screenshot(clerk, "staff-detail-account-closed")
