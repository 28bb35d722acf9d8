"""A notice collected by SEPA direct debit: the mandate the citizen gave with the
application collects every open instalment on its due date.

Each instalment gets a payment (provider ``sepa``, state ``debit_scheduled``) and its
debit, so the treasury's pain.008 export collects it like any other debit. The notice
itself is the pre-notification: it names the mandate, the creditor identifier, the
dates and the amounts before the first collection. The citizen is not asked to pay
such an instalment; it counts as paid once its debit is exported to the bank.
"""

from __future__ import annotations

from typing import Any

from app import links
from app.db import db, utcnow
from app.models import Notice, NoticeInstalment, Payment, PaymentEvent, SepaDebit, SepaMandate, User
from app.payments import payables, sepa, settings, states

DIRECT_DEBIT = "direct_debit"
TRANSFER = "transfer"


def give_mandate(user: User, account_holder: str, iban: str, locale: str = "de") -> SepaMandate:
    """Store the mandate given in a form (account holder and IBAN checked as in the
    payment flow: a bad value is a field error and nothing is stored)."""
    config = settings.current()
    holder = sepa.check_account_holder(account_holder)
    checked = sepa.check_iban(iban, config["SEPA_DEBTOR_COUNTRIES"])
    return sepa.create_mandate(config, user, holder, checked, locale)


def _debit_payment(notice: Notice, row: NoticeInstalment, mandate: SepaMandate) -> Payment:
    now = utcnow()
    payment = Payment.create(
        user=notice.user,
        subject_type="instalment",
        subject_id=str(row.id),
        amount_cents=row.amount_cents,
        purpose=payables.clean_purpose(f"{notice.kassenzeichen} Rate {row.number}"),
        description=f"{notice.title}, Rate {row.number}"[:250],
        kassenzeichen=notice.kassenzeichen,
        provider="sepa",
        state=states.DEBIT_SCHEDULED,
        return_path=links.notice_page(notice.public_id),
        details={
            "notice": notice.public_id,
            "covers": [str(row.id)],
            "mandate_reference": mandate.reference,
            "due_date": row.due_date.isoformat(),
        },
        finished_at=now,
        succeeded_at=now,
    )
    PaymentEvent.create(
        payment=payment,
        source="system",
        from_state=states.CREATED,
        to_state=states.DEBIT_SCHEDULED,
        applied=True,
        details={"mandate_reference": mandate.reference},
    )
    return payment


def collect_by_direct_debit(notice: Notice, mandate: SepaMandate) -> list[SepaDebit]:
    """Schedule a debit under ``mandate`` for every open instalment of ``notice``."""
    config = settings.current()
    debits = []
    with db.atomic():
        for row in notice.instalments.order_by(NoticeInstalment.number):
            if row.paid_at is not None or row.cancelled_at is not None or row.payment_id:
                continue
            payment = _debit_payment(notice, row, mandate)
            debits.append(sepa.schedule_debit(config, payment, mandate, row.due_date))
            NoticeInstalment.update(payment=payment).where(NoticeInstalment.id == row.id).execute()
        Notice.update(collection=DIRECT_DEBIT, mandate=mandate).where(
            Notice.id == notice.id
        ).execute()
    notice.collection, notice.mandate = DIRECT_DEBIT, mandate
    return debits


def debit_of(row: NoticeInstalment) -> SepaDebit | None:
    """The debit that collects ``row`` (None when the citizen pays it themselves)."""
    if not row.payment_id:
        return None
    return SepaDebit.get_or_none(SepaDebit.payment == row.payment_id)


def scheduled_debits(rows: list[NoticeInstalment]) -> dict[int, SepaDebit]:
    """The live debits of ``rows`` by instalment id, read in one query."""
    payment_ids = {row.payment_id: row.id for row in rows if row.payment_id}
    if not payment_ids:
        return {}
    return {
        payment_ids[debit.payment_id]: debit
        for debit in SepaDebit.select().where(
            SepaDebit.payment.in_(list(payment_ids)) & SepaDebit.cancelled_at.is_null()
        )
    }


def change_debit(row: NoticeInstalment, amount_cents: int) -> None:
    """An instalment's new amount (0: cancelled) reaches its debit before export."""
    debit = debit_of(row)
    if debit is None or debit.export_id is not None or debit.cancelled_at is not None:
        return
    if amount_cents <= 0:
        SepaDebit.update(cancelled_at=utcnow()).where(SepaDebit.id == debit.id).execute()
        Payment.update(state=states.CANCELLED, reason_code=states.REASON_CANCELLED_BY_PORTAL).where(
            Payment.id == debit.payment_id
        ).execute()
        return
    SepaDebit.update(amount_cents=amount_cents).where(SepaDebit.id == debit.id).execute()
    Payment.update(amount_cents=amount_cents).where(Payment.id == debit.payment_id).execute()


def mandate_summary(mandate: SepaMandate) -> dict[str, Any]:
    """What a notice says about its mandate (reference, masked IBAN, creditor id)."""
    return {
        "reference": mandate.reference,
        "iban": sepa.mask(mandate.iban),
        "account_holder": mandate.account_holder,
        "creditor_id": mandate.creditor_id,
        "creditor_name": mandate.creditor_name,
    }


def mandate_summaries(mandate_ids: set[int]) -> dict[int, dict[str, Any]]:
    """:func:`mandate_summary` of each mandate in ``mandate_ids``, read in one query."""
    if not mandate_ids:
        return {}
    return {
        mandate.id: mandate_summary(mandate)
        for mandate in SepaMandate.select().where(SepaMandate.id.in_(list(mandate_ids)))
    }
