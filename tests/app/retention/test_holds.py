"""Legal holds: open payments and refunds and hand-offs on their way keep an application."""

from __future__ import annotations

from datetime import date

from app.applications.yearly_notices import notice_kassenzeichen
from app.db import db
from app.models import HandoffDelivery, Notice, NoticeInstalment, NoticeRefund, Payment
from app.retention import holds, runs
from tests.api.engine_helpers import submitted
from tests.api.test_application_payments import pay
from tests.app.retention.support import exists, later, withdrawn


def _held(application: dict) -> list[str]:
    with db.connection_context():
        return holds.holds([(application["id"], application.get("reference"))]).get(
            application["id"], []
        )


def _run(days: float):
    with db.connection_context():
        return runs.run(later(days))


def test_an_unfinished_fee_payment_holds_an_expired_unpaid_application(signed_in):
    citizen = signed_in("paying@example.org")
    application = submitted(citizen, "civil_status_certificate")
    started = citizen.post(
        "/api/payments",
        json={
            "subject_type": "application",
            "subject_id": application["id"],
            "provider": "sandbox",
            "return_path": f"/antraege/{application['id']}",
        },
    )
    assert started.status_code == 201
    assert _held(application) == ["open_payment"]
    record = _run(91)
    assert exists(application["id"]) and record.held == 1 and record.deleted_drafts == 0
    with db.connection_context():
        Payment.update(state="cancelled").execute()
    assert _held(application) == []
    assert _run(91).deleted_drafts == 1 and not exists(application["id"])


def test_a_paid_fee_is_no_hold(signed_in):
    citizen = signed_in("paid@example.org")
    application = submitted(citizen, "civil_status_certificate")
    pay(citizen, application["id"])
    assert _held(application) == []


def _notice(application: dict, **instalment) -> Notice:
    with db.connection_context():
        notice = Notice.create(
            kind="dog_tax",
            title="Hundesteuer",
            kassenzeichen=notice_kassenzeichen(application["reference"]),
            total_cents=9600,
            issued_on=date(2026, 1, 1),
            source="application",
        )
        NoticeInstalment.create(
            notice=notice, number=1, due_date=date(2026, 2, 15), amount_cents=9600, **instalment
        )
        return notice


def test_an_open_instalment_of_its_notice_holds_a_closed_application(signed_in):
    citizen = signed_in("notice@example.org")
    application = withdrawn(citizen)
    _notice(application)
    assert _held(application) == ["open_payment"]
    assert _run(1096).held == 1 and exists(application["id"])


def test_a_settled_notice_is_no_hold_but_an_unexported_refund_is(signed_in):
    citizen = signed_in("refund@example.org")
    application = withdrawn(citizen)
    notice = _notice(application, paid_at=later(0))
    assert _held(application) == []
    with db.connection_context():
        NoticeRefund.create(notice=notice, amount_cents=800, end_to_end_id="E2E-1")
    assert _held(application) == ["open_refund"]


def test_a_hand_off_on_its_way_or_failed_holds_it(signed_in):
    citizen = signed_in("handoff@example.org")
    application = withdrawn(citizen)
    with db.connection_context():
        delivery = HandoffDelivery.create(
            application=application["id"],
            service_id="waste_bins",
            target_id="fach",
            backend="email",
            moment="submitted",
            state="waiting",
        )
    assert _held(application) == ["pending_handoff"]
    for state, held in (("failed", True), ("rejected", False), ("delivered", False)):
        with db.connection_context():
            HandoffDelivery.update(state=state).where(HandoffDelivery.id == delivery.id).execute()
        assert bool(_held(application)) is held, state
    record = _run(1096)
    assert record.deleted_closed == 1 and not exists(application["id"])
    with db.connection_context():
        assert HandoffDelivery.select().count() == 0  # went with its application
