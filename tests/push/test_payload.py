"""The status-change notification: language, fixed fields, no personal data."""

from __future__ import annotations

import json

import pytest

from app.push.message import PayloadTooLarge
from app.push.payload import STATUS_PAYLOAD_LIMIT, check_size, portal_path, status_change


def _payload(**changes):
    arguments = {
        "application_id": 42,
        "reference": "2025-HUND-000123",
        "status_label": "Genehmigt",
        "url": "/antraege/42",
        "language": "de",
    }
    arguments.update(changes)
    return status_change(**arguments)


def test_german_status_notification():
    assert _payload() == {
        "kind": "status",
        "title": "Ihr Antrag 2025-HUND-000123",
        "body": "Neuer Status: Genehmigt",
        "url": "/antraege/42",
        "tag": "application-42",
        "lang": "de",
    }


def test_english_status_notification():
    payload = _payload(status_label="Approved", language="en")

    assert payload["title"] == "Your application 2025-HUND-000123"
    assert payload["body"] == "New status: Approved"
    assert payload["lang"] == "en"


def test_unknown_language_falls_back_to_german():
    assert _payload(language="fr")["lang"] == "de"
    assert _payload(language="fr")["title"].startswith("Ihr Antrag")


def test_status_label_whitespace_is_collapsed():
    assert _payload(status_label="  In\nBearbeitung \t")["body"] == "Neuer Status: In Bearbeitung"


def test_payload_is_small_and_has_only_the_fixed_fields():
    payload = _payload(status_label="x" * 80)

    assert set(payload) == {"kind", "title", "body", "url", "tag", "lang"}
    assert len(json.dumps(payload).encode()) < STATUS_PAYLOAD_LIMIT


@pytest.mark.parametrize(
    "reference",
    ["", "Max Mustermann", "max@example.org", "2025 HUND", "-123", "A" * 41, "Müller-1"],
)
def test_reference_must_look_like_a_reference_number(reference):
    with pytest.raises(ValueError, match="reference"):
        _payload(reference=reference)


@pytest.mark.parametrize("label", ["", "   ", "x" * 81])
def test_status_label_must_be_short_and_present(label):
    with pytest.raises(ValueError, match="status_label"):
        _payload(status_label=label)


@pytest.mark.parametrize("application_id", ["", "4 2", "../x", "a" * 65])
def test_application_id_must_be_a_plain_identifier(application_id):
    with pytest.raises(ValueError, match="application_id"):
        _payload(application_id=application_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/x",
        "antraege/42",
        "/antraege/42?name=Max",
        "/antraege/42#x",
        "/a b",
        "/\\evil",
        "javascript:alert(1)",
        "/" + "a" * 200,
    ],
)
def test_url_must_be_a_path_inside_the_portal(url):
    with pytest.raises(ValueError, match="path inside the portal"):
        _payload(url=url)


def test_portal_path_accepts_plain_paths():
    assert portal_path("/antraege/2025-HUND-000123") == "/antraege/2025-HUND-000123"


def test_size_guard():
    assert check_size({"a": "b"}) == len('{"a":"b"}')
    with pytest.raises(PayloadTooLarge, match="10 bytes; the limit is 9"):
        check_size({"a": "bc"}, limit=9)
