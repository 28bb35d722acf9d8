"""Legal holds: what keeps an expired application, whatever its retention says.

* ``open_payment``: a payment of its fee not finished yet, or a notice its decision
  issued with an instalment neither paid nor cancelled (or a payment of that notice
  still under way): the treasury still books against it.
* ``open_refund``: money owed back on such a notice and not yet handed to the treasury.
* ``pending_handoff``: a hand-off to a specialist system still on its way, or failed and
  waiting for staff to send it again: the receiving office does not have it yet.

A held application stays until its hold ends; the next run looks again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from app.applications.yearly_notices import notice_kassenzeichen
from app.handoff import states as handoff_states
from app.models import HandoffDelivery, Notice, NoticeInstalment, NoticeRefund, Payment
from app.payments import states as payment_states

REASONS = ("open_payment", "open_refund", "pending_handoff")
UNFINISHED_PAYMENTS = tuple(
    state for state in payment_states.INTERNAL_STATES if not payment_states.is_finished(state)
)
# A failed hand-off waits for "send again": the receiver never got the application.
HOLDING_HANDOFFS = (*handoff_states.OPEN, "failed")


def holds(applications: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """The holds on each of ``applications`` (id, reference): only held ids appear."""
    pairs = list(applications)
    ids = [application_id for application_id, _ in pairs]
    found: dict[str, set[str]] = defaultdict(set)
    if not ids:
        return {}
    for payment in Payment.select(Payment.subject_id).where(
        (Payment.subject_type == "application")
        & Payment.subject_id.in_(ids)
        & Payment.state.in_(UNFINISHED_PAYMENTS)
    ):
        found[payment.subject_id].add("open_payment")
    by_kassenzeichen = {
        notice_kassenzeichen(reference): application_id
        for application_id, reference in pairs
        if reference
    }
    if by_kassenzeichen:
        _notice_holds(by_kassenzeichen, found)
    for delivery in HandoffDelivery.select(HandoffDelivery.application).where(
        HandoffDelivery.application.in_(ids) & HandoffDelivery.state.in_(HOLDING_HANDOFFS)
    ):
        found[delivery.application_id].add("pending_handoff")
    return {application_id: sorted(reasons) for application_id, reasons in found.items()}


def _notice_holds(by_kassenzeichen: dict[str, str], found: dict[str, set[str]]) -> None:
    notices = list(
        Notice.select(Notice.id, Notice.public_id, Notice.kassenzeichen).where(
            (Notice.source == "application") & Notice.kassenzeichen.in_(list(by_kassenzeichen))
        )
    )
    if not notices:
        return
    owner = {notice.id: by_kassenzeichen[notice.kassenzeichen] for notice in notices}
    for instalment in NoticeInstalment.select(NoticeInstalment.id, NoticeInstalment.notice).where(
        NoticeInstalment.notice.in_(list(owner))
        & NoticeInstalment.paid_at.is_null()
        & NoticeInstalment.cancelled_at.is_null()
    ):
        found[owner[instalment.notice_id]].add("open_payment")
    for refund in NoticeRefund.select(NoticeRefund.notice).where(
        NoticeRefund.notice.in_(list(owner)) & NoticeRefund.export.is_null()
    ):
        found[owner[refund.notice_id]].add("open_refund")
    subjects = [("notice", notice.public_id, notice.id) for notice in notices] + [
        ("instalment", str(instalment.id), instalment.notice_id)
        for instalment in NoticeInstalment.select(
            NoticeInstalment.id, NoticeInstalment.notice
        ).where(NoticeInstalment.notice.in_(list(owner)))
    ]
    notice_of = {(kind, subject): notice_id for kind, subject, notice_id in subjects}
    for payment in Payment.select(Payment.subject_type, Payment.subject_id).where(
        Payment.subject_type.in_(["notice", "instalment"])
        & Payment.subject_id.in_([subject for _, subject, _ in subjects])
        & Payment.state.in_(UNFINISHED_PAYMENTS)
    ):
        notice_id = notice_of.get((payment.subject_type, payment.subject_id))
        if notice_id is not None:
            found[owner[notice_id]].add("open_payment")
