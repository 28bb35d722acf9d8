"""Which events a citizen must hear about, and what a notification about them says.

One place for every channel: push and e-mail both ask these functions, so a rule
("the citizen's own steps are not announced", "a document issued with a decision
comes with the decision") holds for both.

Kinds:

* ``decision``: an application reached a status the workflow calls a decision.
* ``query``: the workflow now waits for the citizen (a question to answer).
* ``status``: any other status change a clerk or the system made (push only), except
  internal moves (``notify: false`` in the workflow table).
* ``document``: a document is ready in the inbox.
* ``payment_due``: a payment notice with due dates was issued.
* ``payment_failed``: a payment did not go through (e.g. a returned direct debit).
* ``refund_account``: a refund waits for the account the citizen names.
* ``instalment_due``: an instalment the citizen pays themselves is due soon
  (``app.notifications.instalment_reminders``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from app import links
from app.applications import definitions
from app.applications.references import display
from app.db import utcnow
from app.models import (
    Application,
    ApplicationEvent,
    InboxMessage,
    Notice,
    NoticeInstalment,
    Payment,
)
from app.service_definitions import workflow, workflow_messages

# A document that arrives within this time after a status message came with that
# status change (a decision's notice, the receipt after submitting): the status
# notification already covers it.
STATUS_NEAR = datetime.timedelta(minutes=2)
# Inbox messages that answer the citizen's own step (a receipt for submitting or
# paying): the citizen started it, so the document is not announced.
OWN_STEP_MESSAGES = ("receipt",)


@dataclass(frozen=True)
class CitizenNotice:
    """What one notification says: no personal data beyond the reference.

    ``key`` names the event (the same event always gets the same key); ``path`` is
    the page in the PWA the notification leads to; ``service`` the service's name
    per language (empty for payments, which name their Kassenzeichen instead).
    """

    kind: str
    key: str
    user_id: int
    reference: str
    path: str
    service: dict[str, str]


def _shown(reference: str | None) -> str:
    """An application's reference as printed on its documents (``K7P4 9QX2``)."""
    return display(reference) if reference else ""


def citizen_must_act(definition: Any, status: str) -> bool:
    """Whether the workflow waits for the citizen in ``status`` (e.g. a question to answer)."""
    return any(
        not workflow.is_terminal(definition, row["to"])
        for row in workflow.actions(definition, status, "citizen")
    )


def announces_status_change(event: ApplicationEvent) -> bool:
    """Whether a status change is news to the citizen: not their own step, not submitting,
    not an internal move the workflow marks ``notify: false`` (a clerk taking a case)."""
    if event.actor_role == "citizen" or event.from_status in ("", "draft"):
        return False
    definition = definitions.of_application(event.application)
    row = workflow.transition(definition, event.from_status, event.to_status, event.actor_role)
    return workflow_messages.notifies(row)


def status_change_kind(definition: Any, status: str) -> str:
    """``decision``, ``query`` or ``status`` for an application that reached ``status``."""
    if workflow.decision_of(definition, status) is not None:
        return "decision"
    if citizen_must_act(definition, status):
        return "query"
    return "status"


def for_status_change(application: Application, event: ApplicationEvent) -> CitizenNotice | None:
    """The notification about a status change, or ``None`` when it is not announced."""
    if not announces_status_change(event):
        return None
    definition = definitions.of_application(application)
    return CitizenNotice(
        kind=status_change_kind(definition, event.to_status),
        key=f"status:{event.id}",
        user_id=application.user_id,
        reference=_shown(application.reference),
        path=links.application_page(application.id),
        service=dict(definition.data["title"]),
    )


def for_document(message: InboxMessage) -> CitizenNotice | None:
    """The notification that a document is ready, unless a status change brought it."""
    if message.document_id is None or message.kind in OWN_STEP_MESSAGES:
        return None
    if _status_message_near(message):
        return None
    application = message.application if message.application_id else None
    service = dict(definitions.of_application(application).data["title"]) if application else {}
    return CitizenNotice(
        kind="document",
        key=f"document:{message.document_id}",
        user_id=message.user_id,
        reference=_shown(application.reference) if application else "",
        path=links.inbox_message_page(message.id),
        service=service,
    )


def _status_message_near(message: InboxMessage) -> bool:
    since = (message.created_at or utcnow()) - STATUS_NEAR
    return (
        InboxMessage.select()
        .where(
            (InboxMessage.user == message.user_id)
            & (InboxMessage.kind == "status")
            & (InboxMessage.id != message.id)
            & (InboxMessage.created_at >= since)
        )
        .exists()
    )


def for_notice(notice: Notice) -> CitizenNotice | None:
    """The notification that a payment is due; a notice issued with an application's
    decision is announced by the decision."""
    if notice.user_id is None or notice.source == "application":
        return None
    return CitizenNotice(
        kind="payment_due",
        key=f"notice:{notice.id}",
        user_id=notice.user_id,
        reference=notice.kassenzeichen,
        path=links.notice_page(notice.public_id),
        service={},
    )


def for_failed_payment(payment: Payment) -> CitizenNotice | None:
    """The notification that a payment failed, leading to what was to be paid."""
    if payment.user_id is None:
        return None
    reference = payment.kassenzeichen or payment.purpose
    if payment.subject_type == "application":
        path = links.application_page(payment.subject_id)
        application = Application.get_or_none(Application.id == payment.subject_id)
        reference = _shown(application.reference if application else "") or reference
    elif payment.subject_type == "notice":
        path = links.notice_page(payment.subject_id)
    elif payment.subject_type == "instalment" and payment.subject_id.isdigit():
        row = NoticeInstalment.get_or_none(NoticeInstalment.id == int(payment.subject_id))
        path = links.notice_page(row.notice.public_id) if row else links.payments_page()
    else:
        path = links.payments_page()
    return CitizenNotice(
        kind="payment_failed",
        key=f"payment_failed:{payment.id}",
        user_id=payment.user_id,
        reference=reference,
        path=path,
        service={},
    )


def for_refund_account(notice: Notice, refund_id: int) -> CitizenNotice | None:
    """The notification that a refund needs the citizen's bank account (one per refund:
    a notice may owe back twice, e.g. after its end was corrected)."""
    if notice.user_id is None:
        return None
    return CitizenNotice(
        kind="refund_account",
        key=f"refund_account:{refund_id}",
        user_id=notice.user_id,
        reference=notice.kassenzeichen,
        path=links.notice_page(notice.public_id),
        service={},
    )


def for_instalment_due(instalment: NoticeInstalment) -> CitizenNotice | None:
    """The reminder that an instalment is due soon, leading to its notice."""
    notice = instalment.notice
    if notice.user_id is None:
        return None
    return CitizenNotice(
        kind="instalment_due",
        key=f"instalment_due:{instalment.id}",
        user_id=notice.user_id,
        reference=notice.kassenzeichen,
        path=links.notice_page(notice.public_id),
        service={},
    )
