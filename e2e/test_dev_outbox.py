"""The development outbox page says who can see it and passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, outbox_code

pytestmark = pytest.mark.browser


def test_outbox_page_shows_the_code_and_who_can_see_it(phone):
    email = "e2e.postausgang@example.org"
    started = phone.request.post("/api/auth/email/start", data={"email": email})
    assert started.status == 202
    code = outbox_code(phone, email)

    page = phone.new_page()
    page.goto(f"/dev/outbox?to={email}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Postausgang (nur Entwicklung)")
    expect(page.get_by_text("nur auf dem Rechner, auf dem das Portal läuft")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_contain_text(code)
    assert_accessible(page, "dev outbox")
