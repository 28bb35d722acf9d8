"""Feedback from citizens: stored for the administration and mailed to its contact.

The accessibility statement must offer a way to report barriers (BITV 2.0 § 7); the
report reaches the city's contact person at once and stays on record until handled.
"""

from __future__ import annotations

from app.accounts.users import normalise_email
from app.db import utcnow
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.models import Feedback, User
from app.tasks import send_mail

KINDS = ("accessibility", "general")


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


def mark_handled(feedback_id: int) -> Feedback:
    """Record that the administration has dealt with a report."""
    feedback = Feedback.get_or_none(Feedback.id == feedback_id)
    if feedback is None:
        raise DomainError("not_found", kind="not_found")
    if feedback.handled_at is None:
        feedback.handled_at = utcnow()
        feedback.save()
    return feedback
