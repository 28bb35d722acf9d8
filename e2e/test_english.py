"""The portal in English: no German words from the portal itself, one date format.

The account was opened in German (its language stays German for e-mail); the citizen
reads the portal in English. Inbox messages, payments, applications and an application
detail must all be English, and every date on a screen written the English way.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    json_headers,
    sign_in,
    submit_application,
)

pytestmark = pytest.mark.browser

CIVIL_STATUS = {
    "certificate_type": "birth",
    "register_number": "G 42/1980",
    "copies": 1,
    "purpose": "pension",
    "family_name": "Reader",
    "given_names": "Robin",
    "event_date": "1980-02-03",
    "event_place": "Düren",
    "relationship": "self",
    "truthful": True,
}
# Words of the portal's German texts that never appear in its English ones.
GERMAN_WORDS = {
    "Antrag",
    "Anträge",
    "Ihr",
    "Ihre",
    "Zahlungsbeleg",
    "Eingangsbestätigung",
    "Rate",
    "Bescheid",
    "Gebühr",
    "Eingereicht",
    "bezahlen",
    "herunterladen",
    "Sie",
    "und",
    "für",
    "Geburts",
    "Sterbeurkunde",
    "anfordern",
}
_WORDS = re.compile(r"[^\W\d_]+")
# Anything that looks like a written day: 05/12/2026, 05.12.2026, 5 Dec 2026, 2026-12-05.
_ANY_DATE = re.compile(
    r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"
)
_ENGLISH_DATE = re.compile(r"\d\d/\d\d/\d{4}")


def _pay_in_sandbox(context, subject_type: str, subject_id: str) -> None:
    """Start a sandbox payment and press "pay" on the provider's page (Testmodus)."""
    started = context.request.post(
        "/api/payments",
        data=json.dumps(
            {
                "subject_type": subject_type,
                "subject_id": subject_id,
                "provider": "sandbox",
                "return_path": "/zahlungen",
            }
        ),
        headers=json_headers(context),
    )
    assert started.status == 201, started.text()
    path = urlsplit(started.json()["action"]["url"]).path
    html = context.request.get(path).text()
    token = html.split('name="token" value="', 1)[1].split('"', 1)[0]
    decided = context.request.post(path, form={"token": token, "outcome": "pay"})
    assert decided.ok, decided.text()


def _notice_for(desktop, email: str) -> dict:
    sign_in(desktop, "kasse.english@example.org", role="staff", areas=("hundesteuer",))
    response = desktop.request.post(
        "/api/staff/notices",
        data=json.dumps(
            {
                "email": email,
                "kind": "dog_tax",
                "title": "HST 2027",
                "kassenzeichen": "HST-2027-EN01",
                "schedule": {"type": "quarterly", "year": 2027, "total_cents": 8400},
            }
        ),
        headers=json_headers(desktop),
    )
    assert response.status == 201, response.text()
    return response.json()


def _assert_english(page, name: str) -> None:
    """The main content holds no German portal words and writes days one way only."""
    text = page.locator("main").inner_text()
    german = sorted(GERMAN_WORDS & set(_WORDS.findall(text)))
    assert german == [], f"{name}: German words {german} in:\n{text}"
    dates = _ANY_DATE.findall(text)
    assert all(_ENGLISH_DATE.fullmatch(d) for d in dates), f"{name}: dates {dates}"
    assert_accessible(page, name)


def test_payments_inbox_and_applications_read_in_english(phone, desktop):
    email = "robin.reader@example.org"
    sign_in(phone, email, given_names="Robin", family_name="Reader")
    application = submit_application(phone, "civil_status_certificate", CIVIL_STATUS)
    _pay_in_sandbox(phone, "application", application["id"])
    notice = _notice_for(desktop, email)
    _pay_in_sandbox(phone, "instalment", notice["instalments"][0]["id"])

    page = phone.new_page()
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto("/zahlungen")
    expect(page.get_by_role("heading", name="Your payments and receipts")).to_be_visible()
    expect(
        page.get_by_role(
            "link", name=re.compile(r"^Download the receipt for HST 2027, instalment 1")
        )
    ).to_be_visible()
    expect(
        page.get_by_role(
            "link", name=re.compile(r"^Download the receipt for Request a birth, marriage")
        )
    ).to_be_visible()
    _assert_english(page, "english-payments")

    page.goto("/postfach")
    expect(page.get_by_text("Your payment receipt").first).to_be_visible()
    _assert_english(page, "english-inbox")
    # The instalment's receipt is a thread of its own (the notice is no application's).
    page.get_by_role("link", name="Your payment receipt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your payment receipt")
    expect(
        page.get_by_role("link", name=re.compile(r"^Download Payment receipt \d\d-\d\d-\d{4}\.pdf"))
    ).to_be_visible()
    _assert_english(page, "english-inbox-message")
    page.get_by_role("link", name="Back to the inbox").click()
    page.get_by_role("link", name=re.compile(r"^Request a birth, marriage")).click()
    expect(
        page.get_by_role(
            "link", name=re.compile(r"^Download Payment receipt Civil status certificate")
        )
    ).to_be_visible()
    _assert_english(page, "english-inbox-thread")

    page.goto("/antraege")
    expect(page.get_by_text(re.compile(r"^Request a birth, marriage")).first).to_be_visible()
    _assert_english(page, "english-applications")

    page.goto(f"/antraege/{application['id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Request a birth, marriage")
    _assert_english(page, "english-application-detail")
