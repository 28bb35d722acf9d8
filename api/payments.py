"""Payments: providers, start, status, return from the provider, SEPA mandates, receipts,
providers' webhooks, and the treasury's staff endpoints (transfers, pain.008 export)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import current_app, has_app_context, redirect, request
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields, validate

from api.downloads import content_disposition, private_download, stream_stored
from api.errors import error_response, locale
from api.limits import limiter
from api.schemas import StatusSchema, UtcDateTime, file_response, redirect_response
from api.security import client_ip, login_required, require_user
from app import links
from app import tasks as app_tasks
from app.accounts import audit
from app.accounts.users import staff_areas
from app.applications.document_titles import payment_receipt_name
from app.errors import DomainError
from app.i18n import translate
from app.models import Payment, PaymentEvent, SepaDebit, SepaExport, User
from app.payments import (
    payables,
    providers,
    receipts,
    sepa,
    service,
    settings,
    states,
    webhooks,
)
from app.payments.errors import PaymentProviderError
from app.payments.providers.transfer import girocode_svg

log = logging.getLogger(__name__)

blp = Blueprint("payments", __name__, url_prefix="/api/payments", description="Payments")
staff_blp = Blueprint(
    "staff_payments",
    __name__,
    url_prefix="/api/staff/payments",
    description="Payments (treasury staff)",
)


# HTTP status for each citizen-facing provider error code.
PROVIDER_ERROR_STATUS = {
    "payment_provider_unavailable": 503,
    "payment_provider_rejected": 502,
    "payment_provider_misconfigured": 503,
    "payment_provider_timeout": 504,
}


def _provider_error(exc: PaymentProviderError):
    return error_response(PROVIDER_ERROR_STATUS.get(exc.code, 502), exc.code)


def _app_config() -> Mapping[str, Any]:
    # Requests and CLI commands run in an app context; background jobs do not.
    return current_app.config if has_app_context() else app_tasks.config()


settings.use_source(_app_config)


blp.register_error_handler(PaymentProviderError, _provider_error)


# --- schemas -----------------------------------------------------------------------------


class ProviderSchema(Schema):
    name = fields.String()
    label = fields.String()
    hint = fields.String()
    kind = fields.String(metadata={"description": "redirect, transfer or mandate"})
    test_mode = fields.Boolean()


class ActionSchema(Schema):
    type = fields.String(metadata={"description": "redirect, transfer, sepa_mandate or none"})
    url = fields.String(allow_none=True)
    data = fields.Dict(
        keys=fields.String(),
        metadata={"description": "What the client needs for the action (bank details, ...)"},
    )


class SepaInfoSchema(Schema):
    mandate_reference = fields.String()
    iban = fields.String()
    collection_date = fields.Date()
    exported = fields.Boolean()


class PaymentSchema(Schema):
    id = fields.String()
    subject_type = fields.String()
    subject_id = fields.String()
    amount_cents = fields.Integer()
    currency = fields.String()
    purpose = fields.String()
    description = fields.String()
    kassenzeichen = fields.String()
    provider = fields.String()
    provider_label = fields.String()
    test_mode = fields.Boolean()
    status = fields.String(validate=validate.OneOf(states.PUBLIC_STATES))
    finished = fields.Boolean()
    reason_code = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    succeeded_at = UtcDateTime(allow_none=True)
    action = fields.Nested(ActionSchema, allow_none=True)
    receipt_url = fields.String(allow_none=True)
    sepa = fields.Nested(SepaInfoSchema, allow_none=True)
    duplicate = fields.Boolean()


class StartSchema(Schema):
    subject_type = fields.String(required=True, validate=validate.OneOf(payables.SUBJECT_TYPES))
    subject_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    provider = fields.String(required=True, validate=validate.Length(min=1, max=32))
    return_path = fields.String(validate=validate.Length(max=300))


class MandateSchema(Schema):
    consent = fields.Boolean(required=True)
    account_holder = fields.String(validate=validate.Length(max=200))
    iban = fields.String(validate=validate.Length(max=64))
    mandate_reference = fields.String(validate=validate.Length(max=35))


class IbanCheckSchema(Schema):
    iban = fields.String(required=True, validate=validate.Length(max=64))


class IbanResultSchema(Schema):
    iban = fields.String()
    formatted = fields.String()
    country = fields.String()
    bank_name = fields.String()


class MandateInfoSchema(Schema):
    reference = fields.String()
    account_holder = fields.String()
    iban = fields.String()
    creditor_id = fields.String()
    creditor_name = fields.String()
    mandate_text = fields.String()
    signed_at = UtcDateTime()


class TransferReceivedSchema(Schema):
    received_on = fields.Date()


class ExportRequestSchema(Schema):
    until = fields.Date()


class ExportSchema(Schema):
    id = fields.Integer()
    message_id = fields.String()
    pain_schema = fields.String()
    debit_count = fields.Integer()
    total_cents = fields.Integer()
    collection_until = fields.Date()
    created_at = UtcDateTime()
    file_url = fields.String()


class StaffQuerySchema(Schema):
    kassenzeichen = fields.String(validate=validate.Length(min=1, max=35))
    id = fields.String(validate=validate.Length(min=1, max=32))


class PaymentEventSchema(Schema):
    at = UtcDateTime(required=True)
    source = fields.String(required=True)
    provider_status = fields.String(required=True)
    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)
    applied = fields.Boolean(required=True)


class StaffPaymentSchema(PaymentSchema):
    email = fields.String(allow_none=True)
    history = fields.List(fields.Nested(PaymentEventSchema))


# --- helpers -----------------------------------------------------------------------------


def payment_dict(payment: Payment, lang: str | None = None) -> dict[str, Any]:
    """A payment as the API shows it to its owner."""
    lang = lang or locale()
    details = payment.details or {}
    public = states.public_state(payment.state)
    finished = states.is_finished(payment.state)
    try:
        provider = providers.get(payment.provider, current_app.config, enabled_only=False)
        label = provider.label(lang)
    except DomainError:
        label = payment.provider
    action = details.get("action") if not finished else None
    debit = SepaDebit.get_or_none(SepaDebit.payment == payment)
    return {
        "id": payment.public_id,
        "subject_type": payment.subject_type,
        "subject_id": payment.subject_id,
        "amount_cents": payment.amount_cents,
        "currency": payment.currency,
        "purpose": payment.purpose,
        "description": payables.description_in(
            payment.subject_type, payment.subject_id, payment.description, lang
        ),
        "kassenzeichen": payment.kassenzeichen,
        "provider": payment.provider,
        "provider_label": label,
        "test_mode": bool(details.get("test_mode")),
        "status": public,
        "finished": finished,
        "reason_code": payment.reason_code or None,
        "reason": translate(f"payments.reason.{payment.reason_code}", lang)
        if payment.reason_code
        else None,
        "created_at": payment.created_at,
        "updated_at": payment.updated_at,
        "succeeded_at": payment.succeeded_at,
        "action": action,
        "receipt_url": links.payment_receipt(payment.public_id)
        if public in ("succeeded", "refunded")
        else None,
        "sepa": {
            "mandate_reference": debit.mandate.reference,
            "iban": sepa.mask(debit.mandate.iban),
            "collection_date": debit.collection_date,
            "exported": debit.export_id is not None,
        }
        if debit
        else None,
        "duplicate": bool(details.get("duplicate")),
    }


def require_treasury() -> User:
    """Admins, or staff of the treasury's service area (PAYMENT_TREASURY_AREA)."""
    user = require_user()
    if user.role == "admin":
        return user
    if user.role == "staff" and current_app.config["PAYMENT_TREASURY_AREA"] in staff_areas(user):
        return user
    raise DomainError("treasury_only", kind="forbidden")


# --- citizen endpoints -------------------------------------------------------------------


@blp.route("/providers", methods=["GET"])
@blp.response(200, ProviderSchema(many=True))
def list_providers():
    """The payment methods offered, in order; ``test_mode`` marks ones that move no money."""
    lang = locale()
    return [p.describe(lang) for p in providers.enabled(current_app.config)]


@blp.route("", methods=["GET"])
@login_required
@blp.response(200, PaymentSchema(many=True))
def list_payments():
    """The signed-in citizen's payments, newest first."""
    user = require_user()
    lang = locale()
    return [payment_dict(p, lang) for p in service.list_for_user(user)]


@blp.route("", methods=["POST"])
@login_required
@limiter.limit("30 per minute")
@blp.arguments(StartSchema)
@blp.response(201, PaymentSchema)
def start(data: dict[str, Any]):
    """Start paying an application, a notice or one instalment with a provider.

    The answer's ``action`` says what comes next: ``redirect`` (open ``url``),
    ``transfer`` (instructions), ``sepa_mandate`` (show the mandate form and post it to
    ``url``). The provider sends the citizen back to ``return_path`` with
    ``?payment=<id>&status=<status>``.
    """
    user = require_user()
    payable = payables.resolve(data["subject_type"], data["subject_id"], user)
    result = service.start_payment(
        user,
        payable,
        data["provider"],
        data.get("return_path"),
        locale=locale(),
        ip=client_ip(),
    )
    return payment_dict(result.payment)


@blp.route("/<string:public_id>", methods=["GET"])
@login_required
@blp.response(200, PaymentSchema)
def status(public_id: str):
    """The payment's status (asks the provider again if it is still open)."""
    payment = service.get_for_user(public_id, require_user())
    return payment_dict(service.maybe_refresh(payment))


@blp.route("/<string:public_id>/cancel", methods=["POST"])
@login_required
@blp.response(200, PaymentSchema)
def cancel(public_id: str):
    """Give up an open payment (e.g. to pay another way)."""
    payment = service.get_for_user(public_id, require_user())
    return payment_dict(service.cancel_by_citizen(payment))


@blp.route("/<string:public_id>/sepa-mandate", methods=["POST"])
@login_required
@limiter.limit("20 per minute")
@blp.arguments(MandateSchema)
@blp.response(200, PaymentSchema)
def give_mandate(data: dict[str, Any], public_id: str):
    """Give a SEPA direct debit mandate (or reuse one by ``mandate_reference``)."""
    user = require_user()
    payment = service.get_for_user(public_id, user)
    updated = service.give_sepa_mandate(
        payment,
        user,
        consent=data["consent"],
        account_holder=data.get("account_holder", ""),
        iban=data.get("iban", ""),
        mandate_reference=data.get("mandate_reference"),
        ip=client_ip(),
    )
    return payment_dict(updated)


@blp.route("/<string:public_id>/receipt", methods=["GET"])
@login_required
@file_response(blp, ["application/pdf"], "The receipt")
def receipt(public_id: str):
    """The PDF receipt of a succeeded payment."""
    payment = service.get_for_user(public_id, require_user())
    key = receipts.receipt_pdf(payment)
    # Named for people: what it is, for which service, which day (no ids).
    name = payment_receipt_name(payment, locale())
    return stream_stored(
        key,
        "application/pdf",
        {
            "Content-Disposition": content_disposition(name, "inline"),
            "Cache-Control": "private, no-store",
        },
        conditional=True,
    )


@blp.route("/<string:public_id>/girocode.svg", methods=["GET"])
@login_required
@file_response(blp, ["image/svg+xml"], "The GiroCode")
def girocode(public_id: str):
    """The GiroCode (EPC QR) for a bank transfer, for banking apps."""
    payment = service.get_for_user(public_id, require_user())
    if payment.provider != "transfer":
        raise DomainError("payment_not_transfer", kind="not_found")
    response = current_app.response_class(
        girocode_svg(current_app.config, payment), mimetype="image/svg+xml"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def return_key() -> str:
    """Return replays are limited per payment and client (each may ask the provider)."""
    public_id = (request.view_args or {}).get("public_id", "")
    return f"payment-return:{public_id}:{client_ip()}"


@blp.route("/<string:public_id>/return", methods=["GET"])
@redirect_response(blp, "On to the payment's page in the portal")
@limiter.limit("10 per minute", key_func=return_key)
def provider_return(public_id: str):
    """The provider sends the citizen back here; we ask the provider for the outcome
    (the parameters prove nothing) and send the citizen on to the PWA."""
    payment = Payment.get_or_none(Payment.public_id == public_id)
    if payment is None:
        path = current_app.config["PAYMENT_DEFAULT_RETURN_PATH"]
        return redirect(f"{path}?status=unknown", code=303)
    try:
        payment = service.handle_return(payment, dict(request.args))
    except Exception:
        # A subscriber failed: the transition was rolled back; the poller retries.
        log.exception("Return handling failed for payment %s", public_id)
        payment = Payment.get_by_id(payment.id)
    response = redirect(service.pwa_return_target(payment), code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


class WebhookEventSchema(Schema):
    """A provider's notification: a JSON object in the provider's own format (PayPal:
    ``id``, ``event_type``, ``resource``), checked by the provider itself."""

    class Meta:
        unknown = INCLUDE


@blp.route("/webhooks/<string:provider>", methods=["POST"])
@limiter.limit("300 per minute")
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": WebhookEventSchema}},
    }
)
@blp.alt_response(200, schema=StatusSchema, description="ok or ignored", success=True)
def provider_webhook(provider: str):
    """A payment provider's webhook (PayPal: ``/api/payments/webhooks/paypal``).

    The provider named in the path verifies it (PayPal: with its verify-webhook-signature
    API); then it is applied like any other status report (idempotent).
    """
    try:
        outcome = webhooks.receive(provider, request.headers, request.get_json(silent=True))
    except webhooks.UnknownWebhookProvider:
        return error_response(404, "not_found")
    except webhooks.WebhookInvalid:
        return error_response(400, "payment_webhook_invalid")
    except PaymentProviderError:
        return error_response(503, "payment_provider_unavailable")
    return {"status": outcome}, 200


@blp.route("/sepa/iban-check", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
@blp.arguments(IbanCheckSchema)
@blp.response(200, IbanResultSchema)
def iban_check(data: dict[str, Any]):
    """Check an IBAN while the citizen types (same rules as the mandate)."""
    checked = sepa.check_iban(data["iban"], current_app.config["SEPA_DEBTOR_COUNTRIES"])
    return {
        "iban": checked.compact,
        "formatted": checked.formatted,
        "country": checked.country,
        "bank_name": checked.bank_name,
    }


@blp.route("/sepa/mandates", methods=["GET"])
@login_required
@blp.response(200, MandateInfoSchema(many=True))
def list_mandates():
    """The citizen's active SEPA mandates (IBAN masked)."""
    return [
        {
            "reference": m.reference,
            "account_holder": m.account_holder,
            "iban": sepa.mask(m.iban),
            "creditor_id": m.creditor_id,
            "creditor_name": m.creditor_name,
            "mandate_text": m.mandate_text,
            "signed_at": m.signed_at,
        }
        for m in sepa.active_mandates(require_user())
    ]


@blp.route("/sepa/mandates/<string:reference>", methods=["DELETE"])
@login_required
@blp.response(204)
def revoke_mandate(reference: str):
    """Revoke a mandate for future payments."""
    user = require_user()
    sepa.revoke_mandate(user, reference)
    audit.record("sepa_mandate_revoked", user, "sepa_mandate", reference, client_ip())
    return ""


# --- treasury (staff) --------------------------------------------------------------------


def export_dict(export: SepaExport) -> dict[str, Any]:
    return {
        "id": export.id,
        "message_id": export.message_id,
        "pain_schema": export.pain_schema,
        "debit_count": export.debit_count,
        "total_cents": export.total_cents,
        "collection_until": export.collection_until,
        "created_at": export.created_at,
        "file_url": f"/api/staff/payments/sepa-exports/{export.id}/file",
    }


@staff_blp.route("", methods=["GET"])
@staff_blp.arguments(StaffQuerySchema, location="query")
@staff_blp.response(200, StaffPaymentSchema(many=True))
def staff_find(query: dict[str, Any]):
    """Find payments by Kassenzeichen or payment id (e.g. to match a transfer)."""
    actor = require_treasury()
    if not query.get("kassenzeichen") and not query.get("id"):
        return []
    select = Payment.select()
    if query.get("kassenzeichen"):
        select = select.where(Payment.kassenzeichen == query["kassenzeichen"])
    if query.get("id"):
        select = select.where(Payment.public_id == query["id"])
    found = list(select.order_by(Payment.id.desc()).limit(50))
    audit.record(
        "payments_viewed",
        actor,
        "payment",
        ",".join(p.public_id for p in found)[:64],
        client_ip(),
        query=query,
    )
    lang = locale()
    return [
        payment_dict(p, lang)
        | {
            "email": p.user.email if p.user_id else None,
            "history": [
                {
                    "at": e.at,
                    "source": e.source,
                    "provider_status": e.provider_status,
                    "from": e.from_state,
                    "to": e.to_state,
                    "applied": e.applied,
                }
                for e in p.events.order_by(PaymentEvent.id)
            ],
        }
        for p in found
    ]


@staff_blp.route("/<string:public_id>/transfer-received", methods=["POST"])
@staff_blp.arguments(TransferReceivedSchema)
@staff_blp.response(200, PaymentSchema)
def transfer_received(data: dict[str, Any], public_id: str):
    """The money of a bank transfer arrived: the payment succeeds."""
    actor = require_treasury()
    payment = Payment.get_or_none(Payment.public_id == public_id)
    if payment is None:
        raise DomainError("not_found", kind="not_found")
    updated = service.mark_transfer_received(payment, actor, client_ip(), data.get("received_on"))
    return payment_dict(updated)


@staff_blp.route("/sepa-exports", methods=["GET"])
@staff_blp.response(200, ExportSchema(many=True))
def list_exports():
    """The pain.008 files made so far, newest first."""
    require_treasury()
    return [export_dict(e) for e in SepaExport.select().order_by(SepaExport.id.desc()).limit(100)]


@staff_blp.route("/sepa-exports", methods=["POST"])
@staff_blp.arguments(ExportRequestSchema)
@staff_blp.response(201, ExportSchema)
def create_export(data: dict[str, Any]):
    """Export every SEPA debit due by ``until`` (default: in 14 days) as one pain.008."""
    actor = require_treasury()
    until: date | None = data.get("until")
    export = sepa.export_due_debits(current_app.config, until, actor)
    if export is None:
        raise DomainError("sepa_nothing_due", kind="conflict")
    audit.record("sepa_exported", actor, "sepa_export", export.id, client_ip())
    return export_dict(export)


@staff_blp.route("/sepa-exports/<int:export_id>/file", methods=["GET"])
@file_response(staff_blp, ["application/xml"], "The pain.008 file")
def export_file(export_id: int):
    """The pain.008 XML of an export."""
    actor = require_treasury()
    export = SepaExport.get_or_none(SepaExport.id == export_id)
    if export is None:
        raise DomainError("not_found", kind="not_found")
    audit.record("sepa_export_downloaded", actor, "sepa_export", export.id, client_ip())
    return private_download(
        sepa.export_file(current_app.config, export), "application/xml", export.file_name
    )
