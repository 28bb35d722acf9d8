"""The demo's hand-off targets: configured by the demo seeding as a city configures its
own (a new published version, by the demo admin), once; shown by real deliveries."""

from __future__ import annotations

import pytest

from app.accounts import users
from app.applications import definitions
from app.db import db
from app.demo import DEMO_ADMIN, seed_demo
from app.demo_handoff import DEMO_TARGETS, seed_demo_handoffs
from app.mail import read_outbox
from app.models import AuditEvent, HandoffDelivery, ServiceDefinitionRecord, User
from app.service_definitions import load_builtin
from tests.api.engine_helpers import submitted
from tests.api.service_answers import complete_answers
from tests.api.test_application_payments import pay
from tests.handoff.support import publish_with, recording, target
from tests.push.portal import set_config

SERVICES = (
    "civil_status_certificate",
    "dog_tax_deregistration",
    "business_registration",
    "business_change",
    "business_deregistration",
)


def _versions() -> list[tuple[str, int, str]]:
    with db.connection_context():
        return [
            (record.service_id, record.version, record.state)
            for record in ServiceDefinitionRecord.select()
            .where(ServiceDefinitionRecord.service_id.in_(SERVICES))
            .order_by(ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version)
        ]


def test_seed_demo_gives_the_services_their_targets_once(app):
    shipped = load_builtin()
    before = _versions()
    seed_demo()
    with db.connection_context():
        admin = User.get(User.email == DEMO_ADMIN)
        for service_id in SERVICES:
            newest = definitions.published(service_id)
            assert newest.version == shipped[service_id].version + 1
            assert newest.data["handoff"] == list(DEMO_TARGETS[service_id])
            # Otherwise the shipped definition, as the console's copy would be.
            rest = {k: v for k, v in newest.data.items() if k not in ("handoff", "version")}
            assert rest == {k: v for k, v in shipped[service_id].data.items() if k != "version"}
            assert (newest.source, newest.created_by_id) == ("admin", admin.id)
            actions = {
                event.action
                for event in AuditEvent.select().where(
                    (AuditEvent.subject_id == f"{service_id}@{newest.version}")
                    & (AuditEvent.actor == admin)
                )
            }
            assert actions == {"definition_created", "definition_published"}
    added = sorted(set(_versions()) - set(before))
    assert added == sorted(
        (service_id, shipped[service_id].version + 1, "published") for service_id in SERVICES
    )

    seed_demo()  # again: the newest versions already hand off, nothing is published
    assert sorted(set(_versions()) - set(before)) == added
    with db.connection_context():
        assert seed_demo_handoffs(User.get(User.email == DEMO_ADMIN)) == []


def test_the_demo_shows_deliveries(app, signed_in):
    seed_demo()
    citizen = signed_in("demo.handoff@example.org")
    request = submitted(citizen, "civil_status_certificate")
    mailbox = DEMO_TARGETS["civil_status_certificate"][0]["settings"]["to"]
    # Paid first: the registry office hears of the request once it is paid.
    assert read_outbox(app.config["INSTANCE_PATH"], mailbox) == []
    pay(citizen, request["id"])
    [mail] = read_outbox(app.config["INSTANCE_PATH"], mailbox)
    assert mail["subject"].startswith(f"[Urkunde] Antrag {request['reference']}")
    deregistration = submitted(citizen, "dog_tax_deregistration", "dereg")
    with db.connection_context():
        rows = {
            row.service_id: row
            for row in HandoffDelivery.select().where(
                HandoffDelivery.application.in_([request["id"], deregistration["id"]])
            )
        }
    assert (rows["civil_status_certificate"].backend, rows["civil_status_certificate"].state) == (
        "email",
        "delivered",
    )
    fit = rows["dog_tax_deregistration"]
    assert (fit.backend, fit.state, fit.progress["simulated"]) == ("fit_connect", "accepted", True)


def test_a_decided_trade_registration_reaches_fit_connect_with_its_data_set(app, signed_in):
    seed_demo()
    owner = signed_in("demo.gewerbe@example.org")
    clerk = signed_in("demo.gewerbeamt@example.org", "staff", ("gewerbe",))
    with db.connection_context():
        User.update(trust_level="high").where(User.email == "demo.gewerbe@example.org").execute()
    application = submitted(
        owner, "business_registration", answers=complete_answers("business_registration")
    )
    pay(owner, application["id"])
    with db.connection_context():
        # Handed on only once the trade office has decided.
        assert (
            not HandoffDelivery.select()
            .where(HandoffDelivery.application == application["id"])
            .exists()
        )
    response = clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions", json={"to": "approved"}
    )
    assert response.status_code == 200, response.get_json()
    with db.connection_context():
        [delivery] = HandoffDelivery.select().where(
            HandoffDelivery.application == application["id"]
        )
    assert (delivery.backend, delivery.target_id, delivery.state) == (
        "fit_connect",
        "gewerbe_weitergabe",
        "accepted",
    )
    assert delivery.progress["simulated"] is True


def test_a_city_s_own_targets_stay_and_a_draft_keeps_its_number(app):
    with recording():
        publish_with("civil_status_certificate", target("fach"))
        with db.connection_context():
            own = definitions.published("civil_status_certificate")
            admin = User.get(User.email == "handoff-admin@example.org")
            draft = own.data | {"version": own.version + 1}
            definitions.create_version(draft, admin)
        seed_demo()
        with db.connection_context():
            newest = definitions.published("civil_status_certificate")
            assert newest.version == own.version + 2
            assert [item["id"] for item in newest.data["handoff"]] == [
                "fach",
                "standesamt_postfach",
            ]


def test_production_gets_none_of_the_demo_targets(app, monkeypatch):
    with db.connection_context():
        admin = users.create_user("prod-admin@example.org", "admin")
    before = _versions()
    set_config(app, monkeypatch, PORTAL_ENV="production")
    with db.connection_context():
        assert seed_demo_handoffs(admin) == []
    assert _versions() == before


@pytest.mark.parametrize("service_id", SERVICES)
def test_the_demo_targets_load(service_id):
    from app.service_definitions import parse_definition

    data = load_builtin()[service_id].as_dict() | {"handoff": list(DEMO_TARGETS[service_id])}
    assert parse_definition(data).data["handoff"] == list(DEMO_TARGETS[service_id])
