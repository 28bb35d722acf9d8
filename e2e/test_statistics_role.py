"""The role "Statistik" in the people console: an admin invites a person with it (no
service areas asked), the invitation names it, the person's page shows it; the form
passes axe-core with the role chosen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.db import db
from app.models import User
from e2e.conftest import (
    assert_accessible,
    outbox,
    sign_in,
)

pytestmark = pytest.mark.browser

ANALYST = "auswertung@example.org"


def test_admin_invites_a_person_with_the_statistics_role(desktop):
    sign_in(desktop, "chefin@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/benutzer")
    page.get_by_role("link", name="Person einladen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Person einladen")
    page.get_by_label("E-Mail-Adresse").fill(ANALYST)
    page.get_by_label("Statistik").check()
    expect(page.get_by_label("hundesteuer")).to_have_count(0)  # no service areas for it
    assert_accessible(page, "console-invite-statistics")
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ANALYST)
    expect(page.get_by_role("main")).to_contain_text("Statistik")
    [mail] = outbox(desktop, ANALYST)
    assert "Statistik" in mail["body"]
    with db.connection_context():
        assert User.get(User.email == ANALYST).role == "statistics"
