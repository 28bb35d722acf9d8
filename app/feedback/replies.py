"""Replies to citizens' feedback: mailed once to the address the citizen gave, stored
with who replied when; the feedback becomes answered."""

from __future__ import annotations

from typing import Any

import peewee

from app.accounts import audit
from app.db import db
from app.errors import DomainError, FieldError
from app.feedback import get
from app.i18n import translate
from app.models import Feedback, FeedbackReply, User
from app.tasks import send_mail

MAX_REPLY = 10000
MAX_SUBJECT = 200


def default_subject(feedback: Feedback) -> str:
    """The reply's subject unless the admin writes one, in the citizen's language."""
    return translate("feedback.reply_subject", feedback.locale, number=feedback.id)


def reply(
    feedback_id: int,
    admin: User,
    body: str,
    subject: str | None = None,
    ip: str = "",
    idempotency_key: str | None = None,
) -> tuple[FeedbackReply, bool]:
    """Mail the admin's reply to the citizen (plain text, exactly one mail through the job
    queue after the commit), store it with who replied when, and mark the feedback
    answered. Refused when the citizen gave no address.

    Returns the reply and whether it is new: a request repeated with the same
    ``idempotency_key`` finds the first reply and sends nothing again."""
    body = (body or "").strip()
    subject = " ".join((subject or "").split())
    errors = []
    if not body:
        errors.append(FieldError("body", "required"))
    elif len(body) > MAX_REPLY:
        errors.append(FieldError("body", "too_long", {"max": MAX_REPLY}))
    if len(subject) > MAX_SUBJECT:
        errors.append(FieldError("subject", "too_long", {"max": MAX_SUBJECT}))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    feedback = get(feedback_id)
    earlier = _earlier_reply(feedback, idempotency_key)
    if earlier is not None:
        return earlier, False
    if not feedback.email:
        raise DomainError("feedback_no_address", kind="conflict")
    try:
        with db.atomic():
            answer = FeedbackReply.create(
                feedback=feedback,
                author=admin,
                subject=subject or default_subject(feedback),
                body=body,
                sent_to=feedback.email,
                locale=feedback.locale,
                idempotency_key=idempotency_key,
            )
            Feedback.update(status="answered", handled_at=None).where(
                Feedback.id == feedback.id
            ).execute()
            audit.record("feedback_replied", admin, "feedback", feedback.id, ip, reply=answer.id)
            # Enqueued once, after the commit: a rolled-back reply sends nothing.
            send_mail(answer.sent_to, answer.subject, answer.body)
    except peewee.IntegrityError:
        # The same request arrived twice at once; the other one sends the mail.
        earlier = _earlier_reply(feedback, idempotency_key)
        if earlier is None:
            raise
        return earlier, False
    return answer, True


def _earlier_reply(feedback: Feedback, key: str | None) -> FeedbackReply | None:
    if not key:
        return None
    return FeedbackReply.get_or_none(
        (FeedbackReply.feedback == feedback) & (FeedbackReply.idempotency_key == key)
    )


def of(feedback: Feedback) -> list[FeedbackReply]:
    """The replies to a feedback, oldest first, with their authors."""
    return list(
        FeedbackReply.select(FeedbackReply, User)
        .join(User, peewee.JOIN.LEFT_OUTER, on=(FeedbackReply.author == User.id))
        .where(FeedbackReply.feedback == feedback)
        .order_by(FeedbackReply.id)
    )


def view(answer: FeedbackReply) -> dict[str, Any]:
    """A reply as the console shows it."""
    return {
        "id": answer.id,
        "subject": answer.subject,
        "body": answer.body,
        "sent_to": answer.sent_to,
        "locale": answer.locale,
        "created_at": answer.created_at,
        "author": answer.author.email if answer.author_id else None,
    }
