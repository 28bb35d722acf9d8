"""The citizen hears of a refund in the inbox: when an account is needed for it, and
when it was transferred (``app.payments.refunds`` announces both)."""

from __future__ import annotations

from app import events
from app.applications import inbox
from app.i18n import LOCALES, Text
from app.models import Notice, NoticeRefund
from app.payments import sepa


def _amount(cents: int) -> dict[str, str]:
    # Rendered in the reader's language when the message is shown.
    return {lang: sepa.format_amount(cents, lang) for lang in LOCALES}


def announce_account_needed(notice: Notice, refund: NoticeRefund) -> None:
    """Ask the citizen for the account to transfer the refund to."""
    if notice.user is None:
        return
    inbox.post(
        notice.user,
        "notice",
        Text("applications.inbox.refund_account_subject", kassenzeichen=notice.kassenzeichen),
        Text("applications.inbox.refund_account_body", amount=_amount(refund.amount_cents)),
    )


def announce_sent(notice: Notice, refund: NoticeRefund) -> None:
    """Tell the citizen the refund is on its way, and to which account."""
    if notice.user is None:
        return
    inbox.post(
        notice.user,
        "notice",
        Text("applications.inbox.refund_sent_subject", kassenzeichen=notice.kassenzeichen),
        Text(
            "applications.inbox.refund_sent_body",
            amount=_amount(refund.amount_cents),
            iban=sepa.mask(refund.iban),
        ),
    )


def register_builtin() -> None:
    """Post refund messages to the inbox. Calling it again changes nothing."""
    events.subscribe("notice.refund_account_needed")(announce_account_needed)
    events.subscribe("notice.refund_sent")(announce_sent)
