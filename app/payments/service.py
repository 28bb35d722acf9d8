"""Payment records: start, status reports, idempotent transitions, refresh and polling.

Every status report (provider answer on start, the citizen's return, the poller, a
webhook, a clerk) goes through :func:`apply_report`, which

* ignores a report that names the current state (a status seen twice books once),
* ignores a move the transition table forbids (a finished payment never moves back),
* applies an allowed move as a compare-and-set on ``version`` (two processes seeing
  the same PAYED at once: one wins, the other finds nothing left to do),
* records the report in the payment's history either way, and
* in the same transaction settles notices, cancels superseded attempts and emits
  ``payment.succeeded`` / ``payment.failed`` / ``payment.cancelled`` /
  ``payment.refunded`` (exactly once per entry into that public state).

Subscribers run inside that transaction: if one raises, the transition is rolled back
and the next report (poller, return, webhook retry) applies it again.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from app import events
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import Payment, PaymentEvent, User
from app.payments import kassenzeichen, notices, providers, settings, states
from app.payments.errors import PaymentProviderError
from app.payments.payables import Payable
from app.payments.providers.base import Action
from app.payments.states import StatusReport

log = logging.getLogger(__name__)

_RETURN_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9\-._~/%?=&+:@]{0,299}$")
_UNFINISHED = (states.CREATED, states.REDIRECTED, states.APPROVED, states.AWAITING_TRANSFER)
_UNSUCCESSFUL = (states.FAILED, states.EXPIRED, states.ERROR, states.CANCELLED)
REUSE_MINUTES = 30


@dataclass
class StartResult:
    """A started payment and what the citizen has to do next."""

    payment: Payment
    action: Action


def return_url(payment: Payment, cancelled: bool = False) -> str:
    """Where the provider sends the citizen back to (our return handler)."""
    url = f"{settings.base_url()}/api/payments/{payment.public_id}/return"
    return url + "?cancelled=1" if cancelled else url


def check_return_path(path: str) -> str:
    """A path inside the portal (never another site: no open redirect)."""
    if not isinstance(path, str) or not _RETURN_PATH.match(path):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("return_path", "payment_return_path")]
        )
    return path


def portal_path(url: str) -> str | None:
    """The path of ``url`` if it is a page of the portal itself (same origin, a path
    :func:`check_return_path` accepts), else None: redirect targets never leave the portal."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    own = urlsplit(settings.base_url())
    if (parts.scheme.lower(), parts.netloc.lower()) != (own.scheme.lower(), own.netloc.lower()):
        return None
    if parts.fragment or "#" in url:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if _RETURN_PATH.match(path) else None


def pwa_return_target(payment: Payment) -> str:
    """The PWA address the return handler redirects to, with id and public state."""
    separator = "&" if "?" in payment.return_path else "?"
    return (
        f"{payment.return_path}{separator}payment={payment.public_id}"
        f"&status={states.public_state(payment.state)}"
    )


# --- starting ----------------------------------------------------------------------------


def _items(payable: Payable) -> list[dict[str, Any]]:
    return [
        {
            "reference": item.reference,
            "description": item.description,
            "amount_cents": item.amount_cents,
            "quantity": item.quantity,
            "booking_data": dict(item.booking_data),
        }
        for item in payable.all_items()
    ]


def _reusable(user: User, payable: Payable, provider: str) -> Payment | None:
    """A redirect payment for the same thing started moments ago (double click, back
    button): send the citizen to the same provider page instead of opening a second one."""
    since = utcnow() - timedelta(minutes=REUSE_MINUTES)
    candidate = (
        Payment.select()
        .where(
            (Payment.user == user)
            & (Payment.subject_type == payable.subject_type)
            & (Payment.subject_id == payable.subject_id)
            & (Payment.provider == provider)
            & (Payment.amount_cents == payable.amount_cents)
            & (Payment.state == states.REDIRECTED)
            & (Payment.created_at >= since)
        )
        .order_by(Payment.id.desc())
        .first()
    )
    if candidate is None or (candidate.details or {}).get("action", {}).get("type") != "redirect":
        return None
    return candidate


def start_payment(
    user: User,
    payable: Payable,
    provider: str,
    return_path: str | None = None,
    *,
    locale: str | None = None,
    ip: str = "",
) -> StartResult:
    """Start paying ``payable`` with ``provider``; the citizen comes back to ``return_path``.

    Raises DomainError for a bad payable, provider or path, and PaymentProviderError
    when the provider refuses or cannot be reached (the payment then ends as failed with
    reason P0050, and the citizen may try again or choose another provider).
    """
    config = settings.current()
    payable.validate()
    if payable.user_id != user.id:
        raise DomainError("forbidden", kind="forbidden")
    if payable.allowed_providers is not None and provider not in payable.allowed_providers:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("provider", "payment_provider_unknown")]
        )
    plugin = providers.get(provider, config)
    path = check_return_path(return_path or config["PAYMENT_DEFAULT_RETURN_PATH"])
    reused = _reusable(user, payable, provider)
    if reused is not None:
        return StartResult(reused, Action(**reused.details["action"]))
    details: dict[str, Any] = {
        "items": _items(payable),
        "locale": locale or user.locale or "de",
        "test_mode": plugin.test_mode,
    }
    if payable.due_date:
        details["due_date"] = payable.due_date.isoformat()
    if payable.covers:
        details["covers"] = list(payable.covers)
    details.update(notices.payment_details(payable))
    with db.atomic():
        payment = Payment.create(
            user=user,
            subject_type=payable.subject_type,
            subject_id=payable.subject_id,
            amount_cents=payable.amount_cents,
            purpose=payable.purpose,
            description=payable.description,
            kassenzeichen=payable.kassenzeichen,
            provider=provider,
            return_path=path,
            details=details,
        )
        if not payment.kassenzeichen:
            payment.kassenzeichen = kassenzeichen.generate(
                config["PAYMENT_KASSENZEICHEN_PREFIX"], payment.id
            )
            payment.save()
        PaymentEvent.create(
            payment=payment,
            source="portal",
            from_state="",
            to_state=states.CREATED,
            applied=True,
            details={"ip": ip[:45]} if ip else {},
        )
    try:
        started = plugin.start(payment)
    except PaymentProviderError as exc:
        apply_report(
            payment, StatusReport(states.ERROR, "", states.REASON_ERROR, exc.summary()), "start"
        )
        raise
    with db.atomic():
        fresh = Payment.get_by_id(payment.id)
        merged = dict(fresh.details or {})
        merged.update(started.details)
        merged["action"] = started.action.as_dict()
        Payment.update(
            provider_reference=started.provider_reference[:64],
            details=merged,
            updated_at=utcnow(),
        ).where(Payment.id == payment.id).execute()
    payment = Payment.get_by_id(payment.id)
    payment = apply_report(payment, started.report, "start")
    return StartResult(payment, started.action)


# --- transitions -------------------------------------------------------------------------


def apply_report(payment: Payment, report: StatusReport | None, source: str) -> Payment:
    """Apply a status report idempotently; return the payment as it is now."""
    if report is None:
        return payment
    target = report.state
    for _attempt in range(8):
        current = Payment.get_by_id(payment.id)
        if target is None or target == current.state or not states.allowed(current.state, target):
            if target is None and report.provider_status in ("", current.provider_status):
                return current  # nothing new (e.g. still INITIAL): no history entry
            PaymentEvent.create(
                payment=current,
                source=source,
                provider_status=report.provider_status[:32],
                from_state=current.state,
                to_state=target or current.state,
                applied=False,
                details=report.details or {},
            )
            if target and target != current.state:
                log.info(
                    "Payment %s: ignored %s -> %s (%s)",
                    current.public_id,
                    current.state,
                    target,
                    source,
                )
            return current
        now = utcnow()
        details = dict(current.details or {})
        if report.details:
            details["provider"] = {**details.get("provider", {}), **report.details}
        public = states.public_state(target)
        values: dict[str, Any] = {
            "state": target,
            "version": current.version + 1,
            "updated_at": now,
            "provider_status": (report.provider_status or current.provider_status)[:32],
            "reason_code": (report.reason_code or states.DEFAULT_REASON.get(target, ""))
            if public in ("failed", "cancelled")
            else "",
            "details": details,
        }
        if states.is_finished(target):
            values["finished_at"] = now
        if states.is_success(target):
            values["succeeded_at"] = now
        with db.atomic():
            changed = (
                Payment.update(**values)
                .where((Payment.id == current.id) & (Payment.version == current.version))
                .execute()
            )
            if changed != 1:
                continue  # someone else moved it first: look again
            PaymentEvent.create(
                payment=current,
                source=source,
                provider_status=report.provider_status[:32],
                from_state=current.state,
                to_state=target,
                applied=True,
                details=report.details or {},
            )
            updated = Payment.get_by_id(current.id)
            _after_transition(updated, current.state)
        _after_commit(updated, current.state)
        return updated
    raise RuntimeError(f"payment {payment.public_id} keeps changing; giving up this report")


def _after_transition(payment: Payment, previous: str) -> None:
    before, after = states.public_state(previous), states.public_state(payment.state)
    if before == after:
        return
    if after == "succeeded":
        duplicates = notices.settle(payment)
        if duplicates:
            details = dict(payment.details or {})
            details["duplicate"] = duplicates
            Payment.update(details=details).where(Payment.id == payment.id).execute()
            payment.details = details
            log.warning(
                "Payment %s paid something already paid (%s): refund needed",
                payment.public_id,
                ", ".join(duplicates),
            )
            events.emit("payment.duplicate", payment=payment)
        _supersede(payment)
    elif after == "refunded":
        notices.unsettle(payment)
    name = states.EVENTS.get(after)
    if name:
        events.emit(name, payment=payment)


def _supersede(paid: Payment) -> None:
    """Cancel the other unfinished attempts to pay the same thing."""
    query = Payment.select().where(
        (Payment.id != paid.id) & Payment.state.in_(_UNFINISHED) & (Payment.user == paid.user)
    )
    if paid.subject_type in notices.SUBJECTS:
        covered = set((paid.details or {}).get("covers") or [])
        query = query.where(Payment.subject_type.in_(notices.SUBJECTS))
        others = [p for p in query if covered & set((p.details or {}).get("covers") or [])]
    else:
        others = list(
            query.where(
                (Payment.subject_type == paid.subject_type)
                & (Payment.subject_id == paid.subject_id)
            )
        )
    for other in others:
        apply_report(
            other,
            StatusReport(
                states.CANCELLED,
                "SUPERSEDED",
                states.REASON_CANCELLED_BY_PORTAL,
                {"superseded_by": paid.public_id},
            ),
            "portal",
        )


def _after_commit(payment: Payment, previous: str) -> None:
    """Work that must only start once the transition is committed."""
    if states.is_success(payment.state) and not states.is_success(previous):
        from app.payments import tasks as payment_tasks

        try:
            payment_tasks.render_receipt(payment.id)
        except Exception:  # the receipt is rendered on demand later
            log.exception("Could not queue the receipt for payment %s", payment.public_id)


# --- reading the provider ----------------------------------------------------------------


def _expired(payment: Payment, now: Any) -> bool:
    config = settings.current()
    limit = timedelta(minutes=int(config["PAYMENT_EXPIRE_AFTER_MINUTES"]))
    return payment.state in (states.CREATED, states.REDIRECTED) and payment.created_at < now - limit


def refresh_payment(payment: Payment, source: str = "poll") -> Payment:
    """Ask the provider for the status and apply it; expire abandoned payments.

    Provider errors are logged and leave the payment as it is (asked again later).
    """
    config = settings.current()
    now = utcnow()
    try:
        plugin = providers.get(payment.provider, config, enabled_only=False)
    except DomainError:
        log.warning("Payment %s: provider %s is gone", payment.public_id, payment.provider)
        return payment
    Payment.update(last_checked_at=now, check_count=Payment.check_count + 1).where(
        Payment.id == payment.id
    ).execute()
    try:
        report = plugin.fetch_status(payment)
    except PaymentProviderError as exc:
        PaymentEvent.create(
            payment=payment,
            source=source,
            from_state=payment.state,
            to_state=payment.state,
            applied=False,
            details=exc.summary(),
        )
        return Payment.get_by_id(payment.id)
    if (report is None or report.state is None) and _expired(payment, now):
        report = StatusReport(
            states.EXPIRED,
            report.provider_status if report else "",
            states.REASON_EXPIRED,
        )
    return apply_report(payment, report, source)


def handle_return(payment: Payment, params: dict[str, str]) -> Payment:
    """The citizen is back from the provider: learn the outcome from the provider.

    Once the payment is finished the outcome is known: a replay of the return URL
    (reload, back button, a shared link) asks no provider and records nothing.
    """
    if states.is_finished(payment.state):
        return payment
    config = settings.current()
    try:
        plugin = providers.get(payment.provider, config, enabled_only=False)
        report = plugin.handle_return(payment, params)
    except PaymentProviderError as exc:
        PaymentEvent.create(
            payment=payment,
            source="return",
            from_state=payment.state,
            to_state=payment.state,
            applied=False,
            details=exc.summary(),
        )
        return payment
    return apply_report(payment, report, "return")


def maybe_refresh(payment: Payment) -> Payment:
    """Refresh an unfinished payment for a status request, at most every few seconds."""
    if payment.state not in (states.CREATED, states.REDIRECTED, states.APPROVED):
        return payment
    config = settings.current()
    limit = timedelta(seconds=int(config["PAYMENT_REFRESH_SECONDS"]))
    if payment.last_checked_at and payment.last_checked_at > utcnow() - limit:
        return payment
    return refresh_payment(payment, "status")


def poll_candidates(now: Any = None, limit: int = 200) -> list[Payment]:
    """Payments to ask about: unfinished ones every interval; unsuccessful ones hourly
    (a provider may still report a late success) until PAYMENT_POLL_GIVE_UP_DAYS."""
    config = settings.current()
    now = now or utcnow()
    polling = [
        name for name, cls in providers.registered().items() if cls.polls and cls.configured(config)
    ]
    if not polling:
        return []
    interval = timedelta(minutes=int(config["PAYMENT_POLL_INTERVAL_MINUTES"]))
    after = timedelta(seconds=int(config["PAYMENT_POLL_AFTER_SECONDS"]))
    oldest = now - timedelta(days=int(config["PAYMENT_POLL_GIVE_UP_DAYS"]))
    due_unfinished = Payment.state.in_([states.CREATED, states.REDIRECTED, states.APPROVED]) & (
        Payment.last_checked_at.is_null() | (Payment.last_checked_at <= now - interval)
    )
    due_unsuccessful = (
        Payment.state.in_(_UNSUCCESSFUL)
        & (Payment.provider_reference != "")
        & (Payment.reason_code != states.REASON_CANCELLED_BY_PORTAL)
        & (
            Payment.last_checked_at.is_null()
            | (Payment.last_checked_at <= now - timedelta(hours=1))
        )
    )
    return list(
        Payment.select()
        .where(
            Payment.provider.in_(polling)
            & (Payment.created_at <= now - after)
            & (Payment.created_at >= oldest)
            & (due_unfinished | due_unsuccessful)
        )
        .order_by(Payment.last_checked_at.asc(nulls="first"), Payment.id)
        .limit(limit)
    )


def expire_forgotten(now: Any = None) -> int:
    """Expire what nobody can finish any more: payments of providers without a status
    to poll (a SEPA mandate form never sent) after PAYMENT_EXPIRE_AFTER_MINUTES, and
    every open payment after PAYMENT_POLL_GIVE_UP_DAYS."""
    config = settings.current()
    now = now or utcnow()
    oldest = now - timedelta(days=int(config["PAYMENT_POLL_GIVE_UP_DAYS"]))
    abandoned = now - timedelta(minutes=int(config["PAYMENT_EXPIRE_AFTER_MINUTES"]))
    silent = [name for name, cls in providers.registered().items() if not cls.polls]
    query = Payment.select().where(
        (
            Payment.state.in_([states.CREATED, states.REDIRECTED, states.APPROVED])
            & (Payment.created_at < oldest)
        )
        | (
            (Payment.state == states.CREATED)
            & Payment.provider.in_(silent)
            & (Payment.created_at < abandoned)
        )
    )
    count = 0
    for payment in query:
        apply_report(
            payment, StatusReport(states.EXPIRED, "GAVE_UP", states.REASON_EXPIRED), "poll"
        )
        count += 1
    return count


def poll_payments(now: Any = None, limit: int = 200) -> dict[str, int]:
    """One polling round (Huey periodic task and ``flask payments poll``)."""
    checked = changed = 0
    for payment in poll_candidates(now, limit):
        before = payment.state
        try:
            after = refresh_payment(payment, "poll")
        except Exception:
            log.exception("Polling payment %s failed", payment.public_id)
            continue
        checked += 1
        changed += after.state != before
    return {"checked": checked, "changed": changed, "expired": expire_forgotten(now)}


# --- citizen and clerk actions -----------------------------------------------------------


def get_for_user(public_id: str, user: User) -> Payment:
    """The citizen's payment; anybody else's is 'not found'."""
    payment = Payment.get_or_none(Payment.public_id == public_id)
    if payment is None or payment.user_id != user.id:
        raise DomainError("not_found", kind="not_found")
    return payment


def list_for_user(user: User, limit: int = 100) -> list[Payment]:
    return list(
        Payment.select()
        .where(Payment.user == user)
        .order_by(Payment.created_at.desc(), Payment.id.desc())
        .limit(limit)
    )


def cancel_by_citizen(payment: Payment) -> Payment:
    """The citizen gives up this attempt (e.g. chose transfer, now wants PayPal)."""
    if payment.state not in (states.CREATED, states.REDIRECTED, states.AWAITING_TRANSFER):
        raise DomainError("payment_not_cancellable", kind="conflict")
    return apply_report(
        payment,
        StatusReport(states.CANCELLED, "CANCELLED_BY_CITIZEN", states.REASON_CANCELLED_BY_CITIZEN),
        "citizen",
    )


def mark_transfer_received(
    payment: Payment, actor: User | None, ip: str = "", received_on: date | None = None
) -> Payment:
    """The treasury saw the transfer on the city's account."""
    from app.accounts import audit

    if payment.provider != "transfer":
        raise DomainError("payment_not_transfer", kind="conflict")
    if states.is_success(payment.state):
        return payment
    if not states.allowed(payment.state, states.PAID):
        raise DomainError("payment_not_cancellable", kind="conflict")
    with db.atomic():
        updated = apply_report(
            payment,
            StatusReport(
                states.PAID,
                "RECEIVED",
                "",
                {"received_on": (received_on or utcnow().date()).isoformat()},
            ),
            "staff",
        )
        audit.record("payment_transfer_received", actor, "payment", payment.public_id, ip)
    return updated


def give_sepa_mandate(
    payment: Payment,
    user: User,
    *,
    consent: bool,
    account_holder: str = "",
    iban: str = "",
    mandate_reference: str | None = None,
    ip: str = "",
) -> Payment:
    """The citizen gives a new SEPA mandate (or reuses one) for ``payment``."""
    from app.models import SepaMandate
    from app.payments import sepa
    from app.tasks import send_mail

    config = settings.current()
    if payment.user_id != user.id:
        raise DomainError("not_found", kind="not_found")
    if payment.provider != "sepa" or payment.state != states.CREATED:
        raise DomainError("payment_not_pending", kind="conflict")
    if consent is not True:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("consent", "sepa_consent_required")]
        )
    locale = (payment.details or {}).get("locale", "de")
    due = (payment.details or {}).get("due_date")
    with db.atomic():
        if mandate_reference:
            mandate = SepaMandate.get_or_none(
                (SepaMandate.reference == mandate_reference)
                & (SepaMandate.user == user)
                & SepaMandate.revoked_at.is_null()
            )
            if mandate is None:
                raise DomainError(
                    "invalid_input",
                    field_errors=[FieldError("mandate_reference", "sepa_mandate_unknown")],
                )
        else:
            holder = sepa.check_account_holder(account_holder)
            checked = sepa.check_iban(iban, config["SEPA_DEBTOR_COUNTRIES"])
            mandate = sepa.create_mandate(
                config,
                user,
                holder,
                checked,
                locale,
                ip,
                reference=(payment.details or {}).get("mandate_reference"),
            )
        debit = sepa.schedule_debit(
            config, payment, mandate, date.fromisoformat(due) if due else None
        )
        updated = apply_report(
            payment,
            StatusReport(
                states.DEBIT_SCHEDULED,
                "MANDATE_GIVEN",
                "",
                {
                    "mandate_reference": mandate.reference,
                    "iban": sepa.mask(mandate.iban),
                    "collection_date": debit.collection_date.isoformat(),
                },
            ),
            "citizen",
        )
        text = sepa.pre_notification(config, debit, locale)
        events.emit(
            "payment.pre_notification",
            payment=updated,
            text=text,
            collection_date=debit.collection_date,
        )
    from app.i18n import translate

    send_mail(user.email, translate("payments.sepa.pre_notification_subject", locale), text)
    return updated
