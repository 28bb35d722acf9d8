"""Business services through the API: a clerk's decision updates the trade register,
the simple register information is answered from it automatically, the extended one
reaches a clerk, and the hand-off carries the XGewerbeanzeige-shaped data set."""

from __future__ import annotations

import json

import pytest

from api.handoff_schema import HandoffApplicationSchema
from app.db import db
from app.gewerbe.plugin import information_text
from app.handoff import document
from app.models import Application, AuditEvent, BusinessRegisterEntry, User
from tests.api.engine_helpers import submitted
from tests.api.service_answers import complete_answers
from tests.api.test_registration_certificate import paid

QUEUE = "/api/staff/applications"


@pytest.fixture
def clerk(signed_in):
    return signed_in("gewerbeamt@example.org", "staff", ("gewerbe",))


@pytest.fixture
def owner(signed_in):
    api = signed_in("inhaberin@example.org")
    with db.connection_context():
        User.update(trust_level="high").where(User.email == "inhaberin@example.org").execute()
    return api


def _paid(api, service_id: str, answers: dict, key: str = "submit-1") -> dict:
    application = submitted(api, service_id, key=key, answers=answers)
    assert application["status"] == "awaiting_payment"
    paid(application["id"])
    return api.get(f"/api/applications/{application['id']}").get_json()


def _approve(clerk, reference: str) -> None:
    response = clerk.post(f"{QUEUE}/{reference}/transitions", json={"to": "approved"})
    assert response.status_code == 200, response.get_json()


def _entries() -> list[BusinessRegisterEntry]:
    with db.connection_context():
        return list(BusinessRegisterEntry.select().order_by(BusinessRegisterEntry.id))


def _registered(owner, clerk) -> BusinessRegisterEntry:
    application = _paid(owner, "business_registration", complete_answers("business_registration"))
    assert application["status"] == "submitted"
    assert _entries() == []  # nothing is registered before a clerk decides
    _approve(clerk, application["reference"])
    [entry] = _entries()
    return entry


def test_a_decided_registration_enters_the_business(owner, clerk):
    entry = _registered(owner, clerk)
    assert entry.status == "active"
    assert entry.name == "Mustermann Bau GmbH"
    assert (entry.street, entry.house_number) == ("Tivolistraße", "40")
    assert entry.number.startswith("G-") and len(entry.number) == 12
    assert entry.persons == [
        {"family_name": "Mustermann", "given_names": "Erika", "role": "managing_director"}
    ]
    assert entry.branches[0]["address"]["city"] == "Köln"
    # The acknowledgement names the register number.
    notices = [m for m in owner.get("/api/inbox").get_json() if m["kind"] == "decision"]
    assert len(notices) == 1


def test_a_rejected_registration_enters_nothing(owner, clerk):
    application = _paid(owner, "business_registration", complete_answers("business_registration"))
    response = clerk.post(
        f"{QUEUE}/{application['reference']}/transitions",
        json={"to": "rejected", "message": "Die Tätigkeit ist erlaubnispflichtig."},
    )
    assert response.status_code == 200, response.get_json()
    assert _entries() == []


def test_change_and_closing_update_the_register_after_the_decision(owner, clerk, signed_in):
    entry = _registered(owner, clerk)
    change = complete_answers("business_change")
    change.update(
        business_entry_number=entry.number,
        legal_form="gmbh",
        company_name="Mustermann Bau GmbH",
        register_court="Amtsgericht Düren",
        register_number="HRB 1234",
        business_address={"street": "Tivolistraße", "house_number": "40"},
        new_business_address={"street": "Oberstraße", "house_number": "7"},
    )
    application = _paid(owner, "business_change", change, key="change-1")
    with db.connection_context():
        assert BusinessRegisterEntry.get_by_id(entry.id).street == "Tivolistraße"
    _approve(clerk, application["reference"])
    with db.connection_context():
        changed = BusinessRegisterEntry.get_by_id(entry.id)
    assert (changed.street, changed.house_number) == ("Oberstraße", "7")
    assert [h["kind"] for h in changed.history] == ["registration", "relocation"]

    # Anyone finds it at the new address now, not at the old one.
    asker = signed_in("nachbar@example.org")
    found = _paid(
        asker,
        "business_information_simple",
        {
            "query_name": "Mustermann Bau",
            "query_address": {"street": "Oberstraße", "house_number": "7"},
            "truthful": True,
        },
        key="info-1",
    )
    assert found["status"] == "approved"

    closing = complete_answers("business_deregistration")
    closing.update(
        business_entry_number=entry.number,
        legal_form="gmbh",
        company_name="Mustermann Bau GmbH",
        register_court="Amtsgericht Düren",
        register_number="HRB 1234",
        business_address={"street": "Oberstraße", "house_number": "7"},
        closing_reason="closure",
        closure_cause="economic",
    )
    closing.pop("new_owner")
    application = _paid(owner, "business_deregistration", closing, key="close-1")
    assert application["fee_cents"] == 1500
    _approve(clerk, application["reference"])
    with db.connection_context():
        closed = BusinessRegisterEntry.get_by_id(entry.id)
    assert closed.status == "closed"
    assert closed.end_date.isoformat() == closing["end_date"]
    assert closed.closing_reason == "closure"

    # A closed business is no longer given out automatically.
    again = _paid(
        asker,
        "business_information_simple",
        {
            "query_name": "Mustermann Bau",
            "query_address": {"street": "Oberstraße", "house_number": "7"},
            "truthful": True,
        },
        key="info-2",
    )
    assert again["status"] == "in_review"


def test_a_change_of_a_business_the_portal_never_registered_creates_its_entry(owner, clerk):
    answers = complete_answers("business_change")
    answers.pop("business_entry_number")
    answers.update(change_kind="activity_extension", new_activity="Schreibwaren und Bücher")
    answers.pop("new_business_address")
    application = _paid(owner, "business_change", answers)
    _approve(clerk, application["reference"])
    [entry] = _entries()
    assert entry.name == "Erika Mustermann" and entry.trade_name == "Erikas Laden"
    assert entry.activity == "Schreibwaren und Bücher"


def test_simple_information_is_answered_automatically_with_its_fee(signed_in, clerk):
    citizen = signed_in("auskunft@example.org")
    application = _paid(
        citizen,
        "business_information_simple",
        complete_answers("business_information_simple"),
    )
    assert application["fee_cents"] == 1000
    assert application["status"] == "approved"
    notices = [m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision"]
    assert len(notices) == 1
    assert citizen.get(f"/api/documents/{notices[0]['document']['id']}").data.startswith(b"%PDF-")
    with db.connection_context():
        text = information_text(Application.get_by_id(application["id"]), "")
    assert text == (
        "Im Gewerberegister ist folgender Betrieb eingetragen: Muster Elektro Demo OHG, "
        "Oberstraße 12, 52349 Düren. Angezeigte Tätigkeit: Elektroinstallation, "
        "Verkauf von Elektrogeräten"
    )


@pytest.mark.parametrize(
    ("name", "address", "reason"),
    [
        (
            "Demo Kiosk Nord",
            {"street": "Kaiserplatz", "house_number": "9"},
            "mehrere angemeldete Betriebe passen zu den Angaben",
        ),
        (
            "Altbeispiel Schreinerei",
            {"street": "Markt", "house_number": "7"},
            "kein angemeldeter Betrieb passt zu den Angaben",
        ),
        (
            "Muster Elektro",
            {"street": "Oberstraße", "house_number": "13"},
            "kein angemeldeter Betrieb passt zu den Angaben",
        ),
    ],
    ids=["several matches", "closed business", "wrong house number"],
)
def test_anything_but_one_active_match_goes_to_a_clerk(signed_in, clerk, name, address, reason):
    citizen = signed_in("unklar@example.org")
    application = _paid(
        citizen,
        "business_information_simple",
        {"query_name": name, "query_address": address, "truthful": True},
    )
    assert application["status"] == "in_review"
    detail = clerk.get(f"{QUEUE}/{application['reference']}").get_json()
    notes = [h["message"] for h in detail["history"] if h["kind"] == "note" and h["internal"]]
    assert notes == [
        "Automatische Suche im Gewerberegister: Entscheidung durch die Sachbearbeitung "
        f"nötig. Grund: {reason}"
    ]
    assert reason not in str(citizen.get(f"/api/applications/{application['id']}").get_json())


def test_extended_information_reaches_a_clerk_who_decides(signed_in, clerk):
    citizen = signed_in("glaeubiger@example.org")
    application = _paid(
        citizen,
        "business_information_extended",
        complete_answers("business_information_extended"),
    )
    assert application["fee_cents"] == 1500
    assert application["status"] == "submitted"  # no automatic answer
    queue = clerk.get(QUEUE).get_json()
    assert application["reference"] in [item["reference"] for item in queue["items"]]
    detail = clerk.get(f"{QUEUE}/{application['reference']}")
    assert detail.status_code == 200
    with db.connection_context():
        assert AuditEvent.select().where(AuditEvent.action.contains("view")).exists()
    # A clerk of another area does not see it.
    other = signed_in("hundesteuer@example.org", "staff", ("hundesteuer",))
    assert other.get(f"{QUEUE}/{application['reference']}").status_code in (403, 404)
    response = clerk.post(
        f"{QUEUE}/{application['reference']}/transitions",
        json={"to": "approved", "message": "Inhaber laut Gewerberegister: Max Mustermann."},
    )
    assert response.status_code == 200, response.get_json()
    notices = [m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision"]
    assert len(notices) == 1


def test_the_hand_off_carries_the_xgewerbeanzeige_data_set(owner, clerk):
    application = _paid(owner, "business_registration", complete_answers("business_registration"))
    _approve(clerk, application["reference"])
    with db.connection_context():
        data = document.build(Application.get_by_id(application["id"])).data
        number = BusinessRegisterEntry.get().number
    plain = json.loads(json.dumps(data))
    assert HandoffApplicationSchema().validate(plain) == {}
    xga = plain["service_data"]["xgewerbeanzeige"]
    assert (xga["standard"], xga["version"], list(xga["satz"])) == (
        "XGewerbeanzeige",
        "2.2",
        ["anmeldung"],
    )
    satz = xga["satz"]["anmeldung"]
    assert satz["gemeindeMeldungNr"] == application["reference"]
    assert satz["gewerbebetriebID"] == number
    assert satz["gueltigAb"] == complete_answers("business_registration")["start_date"]
    gewerbe = satz["gewerbe"]
    assert gewerbe["betrieb"] == {
        "eingetragenerName": "Mustermann Bau GmbH",
        "eintragungNr": "1234",
        "eintragungArt": {"code": "B"},
        "eintragungOrt": "Amtsgericht Düren",
        "rechtsform": {"portalWert": "gmbh"},
    }
    assert gewerbe["betriebArt"]["handwerk"] == {"code": "1"}
    assert gewerbe["betriebArt"]["handel"] == {"code": "0"}
    assert gewerbe["niederlassungArt"] == {"code": "1"}
    assert gewerbe["anschrift"]["strasse"] == "Tivolistraße"
    assert gewerbe["beteiligtePerson"][0]["geburtsdatum"] == "12081964"
    assert gewerbe["anzahlVollzeitBeschaeftigte"] == 4
    assert satz["taetigkeitenGesamt"]["schwerpunkt"]["taetigkeitSchwerpunkt"].startswith("Hochbau")
    assert satz["grundAnmeldung"] == {"portalWert": "takeover"}


def test_other_services_hand_off_no_service_data(signed_in):
    citizen = signed_in("abfall@example.org")
    application = submitted(citizen, "waste_bins")
    with db.connection_context():
        data = document.build(Application.get_by_id(application["id"])).data
    assert data["service_data"] == {}
