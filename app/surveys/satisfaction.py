"""The optional question after a submitted application: how satisfied the citizen was
with applying online (five steps) and an optional comment.

One answer per application; the answer is stored apart from the case and never shown
to clerks with it. Results per service come from ``app.surveys.results``.
"""

from __future__ import annotations

from datetime import date

import peewee

from app.applications.drafts import get_own
from app.db import db
from app.errors import DomainError, FieldError
from app.models import Application, SatisfactionAnswer, ServiceDefinitionRecord, User
from app.surveys import city_today

RATINGS = (1, 2, 3, 4, 5)
MAX_COMMENT = 2000


def give(
    user: User,
    application_id: str,
    rating: int,
    comment: str | None = None,
    key: str | None = None,
    today: date | None = None,
) -> tuple[SatisfactionAnswer, bool]:
    """Store the owner's answer for a submitted application.

    Returns the answer and whether it is new: the same ``key`` (a retried request)
    finds the first answer; any other second answer is ``satisfaction_given`` (409).
    Someone else's application is not found; a draft is ``not_submitted`` (409).
    """
    comment = (comment or "").strip()
    errors = []
    if rating not in RATINGS:
        errors.append(FieldError("rating", "invalid_choice"))
    if len(comment) > MAX_COMMENT:
        errors.append(FieldError("comment", "too_long", {"max": MAX_COMMENT}))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    application = get_own(user, application_id)
    earlier = _earlier(application, key)
    if earlier is not None:
        return earlier, False
    if application.submitted_at is None:
        raise DomainError("not_submitted", kind="conflict")
    if SatisfactionAnswer.select().where(SatisfactionAnswer.application == application).exists():
        raise DomainError("satisfaction_given", kind="conflict")
    try:
        with db.atomic():
            answer = SatisfactionAnswer.create(
                application=application,
                service_id=application.service_id,
                version=_version(application),
                day=today or city_today(),
                rating=rating,
                comment=comment,
                idempotency_key=key,
            )
    except peewee.IntegrityError as exc:
        # Sent twice at once: the other request stored it.
        earlier = _earlier(application, key)
        if earlier is None:
            raise DomainError("satisfaction_given", kind="conflict") from exc
        return earlier, False
    return answer, True


def _earlier(application: Application, key: str | None) -> SatisfactionAnswer | None:
    if not key:
        return None
    return SatisfactionAnswer.get_or_none(
        (SatisfactionAnswer.application == application)
        & (SatisfactionAnswer.idempotency_key == key)
    )


def _version(application: Application) -> int:
    return (
        ServiceDefinitionRecord.select(ServiceDefinitionRecord.version)
        .where(ServiceDefinitionRecord.id == application.definition_id)
        .scalar()
    )


def given(user: User, application_id: str) -> SatisfactionAnswer | None:
    """The owner's answer for an application, if any (the confirmation page asks once)."""
    application = get_own(user, application_id)
    return SatisfactionAnswer.get_or_none(SatisfactionAnswer.application == application)
