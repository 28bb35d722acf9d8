"""Day-care places through the API: apply, offer, accept; an offer that expires goes to
the next in line; bad choices are refused field by field; the second parent confirms."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import db
from app.kita import demo, offers
from app.models import (
    Application,
    AuditEvent,
    InboxMessage,
    KitaOffer,
    KitaParentConfirmation,
    NotificationMail,
    User,
)
from app.service_definitions.relative_dates import local_today
from tests.api.engine_helpers import start
from tests.api.service_answers import complete_answers

SERVICE = "daycare_place"


@pytest.fixture
def demo_facilities(app):
    with db.connection_context():
        return {f.name: f.id for f in demo.seed()}


def _answers(choices: list[int], **changes) -> dict:
    answers = complete_answers(SERVICE)
    answers.update(facility_1=str(choices[0]), facility_2="", facility_3="")
    for index, choice in enumerate(choices[1:], start=2):
        answers[f"facility_{index}"] = str(choice)
    answers.update(changes)
    return answers


def _apply(api, choices: list[int], key: str = "k-1", **changes) -> dict:
    draft = start(api, SERVICE, _answers(choices, **changes))
    response = api.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _line(clerk, facility_id: int, group: str = "over_3") -> list[dict]:
    response = clerk.get(f"/api/staff/kita/facilities/{facility_id}/demand")
    assert response.status_code == 200, response.get_json()
    [found] = [g for g in response.get_json()["groups"] if g["age_group"] == group]
    return found["line"]


def test_public_facilities_are_the_form_choices(client, demo_facilities):
    listed = client.get("/api/kita/facilities").get_json()
    assert {f["name"] for f in listed} == set(demo_facilities)
    assert all(f["demo"] for f in listed)
    rurauen = next(f for f in listed if f["name"].startswith("Familienzentrum"))
    assert rurauen["age_groups"] == ["over_3"] and rurauen["hours"] == [35, 45]


def test_apply_offer_accept(signed_in, demo_facilities):
    parent = signed_in("eltern@example.org")
    clerk = signed_in("kita-clerk@example.org", "staff", ("kita",))
    sonne = demo_facilities["Kita Sonnenblume (Demo)"]
    rurauen = demo_facilities["Familienzentrum Rurauen (Demo)"]
    application = _apply(parent, [rurauen, sonne])

    line = _line(clerk, sonne)
    assert [(c["application_id"], c["choice"], c["rank"]) for c in line] == [
        (application["id"], 2, 1)
    ]
    assert line[0]["child_name"] == "Mia Mustermann"
    offer = clerk.post(
        "/api/staff/kita/offers", json={"facility_id": sonne, "application_id": application["id"]}
    )
    assert offer.status_code == 201, offer.get_json()
    offer = offer.get_json()
    assert offer["status"] == "offered" and offer["hours"] == 35 and offer["choice"] == 2
    assert offer["deadline"] >= (local_today() + timedelta(days=14)).isoformat()
    # Out of every line while the offer is open.
    assert _line(clerk, sonne) == [] and _line(clerk, rurauen) == []

    mine = parent.get("/api/kita/offers").get_json()
    assert [o["id"] for o in mine] == [offer["id"]]
    accepted = parent.post(f"/api/kita/offers/{offer['id']}/accept")
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    # Accepted is not "offered": answering again is refused by the table.
    again = parent.post(f"/api/kita/offers/{offer['id']}/decline")
    assert again.status_code == 409 and again.get_json()["code"] == "transition_not_allowed"

    with db.connection_context():
        user = User.get(User.email == "eltern@example.org")
        messages = [
            m.subject for m in InboxMessage.select().where(InboxMessage.kind == "kita_offer")
        ]
        assert messages == [
            "Angebot für einen Kita-Platz: Kita Sonnenblume (Demo)",
            "Sie haben den Kita-Platz angenommen: Kita Sonnenblume (Demo)",
        ]
        mails = list(NotificationMail.select().where(NotificationMail.user == user))
        assert [m.kind for m in mails] == ["kita_offer", "kita_offer"]
        assert AuditEvent.select().where(AuditEvent.action == "kita_demand_viewed").count() >= 1


def test_an_expired_offer_goes_to_the_next_in_line(signed_in, demo_facilities, app):
    first = signed_in("first@example.org")
    second = signed_in("second@example.org")
    clerk = signed_in("kita-clerk@example.org", "staff", ("kita",))
    sonne = demo_facilities["Kita Sonnenblume (Demo)"]
    a = _apply(first, [sonne], key="a")
    b = _apply(second, [sonne], key="b")
    assert [c["application_id"] for c in _line(clerk, sonne)] == [a["id"], b["id"]]
    # Fill all but one over-3 place so that the expiry frees the last one.
    with db.connection_context():
        facility = demo.seed()[0]
        facility.places_over_3 = 1
        facility.save()
    offer = clerk.post(
        "/api/staff/kita/offers", json={"facility_id": sonne, "application_id": a["id"]}
    ).get_json()
    # No second place: the next in line waits.
    full = clerk.post(
        "/api/staff/kita/offers", json={"facility_id": sonne, "application_id": b["id"]}
    )
    assert full.status_code == 409 and full.get_json()["code"] == "kita_no_free_place"

    with db.connection_context():
        last_day = KitaOffer.get_by_id(offer["id"]).deadline
        assert offers.expire_due(app.config, today=last_day) == []  # the last day counts
        made = offers.expire_due(app.config, today=last_day + timedelta(days=1))
        assert [o.application_id for o in made] == [b["id"]]
        assert KitaOffer.get_by_id(offer["id"]).status == "expired"
    late = first.post(f"/api/kita/offers/{offer['id']}/accept")
    assert late.status_code == 409
    [new_offer] = second.get("/api/kita/offers").get_json()
    assert new_offer["status"] == "offered" and new_offer["facility_id"] == sonne
    # The first family is not asked again by the same facility.
    assert _line(clerk, sonne) == []
    with db.connection_context():
        subjects = [
            m.subject
            for m in InboxMessage.select()
            .join(User)
            .where((User.email == "first@example.org") & (InboxMessage.kind == "kita_offer"))
        ]
        assert subjects[-1] == "Angebot verfallen: Kita Sonnenblume (Demo)"


def test_declined_offer_keeps_the_other_choices(signed_in, demo_facilities):
    parent = signed_in("eltern@example.org")
    clerk = signed_in("kita-clerk@example.org", "staff", ("kita",))
    sonne = demo_facilities["Kita Sonnenblume (Demo)"]
    rurauen = demo_facilities["Familienzentrum Rurauen (Demo)"]
    application = _apply(parent, [sonne, rurauen])
    offer = clerk.post(
        "/api/staff/kita/offers", json={"facility_id": sonne, "application_id": application["id"]}
    ).get_json()
    assert parent.post(f"/api/kita/offers/{offer['id']}/decline").get_json()["status"] == "declined"
    assert _line(clerk, sonne) == []
    assert [c["application_id"] for c in _line(clerk, rurauen)] == [application["id"]]


@pytest.mark.parametrize(
    ("choices", "changes", "field", "code"),
    [
        ("rurauen_twice", {}, "facility_2", "kita_choice_repeated"),
        # Rurauen has no under-3 places.
        ("rurauen", {"child_birth_date": "young"}, "facility_1", "kita_age_group_not_offered"),
        # Regenbogen offers 25 and 35 hours only.
        (
            "regenbogen",
            {"weekly_hours": "45", "child_birth_date": "young"},
            "facility_1",
            "kita_hours_not_offered",
        ),
    ],
)
def test_bad_choices_are_refused_per_field(
    signed_in, demo_facilities, choices, changes, field, code
):
    parent = signed_in("eltern@example.org")
    rurauen = demo_facilities["Familienzentrum Rurauen (Demo)"]
    regenbogen = demo_facilities["Kita Regenbogen (Demo)"]
    chosen = {
        "rurauen_twice": [rurauen, rurauen],
        "rurauen": [rurauen],
        "regenbogen": [regenbogen],
    }[choices]
    if changes.get("child_birth_date") == "young":
        changes["child_birth_date"] = (local_today() - timedelta(days=200)).isoformat()
    draft = start(parent, SERVICE, _answers(chosen, **changes))
    response = parent.post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "x"}
    )
    assert response.status_code == 422, response.get_json()
    errors = {e["field"]: e for e in response.get_json()["errors"]}
    assert errors[field]["code"] == code
    assert errors[field]["message"]
    with db.connection_context():
        assert Application.get_by_id(draft["id"]).status == "draft"


def test_second_parent_confirms_from_their_own_account(signed_in, demo_facilities, app):
    parent = signed_in("eltern@example.org")
    other = signed_in("max@example.org")
    sonne = demo_facilities["Kita Sonnenblume (Demo)"]
    from app.kita import confirmation

    application = _apply(parent, [sonne])
    with db.connection_context():
        invited = KitaParentConfirmation.get(
            KitaParentConfirmation.application == application["id"]
        )
        assert invited.email == "max@example.org" and invited.confirmed_at is None
        # The mail's token is not stored; make a fresh invitation to know one.
        invited.delete_instance()
        token = confirmation.invite(Application.get_by_id(application["id"]), app.config)
    assert parent.post("/api/kita/confirmations", json={"token": token}).status_code == 409
    assert other.post("/api/kita/confirmations", json={"token": "wrong"}).status_code == 404
    clerk = signed_in("kita-clerk@example.org", "staff", ("kita",))
    assert _line(clerk, sonne)[0]["second_parent"] == "invited"
    done = other.post("/api/kita/confirmations", json={"token": token})
    assert done.status_code == 200, done.get_json()
    assert _line(clerk, sonne)[0]["second_parent"] == "confirmed"
    with db.connection_context():
        confirmed = KitaParentConfirmation.get(
            KitaParentConfirmation.application == application["id"]
        )
        assert confirmed.confirmed_by.email == "max@example.org"
