"""Feedback from citizens: stored for the administration and mailed to its contact.

The accessibility statement must offer a way to report barriers (BITV 2.0 § 7); the
report reaches the city's contact person at once and stays on record until handled.
Each feedback is new, answered (a reply went out, see ``app.feedback.replies``) or
closed; the admins' list shows its age and marks accessibility feedback past the
answer deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from app.accounts import audit
from app.accounts.users import normalise_email
from app.db import utcnow
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.models import Feedback, FeedbackReply, User
from app.tasks import send_mail

KINDS = ("accessibility", "general")
# new: nobody has answered yet; answered: a reply went out; closed: dealt with.
STATUSES = ("new", "answered", "closed")
# Accessibility feedback must be answered within a deadline (BITV 2.0 § 7,
# EU 2016/2102 art. 7); the console marks reports older than this without an answer.
ANSWER_WITHIN = timedelta(days=14)


def submit(
    kind: str,
    message: str,
    email: str | None,
    page: str,
    locale: str,
    user: User | None,
    contact: str | None,
) -> Feedback:
    """Store feedback and mail it to ``contact`` (the configured address), if any."""
    errors = []
    message = (message or "").strip()
    if kind not in KINDS:
        errors.append(FieldError("kind", "invalid_choice"))
    if not message or len(message) > 4000:
        errors.append(FieldError("message", "feedback_message"))
    reply_to = None
    if email:
        try:
            reply_to = normalise_email(email)
        except DomainError:
            errors.append(FieldError("email", "invalid_email"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    feedback = Feedback.create(
        kind=kind,
        message=message,
        email=reply_to,
        page=(page or "")[:500],
        locale=locale,
        user=user,
    )
    if contact:
        send_mail(
            contact,
            translate(f"feedback.mail_subject_{kind}", "de", number=feedback.id),
            translate(
                "feedback.mail_body",
                "de",
                message=message,
                reply_to=reply_to or translate("feedback.no_reply_address", "de"),
                page=feedback.page or "–",
            ),
        )
    return feedback


def get(feedback_id: int) -> Feedback:
    """One feedback by id, or ``not_found``."""
    feedback = Feedback.get_or_none(Feedback.id == feedback_id)
    if feedback is None:
        raise DomainError("not_found", kind="not_found")
    return feedback


def search(
    statuses: Sequence[str] = (),
    kind: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Feedback]:
    """Feedback newest first, narrowed by status and kind; page with ``before_id``."""
    query = Feedback.select()
    if statuses:
        query = query.where(Feedback.status.in_(list(statuses)))
    if kind:
        query = query.where(Feedback.kind == kind)
    if before_id:
        query = query.where(Feedback.id < before_id)
    return list(query.order_by(Feedback.id.desc()).limit(limit))


def overdue(feedback: Feedback, now: datetime | None = None) -> bool:
    """Accessibility feedback still without an answer after the legal deadline."""
    return (
        feedback.kind == "accessibility"
        and feedback.status == "new"
        and (now or utcnow()) - feedback.created_at > ANSWER_WITHIN
    )


def age_days(feedback: Feedback, now: datetime | None = None) -> int:
    """Whole days since the feedback arrived."""
    return max(0, ((now or utcnow()) - feedback.created_at).days)


def view(feedback: Feedback, now: datetime | None = None) -> dict[str, Any]:
    """A feedback as the console shows it: with its age and whether it is overdue."""
    data: dict[str, Any] = {
        "id": feedback.id,
        "kind": feedback.kind,
        "message": feedback.message,
        "email": feedback.email,
        "has_address": bool(feedback.email),
        "page": feedback.page,
        "locale": feedback.locale,
        "created_at": feedback.created_at,
        "status": feedback.status,
        "handled_at": feedback.handled_at,
        "age_days": age_days(feedback, now),
        "overdue": overdue(feedback, now),
    }
    return data


def viewed(feedback: Feedback, admin: User, ip: str = "") -> Feedback:
    """Log that an admin opened a feedback (it may hold the citizen's address)."""
    if feedback.email:
        audit.record("feedback_viewed", admin, "feedback", feedback.id, ip)
    return feedback


def close(feedback_id: int, admin: User | None = None, ip: str = "") -> Feedback:
    """Record that the administration has dealt with a report."""
    feedback = get(feedback_id)
    if feedback.status != "closed":
        feedback.status = "closed"
        feedback.handled_at = utcnow()
        feedback.save()
        audit.record("feedback_closed", admin, "feedback", feedback.id, ip)
    return feedback


def reopen(feedback_id: int, admin: User | None = None, ip: str = "") -> Feedback:
    """Open a closed report again: answered if a reply went out, otherwise new."""
    feedback = get(feedback_id)
    if feedback.status == "closed":
        answered = FeedbackReply.select().where(FeedbackReply.feedback == feedback).exists()
        feedback.status = "answered" if answered else "new"
        feedback.handled_at = None
        feedback.save()
        audit.record("feedback_reopened", admin, "feedback", feedback.id, ip)
    return feedback


def mark_handled(feedback_id: int) -> Feedback:
    """Record that the administration has dealt with a report (same as closing it)."""
    return close(feedback_id)
