"""Drafts: created, changed and deleted by their owner, guarded by a revision number.

A draft keeps what the citizen typed even when it is not valid yet (nothing typed is
lost); only input that cannot belong to the form at all is refused, and input invalid
by its size (longer than the field allows, more repeat items than it allows): keeping
that would let one draft grow without bound. A citizen keeps at most a configured
number of open drafts.
"""

from __future__ import annotations

import copy
from typing import Any

import peewee

from app import stored_files
from app.applications import attachments, definitions
from app.applications.issues import domain_error, issue_dicts
from app.db import db, is_postgres, utcnow
from app.eid import binding
from app.errors import DomainError
from app.models import Application, Attachment, Profile, User
from app.service_definitions import Issue, ServiceDefinition, validate_partial
from app.service_definitions.errors import issue
from app.service_definitions.field_types import MAX_LENGTH_LIMIT, is_empty

# Codes that mean the input cannot be part of this form (wrong field, wrong JSON type),
# or is invalid by its size: such answers are refused, never kept in the draft.
_REFUSED = {"unknown_field", "invalid_value", "file.invalid", "text.too_long", "repeat.too_many"}
# The longest text any field may allow (the text types' ``max_length`` limit). A longer
# text fits no field, whatever its type, so it is refused before validation looks at it.
MAX_ANSWER_CHARS = MAX_LENGTH_LIMIT


def _profile_values(user: User) -> dict[str, Any]:
    profile = Profile.get_or_none(Profile.user == user)
    if profile is None:
        return {"profile.email": user.email}
    address = {
        "street": profile.street,
        "house_number": profile.house_number,
        "postal_code": profile.postal_code,
        "city": profile.city,
    }
    return {
        "profile.given_names": profile.given_names,
        "profile.family_name": profile.family_name,
        "profile.birth_date": profile.date_of_birth.isoformat() if profile.date_of_birth else "",
        "profile.email": user.email,
        "profile.phone": profile.phone,
        "profile.address": address if profile.street else None,
    }


def _card_values(user: User) -> dict[str, Any]:
    """What the bound ID card says, in normal case (``eid.*`` prefill sources)."""
    card = binding.verified_display(user)
    born = card.get("date_of_birth")
    address = {
        name: card.get(name, "") for name in ("street", "house_number", "postal_code", "city")
    }
    return {
        "eid.given_names": card.get("given_names", ""),
        "eid.family_name": card.get("family_name", ""),
        "eid.birth_date": born.isoformat() if born else "",
        "eid.address": address if address["street"] else None,
    }


def prefill_values(user: User) -> dict[str, Any]:
    """What each prefill source (``profile.*``, ``eid.*``) holds for ``user``."""
    return {**_profile_values(user), **_card_values(user)}


def prefill(definition: ServiceDefinition, user: User) -> dict[str, Any]:
    """Answers taken from the profile (or the ID card) for fields that ask for them (top
    level only). Loading a definition made sure each source suits its field's type."""
    values = prefill_values(user)
    answers: dict[str, Any] = {}
    for field_id, info in definition.fields.items():
        source = info.field.get("prefill")
        if info.parent is None and source and not is_empty(values.get(source)):
            answers[field_id] = values[source]
    return answers


def previous_answers(definition: ServiceDefinition, user: User) -> dict[str, Any]:
    """The answers a definition's ``prefill_from_previous`` takes from the citizen's
    latest submitted application of the same service (a continuation application).
    Loading made sure the fields are top-level and hold no uploads."""
    wanted = (definition.data.get("prefill_from_previous") or {}).get("fields") or []
    if not wanted:
        return {}
    last = (
        Application.select()
        .where(
            (Application.user == user)
            & (Application.service_id == definition.id)
            & Application.submitted_at.is_null(False)
        )
        .order_by(Application.submitted_at.desc())
        .first()
    )
    if last is None:
        return {}
    return {
        field_id: copy.deepcopy(last.answers[field_id])
        for field_id in wanted
        if not is_empty(last.answers.get(field_id))
    }


def get_own(user: User, application_id: str) -> Application:
    """One of the user's own applications; anyone else's is simply not found."""
    application = Application.get_or_none(
        (Application.id == str(application_id)) & (Application.user == user)
    )
    if application is None:
        raise DomainError("not_found", kind="not_found")
    return application


def check_uploads(
    application: Application, definition: ServiceDefinition, answers: dict[str, Any]
) -> dict[str, Any]:
    """Replace file answers by what the server stored; refuse files of other applications."""
    stored = {a.id: a for a in Attachment.select().where(Attachment.application == application)}
    problems: list[Issue] = []
    for field_id, info in definition.fields.items():
        if info.field["type"] != "file" or info.parent is not None or field_id not in answers:
            continue
        files = answers[field_id] or []
        checked = []
        for item in files if isinstance(files, list) else []:
            upload = stored.get(str(item.get("upload_id", ""))) if isinstance(item, dict) else None
            if upload is None or upload.field_id != field_id:
                problems.append(Issue(field_id, "file.invalid", {}))
                continue
            checked.append(
                {
                    "upload_id": upload.id,
                    "filename": upload.filename,
                    "content_type": upload.content_type,
                    "size": upload.size,
                }
            )
        answers[field_id] = checked
    if problems:
        raise domain_error(problems)
    return answers


def _oversized(value: Any, path: str) -> list[Issue]:
    if isinstance(value, str):
        if len(value) > MAX_ANSWER_CHARS:
            return [issue(path, "text.too_long", max_length=MAX_ANSWER_CHARS)]
        return []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _oversized(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for n, item in enumerate(value) for p in _oversized(item, f"{path}[{n}]")]
    return []


def _clean(
    application: Application, definition: ServiceDefinition, answers: dict[str, Any]
) -> tuple[dict[str, Any], list]:
    if not isinstance(answers, dict):
        raise DomainError("invalid_input")
    oversized = [p for key, value in answers.items() for p in _oversized(value, key)]
    if oversized:
        raise domain_error(oversized)
    result = validate_partial(definition, answers)
    refused = [problem for problem in result.errors if problem.code in _REFUSED]
    if refused:
        raise domain_error(refused)
    cleaned = check_uploads(application, definition, dict(result.answers))
    return cleaned, result.errors


def _by_key(user: User, key: str | None) -> Application | None:
    if not key:
        return None
    return Application.get_or_none((Application.user == user) & (Application.draft_key == key))


def _check_room(user: User, max_open: int | None) -> None:
    """Refuse a new draft when the citizen already has ``max_open`` open ones.

    Called inside the creating transaction, after taking the user's lock, so parallel
    creations count each other's drafts.
    """
    if max_open is None:
        return
    open_drafts = (
        Application.select()
        .where((Application.user == user) & (Application.status == "draft"))
        .count()
    )
    if open_drafts >= max_open:
        raise DomainError("too_many_drafts", kind="conflict", max=max_open)


def _lock_user(user: User) -> None:
    # Draft creations of one citizen run one after the other. SQLite's transactions
    # already take the write lock when they begin (see app/db.py); PostgreSQL locks
    # the user's row until the transaction ends.
    if is_postgres():
        User.select(User.id).where(User.id == user.id).for_update().execute()


def create_draft(
    user: User,
    service_id: str,
    answers: dict[str, Any] | None,
    key: str | None,
    max_open: int | None = None,
) -> tuple[Application, list]:
    """Start an application; the same ``key`` (a retried request) returns the same draft,
    also when both arrive at once. With ``max_open``, a citizen who already has that many
    open drafts is refused (409)."""
    existing = _by_key(user, key)
    if existing is not None:
        return existing, []
    record = definitions.published(service_id)
    definition = definitions.definition_of(record)
    if definitions.is_survey(definition):
        # A survey is answered on its own page, never started as an application.
        raise DomainError("service_not_found", kind="not_found")
    # Drafts of services that need the online ID are allowed: the citizen can fill in
    # and confirm identity before submitting.
    start = prefill(definition, user)
    start.update(previous_answers(definition, user))
    start.update(answers or {})
    application = Application(
        user=user,
        definition=record,
        service_id=record.service_id,
        area=record.area,
        status="draft",
        draft_key=key,
    )
    # Validation runs before the transaction: it is the slow part, and needs no lock.
    cleaned, issues = _clean(application, definition, start)
    application.answers = cleaned
    try:
        with db.atomic():
            _lock_user(user)
            existing = _by_key(user, key)
            if existing is not None:
                return existing, []
            _check_room(user, max_open)
            application.save(force_insert=True)
    except peewee.IntegrityError:
        # The same key was stored by a request this one did not wait for (the unique
        # index on user and key decides); that draft is the answer.
        existing = _by_key(user, key)
        if existing is None:
            raise
        return existing, []
    return application, issues


def update_draft(
    user: User, application_id: str, answers: dict[str, Any], expected_revision: int | None
) -> tuple[Application, list]:
    """Replace a draft's answers if the client saw the newest revision (else 412)."""
    application = get_own(user, application_id)
    if application.status != "draft":
        raise DomainError("not_a_draft", kind="conflict")
    if expected_revision is None:
        raise DomainError("precondition_required", kind="precondition_required")
    definition = definitions.of_application(application)
    cleaned, issues = _clean(application, definition, answers)
    with db.atomic():
        updated = (
            Application.update(
                answers=cleaned, revision=Application.revision + 1, updated_at=utcnow()
            )
            .where(
                (Application.id == application.id)
                & (Application.revision == expected_revision)
                & (Application.status == "draft")
            )
            .execute()
        )
        if updated == 1:
            # Files the citizen took out of the form go; an upload not yet referenced
            # (its answer is still on the way) stays until submission.
            dropped = attachments.referenced(definition, application.answers) - (
                attachments.referenced(definition, cleaned)
            )
            attachments.discard(application, dropped)
    if updated != 1:
        raise DomainError("precondition_failed", kind="precondition_failed")
    return Application.get_by_id(application.id), issues


def delete_draft(user: User, application_id: str, expected_revision: int | None = None) -> None:
    """Delete a draft (submitted applications are withdrawn instead)."""
    application = get_own(user, application_id)
    if application.status != "draft":
        raise DomainError("not_a_draft", kind="conflict")
    if expected_revision is not None and expected_revision != application.revision:
        raise DomainError("precondition_failed", kind="precondition_failed")
    with db.atomic():
        # Uploads and documents go with their rows (the database cascades the rows).
        stored_files.delete_after_commit(stored_files.files_of_applications([application.id]))
        application.delete_instance()


def open_issues(application: Application) -> list:
    """What a draft still lacks or has wrong (empty for submitted applications)."""
    if application.status != "draft":
        return []
    definition = definitions.of_application(application)
    return validate_partial(definition, application.answers).errors


def issues_for(issues: list, locale: str) -> list[dict[str, Any]]:
    """Validation issues as JSON for the client."""
    return issue_dicts(issues, locale)
