"""A clerk of the parking area blocks a stolen permit from the case view: reason,
confirmation, done. The citizen's wallet then shows the permit as blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, screenshot, sign_in
from e2e.test_parking_wallet import PROFILE, issue_permit, permits

pytestmark = pytest.mark.browser


def test_clerk_blocks_a_stolen_permit(phone, desktop):
    sign_in(phone, "citizen.blocked@example.org", **PROFILE)
    permit = issue_permit(phone, "DN-BL 413")
    [application] = phone.request.get("/api/applications").json()

    sign_in(desktop, "clerk.parken@example.org", role="staff", areas=("parken",))
    clerk = desktop.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    section = clerk.get_by_role("region", name="Parkausweis")
    expect(section).to_contain_text(permit["number"])
    expect(section).to_contain_text("Gültig")
    section.get_by_role("button", name="Ausweis sperren").click()

    # Without a reason the form says what is missing and changes nothing.
    section.get_by_role("button", name="Weiter").click()
    summary = clerk.get_by_role("alert")
    expect(summary).to_contain_text("Bitte wählen Sie einen Grund.")
    expect(summary).to_be_focused()
    assert_accessible(clerk, "staff-permit-block-error")

    section.get_by_label("Gestohlen").check()
    section.get_by_label("Bemerkung").fill("Anzeige bei der Polizei, Tagebuch-Nr. 4711")
    section.get_by_role("button", name="Weiter").click()
    question = section.get_by_text(f"Wollen Sie den Ausweis {permit['number']} (DN-BL 413)")
    expect(question).to_be_focused()
    assert_accessible(clerk, "staff-permit-block-confirm")
    assert permits(phone)[0]["state"] == "valid"
    section.get_by_role("button", name="Ja, Ausweis sperren").click()

    expect(clerk.get_by_role("status")).to_contain_text(
        f"Der Ausweis {permit['number']} ist gesperrt."
    )
    expect(section).to_contain_text("Gesperrt")
    expect(section.get_by_role("button", name="Ausweis sperren")).to_have_count(0)
    assert_accessible(clerk, "staff-permit-blocked")
    screenshot(clerk, "staff-permit-blocked")

    [blocked] = permits(phone)
    assert (blocked["state"], blocked["blocked"], blocked["block_reason"]) == (
        "revoked",
        True,
        "stolen",
    )
    wallet = phone.new_page()
    wallet.goto(f"/parkausweis/{permit['id']}")
    expect(wallet.get_by_text("Gesperrt", exact=True)).to_be_visible()
    expect(wallet.get_by_text("Die Stadt hat den Ausweis gesperrt (gestohlen).")).to_be_visible()
    assert_accessible(wallet, "wallet-permit-blocked")
