"""SEPA direct debit: the citizen gives (or reuses) a mandate for a payment."""

from __future__ import annotations

from datetime import date

from app import events
from app.db import db
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.models import Payment, SepaMandate, User
from app.payments import sepa, settings, states
from app.payments.states import StatusReport
from app.payments.transitions import apply_report
from app.tasks import send_mail


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

    send_mail(user.email, translate("payments.sepa.pre_notification_subject", locale), text)
    return updated
