"""How applications and payments meet (the engine's side of the payments contract).

* An application ``awaiting_payment`` is a payable; paying it starts its workflow
  (for the parking permit that means: issued the moment the payment succeeds).
* A service paid after the decision (the dog tax) gets a notice with its instalments
  when approved, payable on the citizen's "open notices" page; the definition may
  charge the first year pro rata and collect it under the form's SEPA mandate
  (``app.applications.yearly_notices``).
* Payment receipts and new notices reach the inbox.
"""

from __future__ import annotations

from datetime import date

from app import events
from app.applications import definitions, inbox, lifecycle, yearly_notices
from app.applications.documents import store_document
from app.applications.references import display
from app.i18n import Text, translate
from app.models import Application, ApplicationEvent, User
from app.payments import payables
from app.payments.notices import create_notice
from app.service_definitions import workflow
from app.tasks import huey


def _describe(application: Application, locale: str) -> str:
    """ "<service title> (<reference>)" in ``locale``."""
    definition = definitions.of_application(application)
    title = definition.data["title"].get(locale) or definition.data["title"]["de"]
    return f"{title} ({display(application.reference)})"


def describe_application(subject_id: str, locale: str) -> str | None:
    """The fee payment's description in the reader's language."""
    application = Application.get_or_none(Application.id == subject_id)
    return _describe(application, locale) if application is not None else None


def application_payable(subject_id: str, user: User) -> payables.Payable | None:
    """The fee of the user's application while it waits for payment."""
    application = Application.get_or_none(
        (Application.id == str(subject_id)) & (Application.user == user)
    )
    if (
        application is None
        or application.status != "awaiting_payment"
        or application.fee_cents <= 0
    ):
        return None
    items = tuple(
        payables.PayableItem(
            reference=f"{application.reference}-{line['rule']}",
            description=line["label"].get(user.locale) or line["label"]["de"],
            amount_cents=line["amount_cents"],
        )
        for line in (application.fees or {}).get("lines", [])
        if line["amount_cents"] > 0
    )
    return payables.Payable(
        subject_type="application",
        subject_id=application.id,
        user_id=user.id,
        amount_cents=application.fee_cents,
        purpose=payables.clean_purpose(f"Antrag {application.reference}"),
        description=_describe(application, user.locale),
        items=items if sum(i.amount_cents for i in items) == application.fee_cents else (),
    )


def start_paid_application(payment) -> None:
    """The fee is in: the application enters its workflow (rules may decide at once)."""
    if payment.subject_type != "application":
        return
    application = Application.get_or_none(Application.id == payment.subject_id)
    if application is None or application.status != "awaiting_payment":
        return
    lifecycle.record_event(application, "payment", None, "system", message=payment.provider)
    lifecycle.enter_workflow(application)


def file_receipt(payment) -> None:
    """Put the payment receipt into the payer's inbox (rendered in the background)."""
    if payment.user_id:
        _file_receipt(payment.id)


@huey.task(retries=3, retry_delay=30)
def _file_receipt(payment_id: int) -> None:
    from app.models import Document, Payment
    from app.payments.receipts import receipt_bytes

    payment = Payment.get_or_none(Payment.id == payment_id)
    if payment is None or payment.user is None:
        return
    name = f"Zahlungsbeleg-{payment.public_id}.pdf"
    if (
        Document.select()
        .where((Document.user == payment.user) & (Document.filename == name))
        .exists()
    ):
        return
    application = None
    if payment.subject_type == "application":
        application = Application.get_or_none(Application.id == payment.subject_id)
    document = store_document(
        payment.user, "payment_receipt", name, receipt_bytes(payment), application=application
    )
    inbox.post(
        payment.user,
        "receipt",
        Text("applications.inbox.payment_subject"),
        Text("applications.inbox.payment_body"),
        application=application,
        document=document,
    )


def announce_notice(notice) -> None:
    """A new notice to pay appears in the inbox."""
    if notice.user is None:
        return
    inbox.post(
        notice.user,
        "notice",
        Text("applications.inbox.notice_subject", title=notice.title),
        Text("applications.inbox.notice_body", kassenzeichen=notice.kassenzeichen),
    )


def announce_direct_debit(payment, text: str, collection_date: date) -> None:
    """SEPA pre-notification: the citizen learns amount and date before the debit."""
    if payment.user is None:
        return
    # The pre-notification text is the mandate's legal wording, sent as mailed.
    inbox.post(payment.user, "status", Text("applications.inbox.debit_subject"), text)


def notice_after_decision(application: Application, event: ApplicationEvent) -> None:
    """Services paid after a positive decision get their notice with instalments, of
    the kind the definition names (a plain fee notice if it names none)."""
    if application.fee_cents <= 0:
        return
    definition = definitions.of_application(application)
    payment = definition.data["payment"]
    if payment["policy"] != "after_decision":
        return
    if workflow.decision_of(definition, event.to_status) != "positive":
        return
    issued_on = yearly_notices.today()
    instalments, periods = yearly_notices.schedule_of(definition, application, issued_on)
    title = definition.data["title"].get("de")
    notice = create_notice(
        application.user,
        kind=payment.get("notice_kind", "fee"),
        title=f"{title} ({display(application.reference)})",
        kassenzeichen=yearly_notices.notice_kassenzeichen(application.reference),
        instalments=instalments,
        issued_on=issued_on,
        actor=None,
        description=translate(
            "applications.notice.description", "de", reference=display(application.reference)
        ),
        source="application",
    )
    yearly_notices.record_periods(notice, periods)
    yearly_notices.collect_if_mandated(notice, definition, application)


def register_builtin() -> None:
    """Make applications payable and let payments and notices move them on.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    payables.describer("application")(describe_application)
    payables.register("application")(application_payable)
    events.subscribe("payment.succeeded")(start_paid_application)
    events.subscribe("payment.succeeded")(file_receipt)
    events.subscribe("notice.created")(announce_notice)
    events.subscribe("payment.pre_notification")(announce_direct_debit)
    events.subscribe("application.status_changed")(notice_after_decision)
    events.subscribe("application.status_changed")(yearly_notices.end_after_decision)
