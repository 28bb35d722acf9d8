"""Submitting: full validation, a reference number, then payment or the workflow.

Submitting is idempotent: the client sends an idempotency key, and a repeated submit
(a retry after a network error, or an offline queue replaying) returns the same
application instead of creating a second one.
"""

from __future__ import annotations

import peewee

from app import events
from app.applications import attachments, checks, definitions, lifecycle
from app.applications.drafts import check_uploads, get_own
from app.applications.issues import domain_error
from app.applications.references import new_reference
from app.db import db, utcnow
from app.errors import DomainError
from app.models import Application, Profile, User, trust_at_least
from app.service_definitions import compute_fees, validate_answers


def _applicant_name(user: User) -> str:
    profile = Profile.get_or_none(Profile.user == user)
    if profile is None:
        return ""
    return ", ".join(p for p in (profile.family_name, profile.given_names) if p)[:200]


def submit(
    user: User, application_id: str, key: str | None, via: str = ""
) -> tuple[Application, bool]:
    """Submit a draft; return the application and whether this call submitted it.

    ``via`` is how the citizen signed in (the session's method: email, passkey, eid);
    the statistics count the trust level used at submission from it.
    """
    if key:
        earlier = Application.get_or_none(
            (Application.user == user) & (Application.submit_key == key)
        )
        if earlier is not None:
            return earlier, False
    application = get_own(user, application_id)
    if application.status != "draft":
        # Submitted already (e.g. by another device): the same application, not an error.
        return application, False
    definition = definitions.of_application(application)
    if not trust_at_least(user.trust_level, definition.trust_level):
        # "high" needs the Online-Ausweis; "substantial" offers BundID (ELSTER) beside it.
        code = (
            "trust_level_required"
            if definition.trust_level == "high"
            else "trust_level_substantial_required"
        )
        raise DomainError(code, kind="forbidden", required=definition.trust_level)
    result = validate_answers(definition, application.answers)
    extra = checks.problems(application, definition, result.answers)
    if result.errors or extra:
        refusal = domain_error(result.errors)
        refusal.field_errors.extend(extra)
        raise refusal
    answers = check_uploads(application, definition, dict(result.answers))
    fees = compute_fees(definition, answers)
    pay_first = definition.payment_policy == "before_submission" and fees.total_cents > 0
    now = utcnow()
    # Without a fee to pay first the workflow starts right away (enter_workflow moves
    # the application on from "draft" inside the same transaction, so a concurrent
    # second submit finds nothing left to submit).
    changes = {
        Application.status: "awaiting_payment" if pay_first else "draft",
        Application.submit_key: key,
        Application.answers: answers,
        Application.fee_cents: fees.total_cents,
        Application.fees: fees.to_dict(),
        Application.warnings: [
            {"field": w.path, "code": w.code, "de": w.render("de"), "en": w.render("en")}
            for w in result.warnings
        ],
        Application.applicant_name: _applicant_name(user),
        Application.submitted_at: now,
        Application.submitted_via: via[:16],
        Application.updated_at: now,
        Application.revision: Application.revision + 1,
    }
    with db.atomic():
        updated = _claim(application, changes)
        if updated != 1:
            return Application.get_by_id(application.id), False
        application = Application.get_by_id(application.id)
        attachments.discard_unreferenced(application, answers)
        lifecycle.record_event(
            application,
            "submitted",
            user,
            "citizen",
            "draft",
            "awaiting_payment" if pay_first else "",
        )
        if pay_first:
            lifecycle.notify_awaiting_payment(application)
        else:
            lifecycle.enter_workflow(application)
    # After the commit: jobs it starts (the receipt) must find the submitted application.
    events.emit("application.submitted", application=application)
    return Application.get_by_id(application.id), True


def _claim(application: Application, changes: dict) -> int:
    """Write the submission with a fresh reference; retry on the rare collision."""
    for _attempt in range(5):
        changes[Application.reference] = new_reference()
        try:
            with db.atomic():
                return (
                    Application.update(changes)
                    .where(
                        (Application.id == application.id)
                        & (Application.status == "draft")
                        & Application.submitted_at.is_null()
                    )
                    .execute()
                )
        except peewee.IntegrityError:
            if changes.get(Application.submit_key) and Application.get_or_none(
                Application.submit_key == changes[Application.submit_key]
            ):
                return 0
    raise DomainError("internal_error", kind="conflict")
