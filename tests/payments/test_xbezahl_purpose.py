"""The purpose sent to XBezahldienste providers fits the interface's pattern.

The portal accepts Kassenzeichen with ``/`` and ``.`` and purposes with umlauts; an
XBezahldienste provider (here the local one, which applies the v1.0.0 pattern: word
characters, digits, space, hyphen, at most 27) refuses those characters, and the
citizen could not pay. The full reference must still reach the provider.
"""

from __future__ import annotations

import re

import pytest

from app.payments import service, states
from app.payments.providers.xbezahl import TOKENS, provider_purpose
from tests.fakes.xbezahl import PURPOSE, FakeXBezahl
from tests.payments.conftest import application_payable


@pytest.fixture
def provider(settings):
    TOKENS._tokens.clear()
    with FakeXBezahl(auth="basic") as fake:
        settings(fake.settings())
        yield fake
    TOKENS._tokens.clear()


@pytest.mark.parametrize(
    ("kassenzeichen", "purpose"),
    [
        ("GEB/2026.0815", "GEB/2026.0815"),
        ("GEB/2026.0815", "GEB/2026.0815 Rate 2"),
        ("GEB.2026.7", "Gebühr Müllabfuhr Straße 1"),
        ("GEB/2026.0815.1234567890", "GEB/2026.0815.1234567890"),
        ("ÄRZTE/2026-1", "Ärzte Öffnung Übung ß/2026"),
    ],
)
def test_provider_accepts_the_purpose_and_gets_the_full_reference(
    provider, citizen, kassenzeichen, purpose
):
    payable = application_payable(citizen, kassenzeichen=kassenzeichen, purpose=purpose)
    started = service.start_payment(citizen, payable, "xbezahl", "/antraege")
    payment = started.payment
    assert payment.state == states.REDIRECTED  # the provider took the request
    assert payment.purpose == purpose  # the portal's own record keeps it as issued
    sent = provider.last_request().body
    assert PURPOSE.fullmatch(sent["purpose"]) and len(sent["purpose"]) <= 27
    # Readable: separators become hyphens, umlauts are spelt out.
    assert "/" not in sent["purpose"] and "." not in sent["purpose"]
    assert not re.search(r"[ÄÖÜäöüß]", sent["purpose"])
    # The reference as issued travels along, in the description and the booking data.
    assert f"({purpose})" in sent["description"]
    [item] = sent["items"]
    assert item["bookingData"]["Kassenzeichen"] == kassenzeichen
    assert item["bookingData"]["Verwendungszweck"] == purpose
    provider.set_status(payment.provider_reference, "PAYED")
    assert service.refresh_payment(payment).state == states.PAID


def test_purposes_differing_only_in_separators_stay_apart(provider, citizen):
    sent = []
    for purpose in ("GEB/2026.0815", "GEB-2026-0815", "GEB.2026/0815", "GEB 2026 0815"):
        payable = application_payable(citizen, purpose=purpose)
        service.start_payment(citizen, payable, "xbezahl", "/antraege")
        sent.append(provider.last_request().body["purpose"])
    assert len(set(sent)) == 4
    # What already fits goes out unchanged, without a check code.
    assert sent[1] == "GEB-2026-0815" and sent[3] == "GEB 2026 0815"
    assert sent[0].startswith("GEB-2026-0815 ") and sent[2].startswith("GEB-2026-0815 ")


def test_a_fitting_purpose_is_sent_as_it_is(provider, citizen):
    service.start_payment(citizen, application_payable(citizen), "xbezahl", "/antraege")
    sent = provider.last_request().body
    assert sent["purpose"] == "Bewohnerparken DN-AB 123"
    assert sent["description"] == "Bewohnerparkausweis Zone B, 1 Jahr"
    assert "Verwendungszweck" not in sent["items"][0]["bookingData"]


def test_long_purposes_are_cut_to_27_and_keep_their_check_code():
    long = "Gebühr für Ä-Ü-Ö/Straße.Nr. 12345678"[:27]
    sent = provider_purpose(long)
    assert len(sent) <= 27 and PURPOSE.fullmatch(sent)
    assert sent != provider_purpose(long[:-1])
