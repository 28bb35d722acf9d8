"""A citizen reading in English gets English: inbox, payments, applications, notices.

The account's language (used for e-mail) stays German here on purpose: what the portal
shows must follow the language the citizen reads in, not what was set when a text
was produced.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.applications import definitions
from app.db import db
from tests.api.engine_helpers import submitted
from tests.payments.helpers import create_notice, sandbox_decide

# Words of the portal's German texts that never appear in its English ones.
GERMAN_WORDS = (
    "Antrag",
    "Anträge",
    "Ihr",
    "Ihre",
    "Ihren",
    "Zahlungsbeleg",
    "Eingangsbestätigung",
    "Rate",
    "Bescheid",
    "Gebühr",
    "eingegangen",
    "bezahlt",
    "Status",
    "geändert",
    "erhalten",
    "Sie",
    "und",
    "für",
    "mit",
    "der",
    "die",
    "das",
)
_WORD = re.compile(r"[^\W\d_]+")


def _german_titles() -> set[str]:
    with db.connection_context():
        return {record.data["title"]["de"] for record in definitions.catalogue()}


def _texts(value: Any, skip: tuple[str, ...]) -> list[str]:
    """Every string in a JSON answer, except the given keys (data, not UI text)."""
    if isinstance(value, dict) and value and set(value) <= {"de", "en"}:
        # A text in both languages (service titles): the PWA shows the English one.
        return _texts(value.get("en"), skip)
    if isinstance(value, dict):
        return [t for key, item in value.items() if key not in skip for t in _texts(item, skip)]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item, skip)]
    return [value] if isinstance(value, str) else []


def _german_in(texts: list[str], titles: set[str]) -> list[str]:
    found = []
    for text in texts:
        words = set(_WORD.findall(text))
        found += [f"{word!r} in {text!r}" for word in GERMAN_WORDS if word in words]
        found += [f"title {title!r} in {text!r}" for title in titles if title in text]
    return found


@pytest.fixture
def english_citizen(signed_in, make_client):
    """A German account (locale ``de``) with an application, a payment and a notice."""
    german = signed_in("reader@example.org")
    application = submitted(german, "civil_status_certificate")
    started = german.post(
        "/api/payments",
        json={
            "subject_type": "application",
            "subject_id": application["id"],
            "provider": "sandbox",
            "return_path": "/",
        },
    ).get_json()
    sandbox_decide(german, started, "pay")
    staff = signed_in("kasse@example.org", role="staff", areas=("kasse",))
    notice = create_notice(
        staff, "reader@example.org", title="HST 2027", kassenzeichen="HST-2027-0001"
    )
    instalment = german.post(
        "/api/payments",
        json={
            "subject_type": "instalment",
            "subject_id": str(notice["instalments"][0]["id"]),
            "provider": "sandbox",
            "return_path": "/",
        },
    ).get_json()
    sandbox_decide(german, instalment, "pay")
    english = signed_in("reader@example.org")
    english.lang = "en"
    return english, application


# Keys that carry data rather than text: references, ids, the city's own names of
# things typed by staff, raw answers, German titles kept alongside English ones.
_DATA = (
    "id",
    "answers",
    "filename",
    "purpose",  # the bank transfer's reference line, fixed by the treasury
    "kassenzeichen",
    "title_de",
    "leichte_sprache_title",  # Leichte Sprache is German in every language
)


def test_inbox_payments_applications_and_notices_answer_in_english(english_citizen):
    api, application = english_citizen
    titles = _german_titles()
    answers = {
        "inbox": api.get("/api/inbox").get_json(),
        "payments": api.get("/api/payments").get_json(),
        "applications": api.get("/api/applications").get_json(),
        "application": api.get(f"/api/applications/{application['id']}").get_json(),
        "notices": api.get("/api/notices").get_json(),
        "services": api.get("/api/services").get_json(),
    }
    notice_id = answers["notices"][0]["id"]
    answers["notice"] = api.get(f"/api/notices/{notice_id}").get_json()
    assert answers["inbox"] and len(answers["payments"]) == 2 and answers["notices"]
    titles_of_documents = {m["document"]["title"] for m in answers["inbox"] if m["document"]}
    assert {"Payment receipt", "Acknowledgement with payment receipt"} <= titles_of_documents
    # The notice: staff's own title, the portal's own words in English around it.
    assert "HST 2027, instalment 1" in [p["description"] for p in answers["payments"]]
    problems = {name: _german_in(_texts(body, _DATA), titles) for name, body in answers.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_german_stays_the_default(english_citizen):
    api, _application = english_citizen
    api.lang = "de"
    subjects = [m["subject"] for m in api.get("/api/inbox").get_json()]
    assert "Ihr Zahlungsbeleg" in subjects
    assert any(s.startswith("Eingangsbestätigung") for s in subjects)
    descriptions = [p["description"] for p in api.get("/api/payments").get_json()]
    assert "HST 2027, Rate 1" in descriptions
    assert any(d.startswith("Geburts-, Ehe- oder Sterbeurkunde anfordern (") for d in descriptions)


def test_system_entries_of_the_history_read_in_the_readers_language(english_citizen):
    from app.applications import lifecycle
    from app.i18n import Text
    from app.models import Application

    api, application = english_citizen
    with db.connection_context():
        lifecycle.record_event(
            Application.get_by_id(application["id"]),
            "status",
            None,
            "system",
            message=Text("parking.inbox.completed"),
        )
    path = f"/api/applications/{application['id']}/events"
    english = api.get(path).get_json()[-1]["message"]
    api.lang = "de"
    german = api.get(path).get_json()[-1]["message"]
    assert english and german and english != german
    assert not _german_in([english], set())
