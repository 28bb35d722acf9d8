"""Open notices (Bezahlplattform): citizens see and pay theirs; staff create or import them."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.documented_json import documented
from api.errors import locale
from api.payments import PaymentSchema, payment_dict
from api.schemas import UtcDateTime
from api.security import client_ip, login_required, require_user, roles_required
from app.accounts import audit
from app.errors import DomainError, FieldError
from app.models import Notice, Payment, User
from app.payments import notices, refunds

blp = Blueprint("notices", __name__, url_prefix="/api/notices", description="Open notices")
staff_blp = Blueprint(
    "staff_notices", __name__, url_prefix="/api/staff/notices", description="Notices (staff)"
)


class InstalmentSchema(Schema):
    id = fields.String(dump_only=True)
    number = fields.Integer(dump_only=True)
    due_date = fields.Date(required=True)
    amount_cents = fields.Integer(required=True, validate=validate.Range(min=1, max=99_999_999))
    paid = fields.Boolean(dump_only=True)
    paid_at = UtcDateTime(dump_only=True, allow_none=True)
    overdue = fields.Boolean(dump_only=True)
    cancelled = fields.Boolean(
        dump_only=True,
        metadata={"description": "The tax ended before this due date: nothing is owed."},
    )
    collection = fields.String(
        dump_only=True,
        metadata={
            "description": "direct_debit: collected under the notice's mandate (the "
            "citizen is not asked to pay it); transfer: the citizen pays it"
        },
    )
    collection_date = fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The day the direct debit is collected"},
    )


class MandateSummarySchema(Schema):
    reference = fields.String(metadata={"description": "The SEPA mandate reference"})
    iban = fields.String(metadata={"description": "The debtor IBAN, masked"})
    account_holder = fields.String()
    creditor_id = fields.String()
    creditor_name = fields.String()


class PeriodSchema(Schema):
    year = fields.Integer()
    first_month = fields.Integer()
    last_month = fields.Integer()
    months = fields.Integer()
    annual_cents = fields.Integer()
    monthly_cents = fields.Integer(metadata={"description": "One twelfth of annual_cents"})
    amount_cents = fields.Integer(
        metadata={"description": "annual_cents × months / 12, rounded half up to the cent"}
    )


class RefundSummarySchema(Schema):
    state = fields.String(
        required=True,
        validate=validate.OneOf(["needs_account", "scheduled", "sent"]),
        metadata={
            "description": "needs_account: the citizen names the account for the transfer; "
            "scheduled: waits for the treasury's next transfer file; sent: transferred"
        },
    )
    amount_cents = fields.Integer(required=True)
    iban = fields.String(
        required=True, allow_none=True, metadata={"description": "The account, masked"}
    )
    account_source = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "mandate (the account the tax was collected from) or citizen"},
    )


class RefundAccountSchema(Schema):
    account_holder = fields.String(required=True, validate=validate.Length(min=1, max=70))
    iban = fields.String(required=True, validate=validate.Length(min=1, max=42))


class NoticeSchema(Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    description = fields.String()
    kassenzeichen = fields.String()
    total_cents = fields.Integer()
    open_cents = fields.Integer()
    issued_on = fields.Date()
    status = fields.String(metadata={"description": "open, overdue or paid"})
    next_due_date = fields.Date(allow_none=True)
    collection = fields.String(
        metadata={
            "description": "transfer (the citizen pays) or direct_debit (collected "
            "under ``mandate``; the notice is the pre-notification of the debits)"
        }
    )
    mandate = fields.Nested(MandateSummarySchema, allow_none=True)
    payable_cents = fields.Integer(
        metadata={"description": "What the citizen still pays themselves (not by debit)"}
    )
    periods = fields.List(
        fields.Nested(PeriodSchema),
        metadata={"description": "How the amount was computed: months × monthly rate"},
    )
    ended_on = fields.Date(
        allow_none=True, metadata={"description": "The tax ended at the end of this month"}
    )
    refund_cents = fields.Integer(
        metadata={"description": "Paid for months after the end of the tax, to be refunded"}
    )
    refund = fields.Nested(
        RefundSummarySchema,
        allow_none=True,
        metadata={"description": "The transfer of refund_cents back to the citizen"},
    )
    instalments = fields.List(fields.Nested(InstalmentSchema))


class NoticeDetailSchema(NoticeSchema):
    payments = fields.List(fields.Nested(PaymentSchema))


class StaffNoticeSchema(NoticeSchema):
    email = fields.String(allow_none=True)
    source = fields.String()


class ScheduleSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(["quarterly"]))
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    total_cents = fields.Integer(required=True, validate=validate.Range(min=4, max=99_999_999))


class NoticeCreateSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    kind = fields.String(required=True, validate=validate.OneOf(notices.KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    kassenzeichen = fields.String(required=True, validate=validate.Length(min=1, max=24))
    issued_on = fields.Date()
    instalments = fields.List(
        fields.Nested(InstalmentSchema), validate=validate.Length(min=1, max=12)
    )
    schedule = fields.Nested(ScheduleSchema)

    @validates_schema
    def _one_of(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if ("instalments" in data) == ("schedule" in data):
            raise ValidationError("Invalid value.", "instalments")


class SkippedRowSchema(Schema):
    line = fields.Integer(required=True)
    kassenzeichen = fields.String(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(["exists", "no_account"]))


class ImportResultSchema(Schema):
    created = fields.List(fields.String())
    skipped = fields.List(fields.Nested(SkippedRowSchema))


class StaffQuerySchema(Schema):
    kassenzeichen = fields.String(validate=validate.Length(max=35))
    email = fields.String(validate=validate.Length(max=254))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


# --- citizen -----------------------------------------------------------------------------

_NOTICE_LIST = NoticeSchema(many=True)


@blp.route("", methods=["GET"])
@login_required
@blp.response(200, NoticeSchema(many=True))
def list_notices():
    """The citizen's notices: open ones and paid ones, newest first."""
    return documented(notices.notice_dicts_of_user(require_user()), _NOTICE_LIST)


@blp.route("/<string:public_id>", methods=["GET"])
@login_required
@blp.response(200, NoticeDetailSchema)
def notice_detail(public_id: str):
    """One notice with its instalments and the payments made for it."""
    user = require_user()
    notice = notices.get_for_user(public_id, user)
    instalment_ids = [str(r.id) for r in notice.instalments]
    payments = (
        Payment.select()
        .where(
            (Payment.user == user)
            & (
                ((Payment.subject_type == "notice") & (Payment.subject_id == notice.public_id))
                | (
                    (Payment.subject_type == "instalment")
                    & Payment.subject_id.in_(instalment_ids or [""])
                )
            )
        )
        .order_by(Payment.id.desc())
    )
    lang = locale()
    return notices.notice_dict(notice) | {"payments": [payment_dict(p, lang) for p in payments]}


@blp.route("/<string:public_id>/refund-account", methods=["PUT"])
@login_required
@blp.arguments(RefundAccountSchema)
@blp.response(200, NoticeSchema)
def give_refund_account(data: dict[str, Any], public_id: str):
    """Name (or change) the account a refund of this notice is transferred to, until the
    treasury has sent it."""
    user = require_user()
    notice = notices.get_for_user(public_id, user)
    refunds.give_account(
        user,
        notice,
        data["account_holder"],
        data["iban"],
        current_app.config["SEPA_DEBTOR_COUNTRIES"],
    )
    return notices.notice_dict(Notice.get_by_id(notice.id))


# --- staff -------------------------------------------------------------------------------


def _staff_dict(notice: Notice, shown: dict[str, Any] | None = None) -> dict[str, Any]:
    return (shown or notices.notice_dict(notice)) | {
        "email": notice.user.email if notice.user_id else None,
        "source": notice.source,
    }


@staff_blp.route("", methods=["POST"])
@roles_required("staff", "admin")
@staff_blp.arguments(NoticeCreateSchema)
@staff_blp.response(201, StaffNoticeSchema)
def create_notice(data: dict[str, Any]):
    """Create a notice for a citizen (explicit instalments, or a quarterly schedule:
    the yearly amount split over PAYMENT_QUARTERLY_DUE_DATES, e.g. the dog tax).

    Clerks issue only kinds of their service areas (``PAYMENT_NOTICE_AREAS``), else 403."""
    actor = require_user()
    notices.require_kind_allowed(actor, data["kind"])
    user = User.get_or_none(User.email == data["email"].strip().lower())
    if user is None:
        raise DomainError("invalid_input", field_errors=[FieldError("email", "notice_no_account")])
    if "schedule" in data:
        schedule = data["schedule"]
        instalments = notices.quarterly_instalments(
            schedule["year"],
            schedule["total_cents"],
            current_app.config["PAYMENT_QUARTERLY_DUE_DATES"],
        )
    else:
        instalments = [
            notices.InstalmentInput(i["due_date"], i["amount_cents"]) for i in data["instalments"]
        ]
    issued_on: date | None = data.get("issued_on")
    notice = notices.create_notice(
        user,
        kind=data["kind"],
        title=data["title"],
        kassenzeichen=data["kassenzeichen"],
        instalments=instalments,
        actor=actor,
        description=data.get("description", ""),
        issued_on=issued_on,
    )
    audit.record("notice_created", actor, "notice", notice.public_id, client_ip())
    return _staff_dict(notice)


def _csv_text() -> str:
    upload = request.files.get("file")
    raw = upload.read() if upload else None
    if raw is None:
        if request.mimetype not in ("text/csv", "text/plain", "application/csv"):
            raise DomainError("unsupported_media_type", kind="invalid")
        raw = request.get_data()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Germany saves CSV as Windows-1252.
        return raw.decode("cp1252", errors="replace")


@staff_blp.route("/import", methods=["POST"])
@roles_required("staff", "admin")
@staff_blp.response(200, ImportResultSchema)
def import_notices():
    """Import the finance system's CSV (``text/csv`` body or a ``file`` upload).

    Columns (``;``-separated, German or English names): ``email``, ``art``/``kind``,
    ``titel``/``title``, ``kassenzeichen``, ``faellig_am``/``due_date`` (``15.02.2025``
    or ``2025-02-15``), ``betrag``/``amount`` (``21,00``), optional ``beschreibung``.
    One line per instalment; lines with the same Kassenzeichen form one notice.
    A format error anywhere, or a line of a kind outside the clerk's service areas:
    nothing is imported and every problem is named by line.
    """
    actor = require_user()
    result = notices.import_csv(_csv_text(), actor)
    return {"created": result.created, "skipped": result.skipped}


@staff_blp.route("", methods=["GET"])
@roles_required("staff", "admin")
@staff_blp.arguments(StaffQuerySchema, location="query")
@staff_blp.response(200, StaffNoticeSchema(many=True))
def staff_list(query: dict[str, Any]):
    """Find notices by Kassenzeichen or the citizen's e-mail address (audit-logged).

    Clerks find only notices of the kinds of their service areas; the treasury's
    clerks and admins find all."""
    actor = require_user()
    found = notices.find_for_staff(
        actor, query.get("kassenzeichen"), query.get("email"), query["limit"]
    )
    audit.record(
        "notices_viewed",
        actor,
        "notice",
        ",".join(n.public_id for n in found)[:64],
        client_ip(),
        query={k: v for k, v in query.items() if k != "limit"},
    )
    return [
        _staff_dict(n, shown) for n, shown in zip(found, notices.notice_dicts(found), strict=True)
    ]
