"""Status updates and assignments for many applications at once (e.g. every approved dog
tax registration).

Each application goes through the same checks as a single change: the clerk's
service areas, the workflow table of its own definition, a required message.
Each change is its own transaction, recorded, put into the citizen's inbox and
announced (so each citizen gets one push per device); the result says per
application whether it changed or why not. Clerks never learn more than the
reference and status of applications outside their areas: those are simply
``not_found``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from app.accounts import audit
from app.applications import decision_values, definitions, lifecycle, queue, references
from app.db import db
from app.errors import DomainError
from app.i18n import catalogue, translate
from app.models import Application, User
from app.service_definitions import workflow

MAX_REFERENCES = 500
MAX_FILTERED = 500


def _message_for(code: str, lang: str) -> str:
    key = f"errors.{code}" if f"errors.{code}" in catalogue("de") else f"fields.{code}"
    return translate(key, lang)


def _result(
    reference: str, ok: bool, lang: str, from_status: str = "", status: str = "", code: str = ""
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "reference": reference,
        "reference_display": references.display(reference) if len(reference) == 8 else reference,
        "ok": ok,
        "from_status": from_status,
        "status": status,
    }
    if not ok:
        result["code"] = code
        result["message"] = _message_for(code, lang)
    return result


def _change(user: User, application: Application, to: str, message: str, lang: str) -> dict:
    reference = application.reference or ""
    before = application.status
    if before == to:
        return _result(reference, False, lang, before, before, "bulk_already_done")
    definition = definitions.of_application(application)
    if workflow.allowed(definition, before, to, "staff") and decision_values.fields_for(
        definition, to
    ):
        # One message for many cases, but values (an amount, a period) are per case.
        return _result(reference, False, lang, before, before, "bulk_needs_decision_values")
    try:
        lifecycle.change_status(application, to, user, "staff", message)
    except DomainError as exc:
        code = exc.field_errors[0].code if exc.field_errors else exc.code
        return _result(reference, False, lang, before, before, code)
    return _result(reference, True, lang, before, application.status)


def _listed(
    user: User, refs: Sequence[str], results: list[dict[str, Any]], lang: str
) -> Iterator[Application]:
    """The listed applications the clerk may work on, each once, in the given order;
    the others are reported in ``results`` as they come (invalid or ``not_found``,
    never more)."""
    seen: set[str] = set()
    for raw in refs[:MAX_REFERENCES]:
        reference = references.normalise(raw)
        if reference is None:
            results.append(_result(raw, False, lang, code="bulk_invalid_reference"))
            continue
        if reference in seen:
            continue
        seen.add(reference)
        application = Application.get_or_none(Application.reference == reference)
        if (
            application is None
            or application.submitted_at is None
            or not queue.may_work_on(user, application)
        ):
            results.append(_result(reference, False, lang, code="not_found"))
            continue
        yield application


def _assign(
    user: User, application: Application, assignee_id: int | None, lang: str, ip: str
) -> dict[str, Any]:
    reference = application.reference or ""
    status = application.status
    if application.assigned_to_id == assignee_id:
        return _result(reference, False, lang, status, status, "bulk_already_assigned")
    try:
        queue.assign(user, application, assignee_id, ip)
    except DomainError as exc:
        code = exc.field_errors[0].code if exc.field_errors else exc.code
        return _result(reference, False, lang, status, status, code)
    return _result(reference, True, lang, status, status)


def assign_many(
    user: User,
    assignee_id: int | None,
    refs: Sequence[str],
    *,
    lang: str = "de",
    ip: str = "",
) -> dict[str, Any]:
    """Assign the listed applications to one clerk (or release them); report each one.

    Each assignment is checked like a single one: the clerk's own areas, and the
    assignee's entitlement to the application's area.
    """
    results: list[dict[str, Any]] = []
    for application in _listed(user, refs, results, lang):
        with db.atomic():
            results.append(_assign(user, application, assignee_id, lang, ip))
    changed = [r["reference"] for r in results if r["ok"]]
    return {
        "assignee_id": assignee_id,
        "changed": len(changed),
        "refused": len(results) - len(changed),
        "more": False,
        "results": results,
    }


def transition_many(
    user: User,
    to: str,
    message: str = "",
    *,
    refs: Sequence[str] | None = None,
    filter: dict[str, Any] | None = None,
    limit: int = 100,
    lang: str = "de",
    ip: str = "",
) -> dict[str, Any]:
    """Move the listed (or filtered) applications to ``to``; report each one.

    With ``filter`` (``service_id``, ``status``, ``area``) the oldest ``limit``
    matching applications in the clerk's areas are changed; ``more`` says whether
    further ones matched.
    """
    results: list[dict[str, Any]] = []
    more = False
    if refs is not None:
        for application in _listed(user, refs, results, lang):
            results.append(_change(user, application, to, message, lang))
    else:
        criteria = {k: v for k, v in (filter or {}).items() if v}
        found = queue.queue(user, limit=min(limit, MAX_FILTERED) + 1, **criteria)
        more = len(found) > min(limit, MAX_FILTERED)
        for application in found[: min(limit, MAX_FILTERED)]:
            results.append(_change(user, application, to, message, lang))
    changed = [r["reference"] for r in results if r["ok"]]
    audit.record(
        "applications_bulk_transition",
        user,
        "application",
        "",
        ip,
        to=to,
        changed=changed,
        refused=len(results) - len(changed),
    )
    return {
        "to": to,
        "changed": len(changed),
        "refused": len(results) - len(changed),
        "more": more,
        "results": results,
    }
