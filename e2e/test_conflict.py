"""Two devices change the same draft: the second save meets a changed server copy (412)
and the citizen sees both versions and chooses; neither is lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, screenshot, server_applications, sign_in, wait_until

pytestmark = pytest.mark.browser

EMAIL = "two.devices@example.org"
DETAILS = {"street": "Kaiserplatz", "house_number": "2", "postal_code": "52349", "city": "Düren"}


def _second_device(browser, live_server):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 800},
        is_mobile=True,
        has_touch=True,
        locale="de-DE",
    )
    context.set_default_timeout(10_000)
    return context


def dog_names(context) -> list[str]:
    return sorted(
        (a["answers"].get("dogs") or [{}])[0].get("dog_name", "")
        for a in server_applications(context)
    )


def test_same_draft_changed_on_two_devices_shows_both_versions(phone, browser, live_server):
    sign_in(phone, EMAIL, **DETAILS)
    phone_page = phone.new_page()
    phone_page.goto("/leistungen/dog_tax_registration")
    phone_page.get_by_role("button", name="Antrag starten").click()
    phone_page.get_by_role("button", name="Weiter").click()
    phone_page.get_by_label("Name des Hundes").fill("Bello")
    wait_until(phone_page, lambda: dog_names(phone) == ["Bello"], message="the phone's save")

    tablet = _second_device(browser, live_server)
    try:
        sign_in(tablet, EMAIL)
        tablet_page = tablet.new_page()
        tablet_page.goto("/antraege")
        expect(
            tablet_page.get_by_text(re.compile("auf einem anderen Gerät angefangen"))
        ).to_be_visible()
        tablet_page.get_by_role("button", name="Hier weitermachen").click()
        expect(tablet_page.get_by_role("heading", level=1)).to_contain_text("Hund 1")
        expect(tablet_page.get_by_label("Name des Hundes")).to_have_value("Bello")
        tablet_page.get_by_label("Name des Hundes").fill("Rex")
        wait_until(tablet_page, lambda: dog_names(tablet) == ["Rex"], message="the tablet's save")

        # The phone still has the old revision: its next save is refused (412).
        phone_page.get_by_label("Rasse").fill("Dackel")
        expect(phone_page.get_by_role("heading", level=1)).to_contain_text(
            "Zwei Versionen Ihres Antrags"
        )
        mine = phone_page.get_by_role("region", name="Version auf diesem Gerät")
        theirs = phone_page.get_by_role("region", name="Version aus Ihrem Konto (anderes Gerät)")
        expect(mine.get_by_text("Bello", exact=True)).to_be_visible()
        expect(mine.get_by_text("Dackel", exact=True)).to_be_visible()
        expect(theirs.get_by_text("Rex", exact=True)).to_be_visible()
        # Nothing was overwritten behind the citizen's back.
        assert dog_names(phone) == ["Rex"]
        assert_accessible(phone_page, "conflict")
        screenshot(phone_page, "conflict")

        phone_page.get_by_role("button", name="Beide behalten (als zwei Anträge)").click()
        expect(phone_page.get_by_role("heading", level=1)).to_have_text("Meine Anträge")
        expect(phone_page.get_by_role("link", name="Hund zur Hundesteuer anmelden")).to_have_count(
            2
        )

        wait_until(
            phone_page,
            lambda: dog_names(phone) == ["Bello", "Rex"],
            message="both versions on the server",
        )
    finally:
        tablet.close()
