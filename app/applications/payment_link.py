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

import peewee

from app import events
from app.applications import definitions, inbox, lifecycle, yearly_notices
from app.applications.documents import store_document
from app.applications.references import display
from app.db import db
from app.i18n import Text, translate
from app.models import Application, ApplicationEvent, Notice, NoticeInstalment, User
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


RECEIPT_KIND = "payment_receipt"


def _receipt_filed(payment) -> bool:
    from app.models import Document

    return (
        Document.select()
        .where((Document.payment == payment.id) & (Document.kind == RECEIPT_KIND))
        .exists()
    )


@huey.task(retries=3, retry_delay=30)
def _file_receipt(payment_id: int) -> None:
    from app.models import Payment
    from app.payments.receipts import receipt_bytes

    payment = Payment.get_or_none(Payment.id == payment_id)
    if payment is None or payment.user is None:
        return
    if _receipt_filed(payment):
        return
    application = application_of_payment(payment)
    try:
        # One receipt per payment (unique payment and kind): a payment announced twice,
        # or this job run twice at once, files it once.
        with db.atomic():
            document = store_document(
                payment.user,
                RECEIPT_KIND,
                f"Zahlungsbeleg-{payment.public_id}.pdf",
                receipt_bytes(payment),
                application=application,
                payment=payment,
            )
    except peewee.IntegrityError:
        return
    inbox.post(
        payment.user,
        "receipt",
        Text("applications.inbox.payment_subject"),
        Text("applications.inbox.payment_body"),
        application=application,
        document=document,
    )


def application_of_notice(notice: Notice) -> Application | None:
    """The application whose decision issued ``notice`` (``None``: a notice of its own)."""
    prefix = yearly_notices.notice_kassenzeichen("")
    if notice.source != "application" or not notice.kassenzeichen.startswith(prefix):
        return None
    return Application.get_or_none(
        (Application.reference == notice.kassenzeichen[len(prefix) :])
        & (Application.user == notice.user_id)
    )


def application_of_payment(payment) -> Application | None:
    """The application a payment is for: its fee, or a notice or instalment it issued."""
    if payment.subject_type == "application":
        return Application.get_or_none(Application.id == payment.subject_id)
    notice = None
    if payment.subject_type == "notice":
        notice = Notice.get_or_none(Notice.public_id == payment.subject_id)
    elif payment.subject_type == "instalment" and str(payment.subject_id).isdigit():
        instalment = NoticeInstalment.get_or_none(NoticeInstalment.id == int(payment.subject_id))
        notice = instalment.notice if instalment is not None else None
    return application_of_notice(notice) if notice is not None else None


def announce_notice(notice) -> None:
    """A new notice to pay appears in the inbox, in its application's thread."""
    if notice.user is None:
        return
    inbox.post(
        notice.user,
        "notice",
        Text("applications.inbox.notice_subject", title=notice.title),
        Text("applications.inbox.notice_body", kassenzeichen=notice.kassenzeichen),
        application=application_of_notice(notice),
    )


def announce_direct_debit(payment, text: str, collection_date: date) -> None:
    """SEPA pre-notification: the citizen learns amount and date before the debit."""
    if payment.user is None:
        return
    # The pre-notification text is the mandate's legal wording, sent as mailed.
    inbox.post(
        payment.user,
        "status",
        Text("applications.inbox.debit_subject"),
        text,
        application=application_of_payment(payment),
    )


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
