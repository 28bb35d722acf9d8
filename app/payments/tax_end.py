"""The end of a yearly tax (a dog de-registered): the tax runs to the end of the month,
open instalments after that are reduced or cancelled, and what was paid for later
months is refunded (``app.payments.refunds``)."""

from __future__ import annotations

from datetime import date

from app.accounts import audit
from app.db import db, utcnow
from app.models import Notice, NoticeInstalment
from app.payments import notice_debits, refunds
from app.payments.pro_rata import MONTHS, Period, periods_until, plan_end


def periods_of(notice: Notice) -> list[Period]:
    """The periods the notice charges; a notice issued without them (imported, or made
    by staff) charges its total for the whole year of its first due date."""
    stored = (notice.details or {}).get("periods")
    if stored:
        return [Period.from_dict(item) for item in stored]
    first = notice.instalments.order_by(NoticeInstalment.due_date).first()
    year = first.due_date.year if first else notice.issued_on.year
    return [Period(year, 1, MONTHS, notice.total_cents, notice.total_cents)]


def end_notice(notice: Notice, ends_on: date, annual_after_cents: int = 0) -> Notice:
    """End the tax of ``notice`` with the month of ``ends_on`` (or, with
    ``annual_after_cents``, go on at that yearly rate from the next month).

    Ending again with the same date changes nothing.
    """
    periods = periods_until(periods_of(notice), ends_on, annual_after_cents)
    owed = sum(period.amount_cents for period in periods)
    rows = [
        row
        for row in notice.instalments.order_by(NoticeInstalment.number)
        if row.cancelled_at is None
    ]
    plan = plan_end(owed, [(row.amount_cents, row.paid_at is not None) for row in rows])
    details = dict(notice.details or {})
    # Paid instalments stay paid, so the refund is worked out afresh each time.
    refund = plan.refund_cents
    with db.atomic():
        for row, amount in zip(rows, plan.amounts, strict=True):
            if amount == row.amount_cents:
                continue
            notice_debits.change_debit(row, amount)
            if amount == 0:
                NoticeInstalment.update(cancelled_at=utcnow()).where(
                    NoticeInstalment.id == row.id
                ).execute()
            else:
                NoticeInstalment.update(amount_cents=amount).where(
                    NoticeInstalment.id == row.id
                ).execute()
        details.update(
            periods=[period.to_dict() for period in periods],
            ended_on=_month_end(ends_on).isoformat(),
            refund_cents=refund,
        )
        details.setdefault("original_total_cents", notice.total_cents)
        Notice.update(total_cents=owed, details=details).where(Notice.id == notice.id).execute()
        audit.record(
            "notice_tax_ended",
            None,
            "notice",
            notice.public_id,
            ended_on=details["ended_on"],
            owed_cents=owed,
            refund_cents=plan.refund_cents,
        )
        ended = Notice.get_by_id(notice.id)
        refunds.settle(ended)
    return Notice.get_by_id(notice.id)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
