"""Open notices (Bezahlplattform): invoices and notices a citizen pays in the portal.

Staff create a notice for a citizen (API) or the finance system's CSV is imported: a
title, the Kassenzeichen, and one or more instalments with due date and amount (the dog
tax: four instalments on 15 Feb, 15 May, 15 Aug, 15 Nov). The citizen pays the whole
notice (``subject_type="notice"``, every open instalment) or one instalment
(``subject_type="instalment"``) with any provider. A succeeded payment settles the
instalments it covered; paying something already paid is flagged as a duplicate.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from peewee import JOIN

from app import events
from app.accounts import audit
from app.db import db, iso, utcnow
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.models import Notice, NoticeInstalment, Payment, User
from app.payments import notice_areas, notice_debits, payables
from app.payments.kassenzeichen import KASSENZEICHEN_PATTERN
from app.payments.payables import Payable, PayableItem, clean_purpose
from app.prepared import PreparedSelect

SUBJECTS = ("notice", "instalment")
KINDS = ("dog_tax", "property_tax", "waste_fees", "trade_tax", "fee", "other")
MAX_INSTALMENTS = 12
MAX_NOTICE_CENTS = 99_999_999
MAX_IMPORT_ROWS = 5000


@dataclass
class InstalmentInput:
    due_date: date
    amount_cents: int


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


def quarterly_instalments(
    year: int, total_cents: int, due_dates: list[str] | tuple[str, ...]
) -> list[InstalmentInput]:
    """Split ``total_cents`` over the yearly due dates (``MM-DD``); the first instalment
    takes the cents that do not divide evenly (84 € -> 4 × 21 €)."""
    days = [date(year, int(d[:2]), int(d[3:5])) for d in due_dates]
    share, rest = divmod(total_cents, len(days))
    return [
        InstalmentInput(day, share + (rest if index == 0 else 0)) for index, day in enumerate(days)
    ]


def _fail(errors: list[FieldError]) -> DomainError:
    return DomainError("invalid_input", field_errors=errors)


def require_kind_allowed(actor: User | None, kind: str) -> None:
    """Refuse (403, naming the field) a clerk issuing a notice of a kind outside their
    areas. ``actor`` None is the system itself (the CLI, a decided application)."""
    if actor is not None and kind in KINDS and not notice_areas.may_handle(actor, kind, KINDS):
        raise DomainError(
            "notice_kind_not_allowed",
            kind="forbidden",
            field_errors=[FieldError("kind", "notice_kind_not_your_area")],
        )


def find_for_staff(
    actor: User, kassenzeichen: str | None = None, email: str | None = None, limit: int = 50
) -> list[Notice]:
    """Notices a clerk may see, by Kassenzeichen or the citizen's e-mail address."""
    allowed = notice_areas.allowed_kinds(actor, KINDS)
    # With the citizen: the list shows each notice's e-mail address.
    select = Notice.select(Notice, User).join(User, JOIN.LEFT_OUTER, on=(Notice.user == User.id))
    if allowed is not None:
        # Kinds outside the clerk's areas are as good as not there.
        select = select.where(Notice.kind.in_(list(allowed) or [""]))
    if kassenzeichen:
        select = select.where(Notice.kassenzeichen == kassenzeichen)
    if email:
        select = select.where(User.email == email.strip().lower())
    return list(select.order_by(Notice.id.desc()).limit(limit))


def validate_notice(
    kind: str, title: str, kassenzeichen: str, instalments: list[InstalmentInput]
) -> list[FieldError]:
    """Field errors of a notice (empty when fine)."""
    errors = []
    if kind not in KINDS:
        errors.append(FieldError("kind", "invalid_choice"))
    if not title or len(title) > 200:
        errors.append(FieldError("title", "invalid_value"))
    if not KASSENZEICHEN_PATTERN.match(kassenzeichen or ""):
        errors.append(FieldError("kassenzeichen", "notice_kassenzeichen"))
    if not instalments or len(instalments) > MAX_INSTALMENTS:
        errors.append(FieldError("instalments", "notice_instalments_count"))
    else:
        for index, item in enumerate(instalments):
            if not isinstance(item.amount_cents, int) or not (
                0 < item.amount_cents <= MAX_NOTICE_CENTS
            ):
                errors.append(
                    FieldError(f"instalments.{index}.amount_cents", "payment_amount_range")
                )
        days = [i.due_date for i in instalments]
        if days != sorted(days) or len(set(days)) != len(days):
            errors.append(FieldError("instalments", "notice_due_dates_order"))
        if sum(i.amount_cents for i in instalments) > MAX_NOTICE_CENTS:
            errors.append(FieldError("instalments", "payment_amount_range"))
    return errors


def create_notice(
    user: User,
    *,
    kind: str,
    title: str,
    kassenzeichen: str,
    instalments: list[InstalmentInput],
    actor: User | None,
    description: str = "",
    issued_on: date | None = None,
    source: str = "staff",
) -> Notice:
    """Create a notice with its instalments; the citizen sees it at once."""
    kassenzeichen = (kassenzeichen or "").strip()
    errors = validate_notice(kind, title, kassenzeichen, instalments)
    if len(description or "") > 2000:
        errors.append(FieldError("description", "invalid_value"))
    if errors:
        raise _fail(errors)
    require_kind_allowed(actor, kind)
    if Notice.select().where(Notice.kassenzeichen == kassenzeichen).exists():
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("kassenzeichen", "notice_kassenzeichen_taken")],
        )
    with db.atomic():
        notice = Notice.create(
            user=user,
            kind=kind,
            title=title.strip(),
            description=(description or "").strip(),
            kassenzeichen=kassenzeichen,
            total_cents=sum(i.amount_cents for i in instalments),
            issued_on=issued_on or utcnow().date(),
            source=source,
            created_by=actor,
        )
        for number, item in enumerate(instalments, start=1):
            NoticeInstalment.create(
                notice=notice, number=number, due_date=item.due_date, amount_cents=item.amount_cents
            )
        events.emit("notice.created", notice=notice)
    return notice


def instalments_of(notice: Notice) -> list[NoticeInstalment]:
    return list(notice.instalments.order_by(NoticeInstalment.number))


def _live(rows: list[NoticeInstalment]) -> list[NoticeInstalment]:
    # Cancelled instalments (the tax ended before their due date) are owed by nobody.
    return [r for r in rows if r.cancelled_at is None]


def _collected(row: NoticeInstalment) -> bool:
    # An open instalment with a payment attached is waiting for its direct debit.
    return row.paid_at is None and row.payment_id is not None


def status_of(notice: Notice, rows: list[NoticeInstalment] | None = None) -> str:
    """``paid`` when every instalment is paid, else ``open`` (``overdue`` if one the
    citizen pays themselves is late; a debit is collected by the city, never late)."""
    rows = _live(rows if rows is not None else instalments_of(notice))
    open_rows = [r for r in rows if r.paid_at is None]
    if not open_rows:
        return "paid"
    today = utcnow().date()
    late = any(r.due_date < today and not _collected(r) for r in open_rows)
    return "overdue" if late else "open"


# The citizen's notices page asks for it on every visit; built once.
_NOTICES_OF_USER = PreparedSelect(
    lambda user: (
        Notice.select()
        .where(Notice.user == user)
        .order_by(Notice.issued_on.desc(), Notice.id.desc())
    ),
    "user",
)


def list_for_user(user: User) -> list[Notice]:
    """The user's notices, newest first."""
    return _NOTICES_OF_USER.rows(user=user.id)


def get_for_user(public_id: str, user: User) -> Notice:
    notice = Notice.get_or_none(Notice.public_id == public_id)
    if notice is None or notice.user_id != user.id:
        raise DomainError("not_found", kind="not_found")
    return notice


def notice_dicts(notices: list[Notice]) -> list[dict[str, Any]]:
    """Several notices as the API shows them, their instalments read in one query."""
    rows: dict[int, list[NoticeInstalment]] = {notice.id: [] for notice in notices}
    if rows:
        for row in (
            NoticeInstalment.select()
            .where(NoticeInstalment.notice.in_(list(rows)))
            .order_by(NoticeInstalment.number)
        ):
            rows[row.notice_id].append(row)
    return _shown(notices, [rows[notice.id] for notice in notices])


class InstalmentRow(NamedTuple):
    """What a notice's figures read of an instalment (:func:`notice_dict`), for lists:
    a plain row costs a fraction of a model, and a list reads dozens."""

    id: int
    notice_id: int
    number: int
    due_date: date
    amount_cents: int
    paid_at: datetime | None
    payment_id: int | None
    cancelled_at: datetime | None


# What the list shows of a notice (:func:`_figures` reads these and nothing else), as a
# plain row named as the model's attributes (``mandate_id``). Only these: the join
# repeats a notice's columns on each of its instalments' rows, and the database sends
# and the driver parses every one of them.
_NOTICE_COLUMNS = (
    Notice.id,
    Notice.public_id,
    Notice.kind,
    Notice.title,
    Notice.description,
    Notice.kassenzeichen,
    Notice.total_cents,
    Notice.issued_on,
    Notice.collection,
    Notice.mandate,
    Notice.details,
)


class NoticeRow(NamedTuple):
    """A notice as the citizen's list reads it (see ``_NOTICE_COLUMNS``)."""

    id: int
    public_id: str
    kind: str
    title: str
    description: str
    kassenzeichen: str
    total_cents: int
    issued_on: date
    collection: str
    mandate_id: int | None
    details: dict[str, Any] | None


# A user's notices, newest first, each with its instalments in order: the citizen's
# notices page in one statement (a notice without instalments has one row of NULLs).
_INSTALMENT_COLUMNS = (
    NoticeInstalment.id,
    NoticeInstalment.notice,
    NoticeInstalment.number,
    NoticeInstalment.due_date,
    NoticeInstalment.amount_cents,
    NoticeInstalment.paid_at,
    NoticeInstalment.payment,
    NoticeInstalment.cancelled_at,
)
_NOTICES_WITH_INSTALMENTS_OF_USER = PreparedSelect(
    lambda user: (
        Notice.select(*_NOTICE_COLUMNS, *_INSTALMENT_COLUMNS)
        .join(
            NoticeInstalment,
            JOIN.LEFT_OUTER,
            on=(NoticeInstalment.notice == Notice.id),
        )
        .where(Notice.user == user)
        .order_by(Notice.issued_on.desc(), Notice.id.desc(), NoticeInstalment.number)
    ),
    "user",
)


def notice_dicts_of_user(user: User) -> list[dict[str, Any]]:
    """All of the user's notices as the API shows them, newest first (one query, and one
    each for mandates and direct debits when there are any)."""
    width = len(NoticeRow._fields)
    notices: list[NoticeRow] = []
    rows: list[list[InstalmentRow]] = []
    for values in _NOTICES_WITH_INSTALMENTS_OF_USER.joined_tuples(width, user=user.id):
        if not notices or notices[-1].id != values[0]:
            notices.append(NoticeRow._make(values[:width]))
            rows.append([])
        if values[width] is not None:
            rows[-1].append(InstalmentRow._make(values[width:]))
    return _shown(notices, rows)


def notice_dict(
    notice: Notice | NoticeRow, rows: Sequence[NoticeInstalment | InstalmentRow] | None = None
) -> dict[str, Any]:
    """A notice as the API shows it (citizen and staff); ``rows``: its instalments
    (models, or plain rows of what it reads)."""
    return _shown([notice], [instalments_of(notice) if rows is None else rows])[0]


def _shown(
    notices: Sequence[Notice | NoticeRow],
    rows: Sequence[Sequence[NoticeInstalment | InstalmentRow]],
) -> list[dict[str, Any]]:
    """``notices`` as the API shows them, ``rows[i]`` the instalments of ``notices[i]``;
    their debits and mandates are read once for all of them (a list shows many)."""
    debits = notice_debits.scheduled_debits([row for found in rows for row in found])
    mandates = notice_debits.mandate_summaries(
        {notice.mandate_id for notice in notices if notice.mandate_id}
    )
    today = utcnow().date()
    return [
        _figures(notice, found, debits, mandates, today)
        for notice, found in zip(notices, rows, strict=True)
    ]


def _figures(
    notice: Notice | NoticeRow,
    rows: Sequence[NoticeInstalment | InstalmentRow],
    debits: Mapping[int, Any],
    mandates: Mapping[int, dict[str, Any]],
    today: date,
) -> dict[str, Any]:
    """One notice as shown. Each instalment's state is worked out once, in one pass:
    the sums, the status (as :func:`status_of` decides it) and the rows come from it."""
    details = notice.details or {}
    open_cents = payable_cents = 0
    next_due_date = None
    any_open = late = False
    instalments = []
    for r in rows:
        paid_at, cancelled_at, due_date = r.paid_at, r.cancelled_at, r.due_date
        owed = paid_at is None and cancelled_at is None
        # An open instalment with a payment attached is waiting for its direct debit.
        by_citizen = owed and r.payment_id is None
        overdue = by_citizen and due_date < today
        if owed:
            any_open = True
            open_cents += r.amount_cents
            if next_due_date is None or due_date < next_due_date:
                next_due_date = due_date
            if by_citizen:
                payable_cents += r.amount_cents
            late = late or overdue
        debit = debits.get(r.id)
        instalments.append(
            {
                "id": str(r.id),
                "number": r.number,
                "due_date": due_date,
                "amount_cents": r.amount_cents,
                "paid": paid_at is not None,
                "paid_at": paid_at,
                "overdue": overdue,
                "cancelled": cancelled_at is not None,
                "collection": (
                    notice_debits.DIRECT_DEBIT if debit is not None else notice_debits.TRANSFER
                ),
                "collection_date": debit.collection_date if debit is not None else None,
            }
        )
    ended_on = details.get("ended_on")
    return {
        "id": notice.public_id,
        "kind": notice.kind,
        "title": notice.title,
        "description": notice.description,
        "kassenzeichen": notice.kassenzeichen,
        "total_cents": notice.total_cents,
        "open_cents": open_cents,
        "issued_on": notice.issued_on,
        "status": ("overdue" if late else "open") if any_open else "paid",
        "next_due_date": next_due_date,
        "collection": notice.collection,
        "mandate": mandates.get(notice.mandate_id) if notice.mandate_id else None,
        "payable_cents": payable_cents,
        "periods": details.get("periods") or [],
        "ended_on": date.fromisoformat(ended_on) if ended_on else None,
        "refund_cents": details.get("refund_cents", 0),
        # Kept in the details by ``app.payments.refunds``: no query per notice.
        "refund": details.get("refund"),
        "instalments": instalments,
    }


# --- payables ----------------------------------------------------------------------------


def _purpose(notice: Notice, number: int | None = None) -> str:
    base = clean_purpose(notice.kassenzeichen)
    if number is not None:
        with_rate = f"{base} Rate {number}"
        return with_rate if len(with_rate) <= payables.PURPOSE_MAX else base
    return base


def _instalment_text(title: str, number: int, locale: str) -> str:
    return translate("payments.instalment_description", locale, title=title, number=number)


def describe_instalment(subject_id: str, locale: str) -> str | None:
    """An instalment payment's description in the reader's language."""
    row = NoticeInstalment.get_or_none(NoticeInstalment.id == int(subject_id))
    return _instalment_text(row.notice.title, row.number, locale) if row is not None else None


def _item(notice: Notice, row: NoticeInstalment) -> PayableItem:
    return PayableItem(
        reference=f"{notice.kassenzeichen}-{row.number}",
        description=f"{notice.title}, Rate {row.number} ({row.due_date:%d.%m.%Y})",
        amount_cents=row.amount_cents,
        booking_data={"Kassenzeichen": notice.kassenzeichen, "Rate": str(row.number)},
    )


def resolve_notice(subject_id: str, user: Any) -> Payable | None:
    """Every open instalment of the notice at once."""
    notice = Notice.get_or_none(Notice.public_id == subject_id)
    if notice is None or notice.user_id != user.id:
        return None
    unpaid = [r for r in _live(instalments_of(notice)) if r.paid_at is None]
    rows = [r for r in unpaid if not _collected(r)]
    if not rows:
        code = "notice_collected_by_direct_debit" if unpaid else "notice_already_paid"
        raise DomainError(code, kind="conflict")
    return Payable(
        subject_type="notice",
        subject_id=notice.public_id,
        user_id=user.id,
        amount_cents=sum(r.amount_cents for r in rows),
        purpose=_purpose(notice),
        description=notice.title[:250],
        items=tuple(_item(notice, r) for r in rows),
        kassenzeichen=notice.kassenzeichen,
        due_date=min(r.due_date for r in rows),
        covers=tuple(str(r.id) for r in rows),
    )


def resolve_instalment(subject_id: str, user: Any) -> Payable | None:
    """One instalment of a notice."""
    if not subject_id.isdigit():
        return None
    row = NoticeInstalment.get_or_none(NoticeInstalment.id == int(subject_id))
    if row is None or row.notice.user_id != user.id:
        return None
    if row.paid_at is not None:
        raise DomainError("notice_already_paid", kind="conflict")
    if row.cancelled_at is not None:
        raise DomainError("notice_instalment_cancelled", kind="conflict")
    if _collected(row):
        raise DomainError("notice_collected_by_direct_debit", kind="conflict")
    notice = row.notice
    return Payable(
        subject_type="instalment",
        subject_id=str(row.id),
        user_id=user.id,
        amount_cents=row.amount_cents,
        purpose=_purpose(notice, row.number),
        description=_instalment_text(notice.title, row.number, notice.user.locale)[:250],
        items=(_item(notice, row),),
        kassenzeichen=notice.kassenzeichen,
        due_date=row.due_date,
        covers=(str(row.id),),
    )


def payment_details(payable: Payable) -> dict[str, Any]:
    """Extra payment details for notice payables (which notice it belongs to)."""
    if payable.subject_type == "notice":
        return {"notice": payable.subject_id}
    if payable.subject_type == "instalment":
        row = NoticeInstalment.get_or_none(NoticeInstalment.id == int(payable.subject_id))
        return {"notice": row.notice.public_id} if row else {}
    return {}


def settle(payment: Payment) -> list[str]:
    """Mark the instalments a succeeded payment covers as paid. Returns the ids of the
    ones that were already paid by another payment (a double payment to refund)."""
    if payment.subject_type not in SUBJECTS:
        return []
    ids = [int(i) for i in (payment.details or {}).get("covers") or []]
    duplicates = []
    now = utcnow()
    for row in NoticeInstalment.select().where(NoticeInstalment.id.in_(ids)):
        if row.paid_at is not None and row.payment_id != payment.id:
            duplicates.append(str(row.id))
            continue
        NoticeInstalment.update(paid_at=now, payment=payment).where(
            (NoticeInstalment.id == row.id) & NoticeInstalment.paid_at.is_null()
        ).execute()
    return duplicates


def unsettle(payment: Payment) -> None:
    """A refunded payment: its instalments are open again."""
    NoticeInstalment.update(paid_at=None, payment=None).where(
        NoticeInstalment.payment == payment
    ).execute()


# --- CSV import --------------------------------------------------------------------------

# Column names: German (as the finance system exports them) or English.
_COLUMNS = {
    "email": ("email", "e-mail", "e_mail"),
    "kind": ("art", "kind"),
    "title": ("titel", "title", "bezeichnung"),
    "kassenzeichen": ("kassenzeichen", "cash_reference"),
    "due_date": ("faellig_am", "fällig_am", "faelligkeit", "due_date"),
    "amount": ("betrag", "amount"),
    "description": ("beschreibung", "description"),
}


def _amount_cents(raw: str) -> int | None:
    """``21,00`` / ``1.234,56`` / ``21.00`` / ``21`` -> cents."""
    text = (raw or "").strip().replace("€", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d{1,2})?|\d+(,\d{1,2})?", text):
        text = text.replace(".", "").replace(",", ".")
    elif not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return int(value * 100)


def _date(raw: str) -> date | None:
    text = (raw or "").strip()
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_csv(
    text: str, actor: User | None = None
) -> tuple[dict[str, dict[str, Any]], list[FieldError]]:
    """Group the rows by Kassenzeichen; errors name the line (``line.3.amount``).

    A row of a kind outside ``actor``'s service areas is an error of that row.
    """
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"  # type: ignore[misc]
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows:
        return {}, [FieldError("file", "notice_import_empty")]
    header = [h.strip().lower() for h in rows[0]]
    index: dict[str, int] = {}
    for key, names in _COLUMNS.items():
        for name in names:
            if name in header:
                index[key] = header.index(name)
                break
    missing = [
        k
        for k in ("email", "kind", "title", "kassenzeichen", "due_date", "amount")
        if k not in index
    ]
    if missing:
        return {}, [FieldError("file", "notice_import_columns", {"columns": ", ".join(missing)})]
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        return {}, [FieldError("file", "notice_import_too_many", {"max": MAX_IMPORT_ROWS})]
    grouped: dict[str, dict[str, Any]] = {}
    errors: list[FieldError] = []
    for line_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            position = index.get(key)
            return row[position].strip() if position is not None and position < len(row) else ""

        due, cents = _date(cell("due_date")), _amount_cents(cell("amount"))
        if due is None:
            errors.append(FieldError(f"line.{line_number}.due_date", "invalid_date"))
        if cents is None or cents <= 0:
            errors.append(FieldError(f"line.{line_number}.amount", "notice_import_amount"))
        try:
            require_kind_allowed(actor, cell("kind"))
        except DomainError:
            errors.append(FieldError(f"line.{line_number}.kind", "notice_kind_not_your_area"))
        entry = grouped.setdefault(
            cell("kassenzeichen"),
            {
                "line": line_number,
                "email": cell("email").lower(),
                "kind": cell("kind"),
                "title": cell("title"),
                "description": cell("description"),
                "instalments": [],
            },
        )
        if entry["email"] != cell("email").lower():
            errors.append(FieldError(f"line.{line_number}.email", "notice_import_mixed"))
        if due is not None and cents is not None and cents > 0:
            entry["instalments"].append(InstalmentInput(due, cents))
    for kassenzeichen, entry in grouped.items():
        entry["instalments"].sort(key=lambda i: i.due_date)
        for problem in validate_notice(
            entry["kind"], entry["title"], kassenzeichen, entry["instalments"]
        ):
            errors.append(
                FieldError(f"line.{entry['line']}.{problem.field}", problem.code, problem.params)
            )
    return grouped, errors


def import_csv(text: str, actor: User | None) -> ImportResult:
    """Import a CSV of notices. Any format error: nothing is created (all or nothing).

    Rows for unknown e-mail addresses and Kassenzeichen already imported are skipped
    and reported, so the same file can be imported again safely.
    """

    grouped, errors = parse_csv(text, actor)
    if errors:
        raise DomainError("notice_import_invalid", field_errors=errors[:50])
    result = ImportResult()
    with db.atomic():
        for kassenzeichen, entry in grouped.items():
            if Notice.select().where(Notice.kassenzeichen == kassenzeichen).exists():
                result.skipped.append(
                    {"line": entry["line"], "kassenzeichen": kassenzeichen, "reason": "exists"}
                )
                continue
            user = User.get_or_none(User.email == entry["email"])
            if user is None:
                result.skipped.append(
                    {"line": entry["line"], "kassenzeichen": kassenzeichen, "reason": "no_account"}
                )
                continue
            notice = create_notice(
                user,
                kind=entry["kind"],
                title=entry["title"],
                kassenzeichen=kassenzeichen,
                instalments=entry["instalments"],
                actor=actor,
                description=entry["description"],
                source="import",
            )
            result.created.append(notice.public_id)
        audit.record(
            "notices_imported",
            actor,
            "notice",
            "",
            created=len(result.created),
            skipped=len(result.skipped),
        )
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return iso(value)


def export_for_user(user: User) -> list[Mapping[str, Any]]:
    """The citizen's notices for the data export."""
    return [_plain(n) for n in notice_dicts(list_for_user(user))]


def register_builtin() -> None:
    """Make notices and instalments payable.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    payables.describer("instalment")(describe_instalment)
    payables.register("notice")(resolve_notice)
    payables.register("instalment")(resolve_instalment)
