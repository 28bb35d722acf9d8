"""The clerk's workspace: a case an automatic check handed over is in the default
queue, overdue cases are marked in words, cases go to a colleague one by one and in
bulk, and keyboard shortcuts move through the queue."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from app.applications import lifecycle, queue
from app.applications.references import display
from app.db import db, utcnow
from app.models import Application
from e2e.conftest import assert_accessible, make_user, screenshot, sign_in, submit_application
from tests.api.service_answers import complete_answers

pytestmark = pytest.mark.browser

# The register has no such person: the automatic search hands the case to a clerk.
UNKNOWN_PERSON = {
    "family_name": "Mustermann",
    "given_names": "Erika",
    "identified_by": "birth_date",
    "person_birth_date": "1964-08-13",
    "commercial_use": False,
    "truthful": True,
}


def _paid(application_id: str) -> None:
    with db.connection_context():
        lifecycle.enter_workflow(Application.get_by_id(application_id))


def _overdue(reference: str) -> None:
    with db.connection_context():
        Application.update(due_at=utcnow() - datetime.timedelta(days=2)).where(
            Application.reference == reference
        ).execute()


def _withdraw_other_open_cases(areas: tuple[str, ...], keep: list[str]) -> None:
    """This process's portal also served other browser test files (run order differs
    between processes): cases they left open in ``areas`` would join this clerk's queue,
    whose counts this test checks."""
    with db.connection_context():
        Application.update(status="withdrawn", awaiting_decision=False).where(
            Application.area.in_(areas)
            & Application.submitted_at.is_null(False)
            & Application.status.in_(queue.open_statuses())
            & Application.id.not_in(keep)
        ).execute()


def test_workspace_views_overdue_assignment_bulk_and_shortcuts(phone, desktop):
    sign_in(phone, "citizen.workspace@example.org", given_names="Erika", family_name="Musterfrau")
    handed_over = submit_application(phone, "registry_information_simple", UNKNOWN_PERSON)
    _paid(handed_over["id"])
    with db.connection_context():
        assert Application.get_by_id(handed_over["id"]).status == "in_review"
    handed_ref = display(handed_over["reference"])
    _overdue(handed_over["reference"])
    waste = [
        submit_application(phone, "waste_bins", complete_answers("waste_bins")) for _ in range(2)
    ]
    waste_refs = [display(a["reference"]) for a in waste]
    _withdraw_other_open_cases(
        ("meldewesen", "abfall"), [handed_over["id"], *(a["id"] for a in waste)]
    )

    make_user(
        "kollegin.melde@example.org",
        "staff",
        ("meldewesen", "abfall"),
        given_names="Kim",
        family_name="Kollegin",
    )
    make_user("hund.only@example.org", "staff", ("hundesteuer",))
    sign_in(desktop, "clerk.workspace@example.org", role="staff", areas=("meldewesen", "abfall"))
    clerk = desktop.new_page()
    clerk.goto("/sachbearbeitung")
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Eingang")
    # The default view shows every open case, the handed-over one (in review) included,
    # and the overdue one first (ordered by due date), marked in words.
    rows = clerk.get_by_role("table", name="Eingang").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(handed_ref)
    expect(rows.nth(0)).to_contain_text("In Bearbeitung")
    expect(rows.nth(0)).to_contain_text("Überfällig")
    expect(rows.nth(1)).not_to_contain_text("Überfällig")
    assert_accessible(clerk, "staff-workspace-queue")
    screenshot(clerk, "staff-workspace-queue")

    clerk.get_by_role("button", name="Überfällig").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text(handed_ref)
    clerk.get_by_role("button", name="Offen", exact=True).click()
    expect(rows).to_have_count(3)

    # Shortcuts: ? shows the list; j moves to the first case, a assigns it to me.
    clerk.locator("body").click(position={"x": 5, "y": 5})
    clerk.keyboard.press("?")
    dialog = clerk.get_by_role("dialog", name="Tastenkürzel")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Nächster Antrag in der Liste")
    assert_accessible(clerk, "staff-workspace-shortcuts")
    dialog.get_by_role("button", name="Schließen").click()
    expect(dialog).to_be_hidden()
    # Typing in the search field is not a shortcut.
    clerk.get_by_label("Suchen nach Aktenzeichen oder Name").fill("jk")
    expect(clerk.get_by_label("Suchen nach Aktenzeichen oder Name")).to_have_value("jk")
    clerk.get_by_label("Suchen nach Aktenzeichen oder Name").fill("")
    clerk.locator("body").click(position={"x": 5, "y": 5})
    clerk.keyboard.press("j")
    expect(clerk.get_by_role("link", name=handed_ref)).to_be_focused()
    clerk.keyboard.press("a")
    expect(clerk.get_by_text(f"Der Antrag {handed_ref} ist Ihnen zugewiesen.")).to_be_visible()
    clerk.get_by_role("button", name="Mir zugewiesen").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text(handed_ref)
    clerk.get_by_role("button", name="Offen", exact=True).click()
    expect(rows).to_have_count(3)

    # Bulk: select the two waste-bin cases and assign them to the colleague.
    for reference in waste_refs:
        clerk.get_by_role("checkbox", name=f"Antrag {reference} auswählen").check()
    expect(clerk.get_by_text("2 Anträge ausgewählt")).to_be_visible()
    clerk.get_by_label("Zuweisen an …").select_option(
        label="Kim Kollegin (kollegin.melde@example.org)"
    )
    assert_accessible(clerk, "staff-workspace-bulk")
    clerk.get_by_role("button", name="Zuweisen", exact=True).click()
    expect(clerk.get_by_text("2 geändert, 0 nicht geändert")).to_be_visible()
    clerk.get_by_role("button", name="Nicht zugewiesen").click()
    expect(clerk.get_by_text("0 Anträge")).to_be_visible()

    # The detail: due date with the marker, and assigning to a colleague.
    clerk.goto(f"/sachbearbeitung/{handed_over['reference']}")
    expect(clerk.get_by_text("Überfällig")).to_be_visible()
    select = clerk.get_by_label("Zuweisen an", exact=True)
    options = select.locator("option").all_inner_texts()
    assert "Kim Kollegin (kollegin.melde@example.org)" in options
    assert not any("hund.only" in option for option in options)
    select.select_option(label="Kim Kollegin (kollegin.melde@example.org)")
    clerk.get_by_role("button", name="Zuweisen", exact=True).click()
    expect(
        clerk.get_by_text("Der Antrag ist Kim Kollegin (kollegin.melde@example.org) zugewiesen.")
    ).to_be_visible()
    expect(clerk.get_by_text("anderer Kollegin oder anderem Kollegen zugewiesen")).to_be_visible()
    assert_accessible(clerk, "staff-workspace-detail")
    screenshot(clerk, "staff-workspace-detail")
    # A shortcut on the detail: a assigns the case back to me.
    clerk.locator("body").click(position={"x": 5, "y": 5})
    clerk.keyboard.press("a")
    expect(clerk.get_by_text("Der Antrag ist Ihnen zugewiesen.")).to_be_visible()
