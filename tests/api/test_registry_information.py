"""Simple registry information: decided at once on a unique match in the register,
otherwise a clerk decides with the reason noted on the case."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import Application
from app.registry_information.plugin import information_text
from tests.api.engine_helpers import submitted
from tests.api.test_registration_certificate import paid

ERIKA = {
    "family_name": "Mustermann",
    "given_names": "Erika",
    "identified_by": "birth_date",
    "person_birth_date": "1964-08-12",
    "commercial_use": False,
    "truthful": True,
}


@pytest.fixture
def clerk(signed_in):
    return signed_in("melde@example.org", "staff", ("meldewesen",))


def _requested(api, answers: dict, key: str = "submit-1") -> dict:
    application = submitted(api, "registry_information_simple", key=key, answers=answers)
    assert application["status"] == "awaiting_payment"
    paid(application["id"])
    return api.get(f"/api/applications/{application['id']}").get_json()


def _notes(clerk, reference: str) -> list[str]:
    detail = clerk.get(f"/api/staff/applications/{reference}").get_json()
    return [h["message"] for h in detail["history"] if h["kind"] == "note" and h["internal"]]


def test_a_unique_match_is_decided_without_a_clerk(signed_in, clerk):
    citizen = signed_in("auskunft@example.org")
    application = _requested(citizen, ERIKA)
    assert application["status"] == "approved"
    notices = [m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision"]
    assert len(notices) == 1 and notices[0]["subject"].startswith("Melderegisterauskunft")
    pdf = citizen.get(f"/api/documents/{notices[0]['document']['id']}")
    assert pdf.data.startswith(b"%PDF-")
    assert _notes(clerk, application["reference"]) == []
    with db.connection_context():
        text = information_text(Application.get_by_id(application["id"]), "")
    assert text == (
        "Im Melderegister ist folgende Person gemeldet: "
        "Dr. Erika Mustermann, Kaiserplatz 2, 52349 Düren."
    )


def test_the_birth_name_and_an_earlier_address_find_the_person(signed_in):
    citizen = signed_in("geburtsname@example.org")
    answers = {
        **ERIKA,
        "family_name": "Gabler",
        "identified_by": "last_address",
        "last_known_address": {
            "street": "Wirtelstraße",
            "house_number": "5",
            "postal_code": "52349",
            "city": "Düren",
        },
    }
    answers.pop("person_birth_date")
    assert _requested(citizen, answers)["status"] == "approved"


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (
            {**ERIKA, "person_birth_date": "1964-08-13"},
            "keine gemeldete Person passt zu den Angaben",
        ),
        (
            {
                **ERIKA,
                "family_name": "Schmitz",
                "given_names": "Hans",
                "person_birth_date": "1975-05-05",
            },
            "mehrere gemeldete Personen passen zu den Angaben",
        ),
        (
            {
                **ERIKA,
                "family_name": "Beispiel",
                "given_names": "Lena",
                "person_birth_date": "1990-01-01",
            },
            "für die gefundene Person ist eine Auskunftssperre eingetragen",
        ),
    ],
    ids=["no match", "several matches", "information block"],
)
def test_anything_but_a_unique_match_goes_to_a_clerk_with_the_reason(
    signed_in, clerk, answers, reason
):
    citizen = signed_in("unklar@example.org")
    application = _requested(citizen, answers)
    assert application["status"] == "in_review"
    assert _notes(clerk, application["reference"]) == [
        f"Automatische Suche im Melderegister: Entscheidung durch die Sachbearbeitung nötig. "
        f"Grund: {reason}"
    ]
    # The note is for the clerk: the citizen reads only that a clerk decides.
    history = citizen.get(f"/api/applications/{application['id']}").get_json()
    assert reason not in str(history)
    assert not [m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision"]


def test_an_unknown_resident_register_stops_the_portal(other_app, tmp_path, database_url):
    from app.config import ConfigError

    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(tmp_path),
        "DATABASE_URL": database_url,
        "PORTAL_BASE_URL": "http://localhost:5000",
        "RESIDENT_REGISTER": "city_registr",
    }
    with pytest.raises(ConfigError, match="unknown resident register 'city_registr'"):
        other_app(env)
