"""Refunds of notices: what a citizen paid beyond what a notice now asks (the tax ended
early) goes back by SEPA credit transfer.

The account is the one the tax was collected from where the notice ran under a SEPA
mandate; otherwise the citizen names one in the portal. The treasury exports the
refunds that have an account as one pain.001 file (sepaxml), each refund exactly once,
and hands it to the bank. A notice has at most one refund not yet exported: when the
notice changes again, that one is adjusted; what was exported stays as it was.

Events: ``notice.refund_account_needed`` (``notice``, ``refund``) when the citizen must
name an account, ``notice.refund_sent`` (``notice``, ``refund``) once it is exported.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import peewee

from app import events, storage
from app.accounts import audit
from app.db import db, utcnow
from app.errors import DomainError
from app.models import Notice, NoticeRefund, RefundExport, User
from app.payments import sepa

log = logging.getLogger(__name__)

PAIN_VERSION = "pain.001.001.09"
# The states a citizen and the treasury see (derived, not stored).
NEEDS_ACCOUNT = "needs_account"
SCHEDULED = "scheduled"
SENT = "sent"


@dataclass(frozen=True)
class Export:
    """A pain.001 file just written: its record and the refunds in it."""

    record: RefundExport
    refunds: list[NoticeRefund]


def settle(notice: Notice) -> NoticeRefund | None:
    """Bring the notice's open refund in line with what it owes back now.

    ``details.refund_cents`` is what was paid beyond what the notice asks; what earlier
    exports sent back counts against it. Calling it again changes nothing.
    """
    owed_back = int((notice.details or {}).get("refund_cents", 0))
    with db.atomic():
        rows = list(NoticeRefund.select().where(NoticeRefund.notice == notice))
        sent = sum(row.amount_cents for row in rows if row.export_id is not None)
        open_row = next((row for row in rows if row.export_id is None), None)
        pending = owed_back - sent
        if pending < 0:
            # More went back than is owed now (the end date was moved later): the
            # treasury claims it by hand; the portal does not debit on its own.
            audit.record(
                "notice_refund_exceeded", None, "notice", notice.public_id, excess=-pending
            )
        if pending <= 0:
            if open_row is not None:
                _still_open(NoticeRefund.delete().where(NoticeRefund.id == open_row.id))
            _remember(notice)
            return None
        if open_row is not None:
            if open_row.amount_cents != pending:
                _still_open(
                    NoticeRefund.update(amount_cents=pending, updated_at=utcnow()).where(
                        NoticeRefund.id == open_row.id
                    )
                )
                open_row.amount_cents = pending
            _remember(notice)
            return open_row
        refund = NoticeRefund.create(
            notice=notice,
            amount_cents=pending,
            end_to_end_id=_end_to_end_id(),
            **_mandate_account(notice),
        )
        _remember(notice)
        audit.record(
            "notice_refund_recorded",
            None,
            "notice",
            notice.public_id,
            amount_cents=pending,
            account=refund.account_source or "none",
        )
        if not refund.iban:
            events.emit("notice.refund_account_needed", notice=notice, refund=refund)
    return refund


def _mandate_account(notice: Notice) -> dict[str, str]:
    mandate = notice.mandate if notice.mandate_id else None
    if mandate is None:
        return {}
    return {
        "account_holder": mandate.account_holder,
        "iban": mandate.iban,
        "bic": mandate.bic,
        "account_source": "mandate",
    }


def _end_to_end_id() -> str:
    return f"BP-R-{secrets.token_hex(8).upper()}"


def open_refund(notice: Notice) -> NoticeRefund | None:
    """The refund of ``notice`` not yet exported, if there is one."""
    return NoticeRefund.get_or_none((NoticeRefund.notice == notice) & NoticeRefund.export.is_null())


def give_account(
    user: User,
    notice: Notice,
    account_holder: str,
    iban: str,
    countries: list[str] | tuple[str, ...],
) -> NoticeRefund:
    """The citizen names the account for the open refund of their notice.

    Checked like a mandate's account (field errors, nothing stored on a bad value);
    may be changed until the refund is exported.
    """
    if notice.user_id != user.id:
        raise DomainError("not_found", kind="not_found")
    holder = sepa.check_account_holder(account_holder)
    checked = sepa.check_iban(iban, countries)
    with db.atomic():
        refund = open_refund(notice)
        if refund is None:
            raise DomainError("refund_not_open", kind="conflict")
        _still_open(
            NoticeRefund.update(
                account_holder=holder,
                iban=checked.compact,
                bic=checked.bic or "",
                account_source="citizen",
                updated_at=utcnow(),
            ).where(NoticeRefund.id == refund.id)
        )
        _remember(notice)
        audit.record(
            "notice_refund_account_given", user, "notice", notice.public_id, iban=checked.masked
        )
    return NoticeRefund.get_by_id(refund.id)


def _still_open(change: peewee.Query) -> None:
    """Run ``change`` on a refund only if no export took it meanwhile: a refund in a
    file handed to the bank is never changed (and never sent twice)."""
    if change.where(NoticeRefund.export.is_null()).execute() != 1:
        raise DomainError("refund_not_open", kind="conflict")


def _remember(notice: Notice) -> None:
    """Keep the refund's state in the notice's details, so notice lists need no query
    per notice to show it."""
    rows = list(NoticeRefund.select().where(NoticeRefund.notice == notice))
    open_row = next((row for row in rows if row.export_id is None), None)
    sent_rows = [row for row in rows if row.export_id is not None]
    # Read again: another change to the notice (its end) may have come meanwhile, and
    # only the refund's part is ours to write.
    details = dict(Notice.get_by_id(notice.id).details or {})
    if open_row is not None:
        details["refund"] = {
            "state": SCHEDULED if open_row.iban else NEEDS_ACCOUNT,
            "amount_cents": open_row.amount_cents,
            "iban": sepa.mask(open_row.iban) if open_row.iban else None,
            "account_source": open_row.account_source or None,
        }
    elif sent_rows:
        last = max(sent_rows, key=lambda row: row.updated_at)
        details["refund"] = {
            "state": SENT,
            "amount_cents": sum(row.amount_cents for row in sent_rows),
            "iban": sepa.mask(last.iban),
            "account_source": last.account_source or None,
        }
    else:
        details.pop("refund", None)
    Notice.update(details=details).where(Notice.id == notice.id).execute()
    notice.details = details


def summary(notice: Notice) -> dict[str, Any] | None:
    """What the notice says about its refund (state, amount, masked account)."""
    return (notice.details or {}).get("refund")


def due_refunds() -> list[NoticeRefund]:
    """Refunds with an account, not yet exported."""
    return list(
        NoticeRefund.select(NoticeRefund, Notice)
        .join(Notice)
        .where(NoticeRefund.export.is_null() & (NoticeRefund.iban != ""))
        .order_by(NoticeRefund.id)
    )


def build_pain001(
    config: Mapping[str, Any], refunds: list[NoticeRefund], today: date | None = None
) -> tuple[bytes, str]:
    """The pain.001 document transferring ``refunds`` from the city's account, and its
    message id (validated against the schema by sepaxml)."""
    from sepaxml import SepaTransfer

    info = sepa.creditor(config)
    schema = str(config.get("SEPA_TRANSFER_PAIN_VERSION") or PAIN_VERSION)
    debtor: dict[str, Any] = {
        "name": sepa.transliterate(info["name"])[:70],
        "IBAN": info["iban"],
        "batch": True,
        "currency": "EUR",
    }
    if info["bic"]:
        debtor["BIC"] = info["bic"]
    document = SepaTransfer(debtor, schema=schema, clean=True)
    execute_on = sepa.business_day_on_or_after((today or utcnow().date()) + timedelta(days=1))
    for refund in refunds:
        notice = refund.notice
        entry: dict[str, Any] = {
            "name": sepa.transliterate(refund.account_holder)[:70],
            "IBAN": refund.iban,
            "amount": refund.amount_cents,
            "execution_date": execute_on,
            "description": sepa.transliterate(f"Erstattung {notice.kassenzeichen} {notice.title}")[
                :140
            ],
            "endtoend_id": refund.end_to_end_id,
        }
        if refund.bic and schema == "pain.001.001.03":
            entry["BIC"] = refund.bic
        document.add_payment(entry)
    xml = document.export(validate=True, pretty_print=True)
    return xml, document.msg_id


def export_due(config: Mapping[str, Any], actor: User | None = None) -> Export | None:
    """Write every refund that has an account into one pain.001 file in the storage
    (``treasury/<file name>``); None when there is none. Each refund is exported once."""
    with db.atomic():
        refunds = due_refunds()
        if not refunds:
            return None
        xml, message_id = build_pain001(config, refunds)
        file_name = f"pain001-{message_id}.xml"
        record = RefundExport.create(
            message_id=message_id[:35],
            pain_schema=str(config.get("SEPA_TRANSFER_PAIN_VERSION") or PAIN_VERSION),
            file_name=file_name,
            refund_count=len(refunds),
            total_cents=sum(r.amount_cents for r in refunds),
            created_by=actor,
        )
        now = utcnow()
        claimed = (
            NoticeRefund.update(export=record, updated_at=now)
            .where(NoticeRefund.id.in_([r.id for r in refunds]) & NoticeRefund.export.is_null())
            .execute()
        )
        if claimed != len(refunds):
            # Another export took some of them meanwhile: this file is not written.
            raise DomainError("refund_export_running", kind="conflict")
        for refund in refunds:
            refund.export = record
            _remember(refund.notice)
            events.emit("notice.refund_sent", notice=refund.notice, refund=refund)
        storage.for_config(config).put(export_path(config, record), xml)
    return Export(record=record, refunds=refunds)


def export_path(config: Mapping[str, Any], record: RefundExport) -> str:
    """The storage key of an export's pain.001 file."""
    return f"treasury/{record.file_name}"
