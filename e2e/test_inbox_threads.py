"""The inbox on a phone: a citizen with two applications (resident parking, paid in the
sandbox, and waste bins) sees one thread per application with one "new" marker each,
opens one and its marker goes, and downloads a document under a name a person reads.
After paying, the success page leads to the pass in the wallet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.applications.receipts import local_time
from app.db import utcnow
from e2e.conftest import assert_accessible, screenshot, sign_in, submit_application
from tests.api.service_answers import complete_answers
from tests.parking.support import answers as parking_answers

pytestmark = pytest.mark.browser

PROFILE = {
    "given_names": "Theo",
    "family_name": "Thread",
    "street": "Markt",
    "house_number": "3",
    "postal_code": "52349",
    "city": "Düren",
}


def _today() -> str:
    return local_time(utcnow()).strftime("%d.%m.%Y")


def test_one_thread_per_application_and_the_way_to_the_pass(phone):
    sign_in(phone, "citizen.threads@example.org", **PROFILE)
    bins = submit_application(phone, "waste_bins", complete_answers("waste_bins"))
    parking = submit_application(phone, "resident_parking", parking_answers(plate="DN-TT 17"))
    assert parking["status"] == "awaiting_payment"

    # Pay the parking fee in the sandbox; the success page leads to the pass.
    page = phone.new_page()
    page.goto(f"/antraege/{parking['id']}/bezahlen")
    page.get_by_role("radio", name=re.compile("Testzahlung")).check()
    page.get_by_role("button", name="Weiter zur Zahlung").click()
    expect(page).to_have_url(re.compile(r"/payment-sandbox/"))
    # The receipt is dated the day it is made, which may be either side of midnight.
    days = {_today()}
    page.get_by_role("button", name="Bezahlen", exact=True).click()
    expect(page.get_by_text("Die Zahlung ist erledigt.")).to_be_visible(timeout=15_000)
    days.add(_today())
    to_pass = page.get_by_role("link", name="Zum Parkausweis")
    expect(to_pass).to_be_visible()
    assert_accessible(page, "payment success with the way to the pass")
    screenshot(page, "inbox-threads-paid")
    to_pass.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Parkausweise")

    # The inbox: one thread per application, each with one "new" marker.
    page.goto("/postfach")
    threads = page.get_by_role("list", name="Ihre Anträge und Nachrichten").get_by_role("listitem")
    expect(threads).to_have_count(2)
    expect(threads.filter(has_text="Bewohnerparkausweis beantragen")).to_have_count(1)
    expect(threads.filter(has_text="Abfallbehälter bestellen")).to_have_count(1)
    for index in range(2):
        expect(threads.nth(index).get_by_text("Neu", exact=True)).to_have_count(1)
    # The badge counts threads, not messages.
    assert phone.request.get("/api/inbox/unread").json() == {"unread": 2}
    assert_accessible(page, "inbox thread list")
    screenshot(page, "inbox-threads-list")

    # Open the parking thread: its messages in order, the documents named for people.
    page.get_by_role("link", name=re.compile("^Bewohnerparkausweis beantragen")).click()
    expect(page).to_have_url(re.compile(f"/postfach/verlauf/{parking['id']}$"))
    heading = page.get_by_role(
        "heading", level=1, name=re.compile("Bewohnerparkausweis beantragen")
    )
    expect(heading).to_be_visible()
    names = {f"Zahlungsbeleg Bewohnerparkausweis {day}.pdf" for day in days}
    receipt = page.get_by_role(
        "link",
        name=re.compile("^(" + "|".join(re.escape(n) for n in names) + ") herunterladen$"),
    )
    expect(receipt).to_be_visible()
    assert_accessible(page, "inbox thread")
    screenshot(page, "inbox-thread")
    with page.expect_download() as download:
        receipt.click()
    assert download.value.suggested_filename in names

    # Back in the list, the opened thread has no marker; the other one keeps its own.
    page.get_by_role("link", name="Zurück zum Postfach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Postfach")
    opened = threads.filter(has_text="Bewohnerparkausweis beantragen")
    expect(opened.get_by_text("Neu", exact=True)).to_have_count(0)
    other = threads.filter(has_text="Abfallbehälter bestellen")
    expect(other.get_by_text("Neu", exact=True)).to_have_count(1)
    assert phone.request.get("/api/inbox/unread").json() == {"unread": 1}
    assert bins["id"] in other.get_by_role("link").get_attribute("href")

    # A notification's link to one message opens the thread that holds it.
    [message, *_] = phone.request.get(f"/api/inbox/threads/{bins['id']}").json()["messages"]
    page.goto(f"/postfach/{message['id']}")
    expect(page).to_have_url(re.compile(f"/postfach/verlauf/{bins['id']}$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("Abfallbehälter"))).to_be_visible()
