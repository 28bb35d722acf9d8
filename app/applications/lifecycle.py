"""Status changes: only along the definition's transition table, each one recorded.

Every change writes a history entry and emits ``application.status_changed`` for the
push module and others. A change the table announces (every one but ``notify: false``
rows, such as a clerk taking a case) also puts exactly one message in the citizen's
inbox: the record, whatever happens to push notifications. A clerk's decision without
words of their own carries the definition's default message for that status; the values
the definition asks of the clerk at that decision (``decision_fields``) are checked and
kept with the history entry.
"""

from __future__ import annotations

from typing import Any

from app import events
from app.applications import deadlines, decision_rules, decision_values, definitions, inbox
from app.applications.references import display
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.i18n import Text, render, translate
from app.models import Application, ApplicationEvent, User
from app.service_definitions import ServiceDefinition, workflow, workflow_messages

# Statuses of the engine itself, before the definition's workflow starts.
ENGINE_STATUSES = workflow.ENGINE_STATUSES

# Labels and action lists per (definition, status, actor, locale): every row of a list
# asks again, and a definition version never changes once parsed (definitions hash by
# identity). Bounded so that many definition versions cannot grow it without end.
_LABELS_MAX = 4096
_labels: dict[tuple[ServiceDefinition, str, str], str] = {}
_staff_labels: dict[tuple[ServiceDefinition, str, str], str] = {}
_actions: dict[tuple[ServiceDefinition, str, str, str], tuple[dict[str, object], ...]] = {}


def _remember(cache: dict, key: tuple, value: object) -> None:
    if len(cache) >= _LABELS_MAX:
        cache.clear()
    cache[key] = value


def status_text(definition: ServiceDefinition, status: str, locale: str) -> str:
    """The label of a status in ``locale``, engine statuses included."""
    key = (definition, status, locale)
    label = _labels.get(key)
    if label is None:
        if status in ENGINE_STATUSES:
            label = translate(f"applications.status.{status}", locale)
        else:
            label = workflow.status_label(definition, status, locale)
        _remember(_labels, key, label)
    return label


def staff_status_text(definition: ServiceDefinition, status: str, locale: str) -> str:
    """The label clerks read for a status in ``locale`` ("Wartet auf Zahlung", not the
    citizen's "Wartet auf Ihre Zahlung"), engine statuses included."""
    key = (definition, status, locale)
    label = _staff_labels.get(key)
    if label is None:
        if status in ENGINE_STATUSES:
            label = translate(f"history.staff_status.{status}", locale)
        else:
            try:
                label = workflow.staff_label(definition, status, locale)
            except KeyError:
                # A status an older version of the definition had.
                label = status
        _remember(_staff_labels, key, label)
    return label


def status_param(definition: ServiceDefinition, status: str) -> Text | dict[str, str]:
    """The label of a status for a ``Text`` (rendered in the reader's language)."""
    if status in ENGINE_STATUSES:
        return Text(f"applications.status.{status}")
    return dict(workflow.status_text(definition, status))


def actions(
    definition: ServiceDefinition, status: str, actor: str, locale: str
) -> list[dict[str, object]]:
    """The status changes ``actor`` may make from ``status``, labelled in ``locale``
    (what the citizen's and the clerk's screens offer)."""
    key = (definition, status, actor, locale)
    found = _actions.get(key)
    if found is None:
        found = tuple(
            {
                "to": row["to"],
                "label": status_text(definition, row["to"], locale),
                "message_required": bool(row.get("message_required")),
            }
            for row in workflow.actions(definition, status, actor)
        )
        _remember(_actions, key, found)
    # Copies: the caller owns what it gets.
    return [dict(action) for action in found]


def staff_actions(
    application: Application, definition: ServiceDefinition, locale: str
) -> list[dict[str, object]]:
    """The changes a clerk may make, labelled for clerks in ``locale``, each with whether
    the citizen hears of it and the default message, in the citizen's language (it is
    sent to them; the clerk may edit it)."""
    citizen_locale = application.user.locale
    found = []
    for row in workflow.actions(definition, application.status, "staff"):
        notify = workflow_messages.notifies(row)
        template = default_message(application, definition, row["to"]) if notify else None
        found.append(
            {
                "to": row["to"],
                "label": staff_status_text(definition, row["to"], locale),
                "message_required": bool(row.get("message_required")),
                "notify": notify,
                "message_template": template.render(citizen_locale) if template else "",
                # What the clerk sets with this decision, prefilled with the proposals.
                "fields": decision_values.form(application, definition, row["to"], locale),
            }
        )
    return found


def _fee(cents: int, locale: str) -> str:
    euros = f"{cents // 100:,}.{cents % 100:02d}"
    if locale == "en":
        return f"€{euros}"
    # German writes 1.234,50 €.
    return euros.replace(",", "_").replace(".", ",").replace("_", ".") + " €"


def default_message(
    application: Application, definition: ServiceDefinition, status: str
) -> Text | None:
    """The definition's message for a change of ``application`` to ``status``, filled in
    for every language (rendered in the reader's), or ``None`` if it has none."""
    texts = workflow_messages.template(definition, status)
    if not texts:
        return None
    filled = {}
    for lang, text in texts.items():
        values = {
            "reference": display(application.reference or ""),
            "service": definition.data["title"].get(lang) or definition.data["title"]["de"],
            "fee": _fee(application.fee_cents or 0, lang),
            "status": workflow.status_label(definition, status, lang),
        }
        filled[lang] = workflow_messages.fill(text, values)
    return Text("history.message", text=filled)


def _is_bare_template(
    application: Application, definition: ServiceDefinition, status: str, message: str | Text
) -> bool:
    template = default_message(application, definition, status)
    if template is None or isinstance(message, Text):
        return False
    return message == template.render(application.user.locale).strip()


def note_for_clerks(application: Application, message: str) -> None:
    """An internal note from the system on the case's history (clerks see it, the
    citizen does not), e.g. why the rules left the case to a clerk."""
    record_event(application, "note", None, "system", message=message, internal=True)


def record_event(
    application: Application,
    kind: str,
    actor: User | None,
    role: str,
    from_status: str = "",
    to_status: str = "",
    message: str | Text = "",
    internal: bool = False,
    values: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Append one entry to the application's history (``message`` as a person wrote
    it, or a ``Text`` from the system, shown in the reader's language; ``values``: what
    a clerk set at a decision)."""
    text = message if isinstance(message, Text) else None
    if text is not None:
        message = text.render(application.user.locale)
    return ApplicationEvent.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_role=role,
        from_status=from_status,
        to_status=to_status,
        message=message,
        message_text=text.to_json() if text is not None else None,
        internal=internal,
        decision_values=values,
    )


def event_message(event: ApplicationEvent, locale: str) -> str:
    """An entry's message in ``locale`` (a person's words stay as written)."""
    return render(event.message_text, locale) if event.message_text else event.message


def _notify(
    application: Application, definition: ServiceDefinition, status: str, message: str | Text
) -> None:
    citizen = application.user
    label = status_param(definition, status)
    subject = Text(
        "applications.inbox.status_subject",
        reference=display(application.reference or ""),
        status=label,
    )
    # A clerk's message is shown as the clerk wrote it.
    body = message or Text("applications.inbox.status_body", status=label)
    inbox.post(citizen, "status", subject, body, application=application)


def _move(
    application: Application,
    definition: ServiceDefinition,
    to_status: str,
    actor: User | None,
    role: str,
    message: str | Text,
    notify: bool = True,
    values: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Change status if nobody changed it meanwhile; record, notify (unless the move is
    internal), announce."""
    from_status = application.status
    now = utcnow()
    decided = workflow.is_decided(definition, to_status)
    awaiting = workflow.awaits_decision(definition, to_status)
    changes = {
        Application.status: to_status,
        Application.updated_at: now,
        Application.revision: Application.revision + 1,
        Application.awaiting_decision: awaiting,
    }
    if decided and application.decided_at is None:
        changes[Application.decided_at] = now
        # Who decided (system = automatically), for the statistics.
        changes[Application.decided_by] = role
    updated = (
        Application.update(changes)
        .where((Application.id == application.id) & (Application.status == from_status))
        .execute()
    )
    if updated != 1:
        raise DomainError("status_changed_meanwhile", kind="conflict")
    application.status = to_status
    application.revision += 1
    application.awaiting_decision = awaiting
    if Application.decided_at in changes:
        # So that a later move of this same object does not take it for undecided.
        application.decided_at = now
        application.decided_by = role
    event = record_event(
        application, "status", actor, role, from_status, to_status, message, values=values
    )
    if notify:
        _notify(application, definition, to_status, message)
    events.emit("application.status_changed", application=application, event=event)
    return event


def change_status(
    application: Application,
    to_status: str,
    actor: User | None,
    role: str,
    message: str | Text = "",
    values: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Move ``application`` to ``to_status`` as ``role`` (citizen, staff or system).

    ``message`` is a person's own words, or a ``Text`` for the system's messages (the
    citizen reads those in their language). A clerk's change without a message carries
    the definition's default message for ``to_status``, if it has one; a change the
    citizen does not hear of (``notify: false``) takes no message.

    ``values`` are what a clerk sets at the decision (the definition's
    ``decision_fields`` of ``to_status``). Every problem with the message or the values
    is reported at once, as field errors, and nothing changes.
    """
    definition = definitions.of_application(application)
    row = workflow.check_transition(definition, application.status, to_status, role)
    notify = workflow_messages.notifies(row)
    if not isinstance(message, Text):
        message = (message or "").strip()
    errors: list[FieldError] = []
    if row.get("message_required") and not message:
        errors.append(FieldError("message", "message_required"))
    elif message and not notify:
        errors.append(FieldError("message", "message_not_sent"))
    elif row.get("message_required") and _is_bare_template(
        application, definition, to_status, message
    ):
        # A question or a reason the template only leads into: the clerk's words are missing.
        errors.append(FieldError("message", "message_template_unchanged"))
    stored = None
    if role == "staff":
        # Only clerks fill decision fields (the loader refuses them on other moves).
        try:
            stored = decision_values.clean(definition, to_status, values)
        except DomainError as exc:
            errors += exc.field_errors
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    if not message and notify and role == "staff":
        message = default_message(application, definition, to_status) or ""
    with db.atomic():
        return _move(application, definition, to_status, actor, role, message, notify, stored)


def notify_awaiting_payment(application: Application) -> None:
    """Tell the citizen the application waits for the fee before it is processed."""
    definition = definitions.of_application(application)
    _notify(
        application,
        definition,
        "awaiting_payment",
        Text("applications.inbox.awaiting_payment_body"),
    )


def enter_workflow(application: Application) -> None:
    """Start the definition's workflow (after submission, or once the fee is paid)."""
    definition = definitions.of_application(application)
    initial = workflow.initial_status(definition)
    with db.atomic():
        from_status = application.status
        now = utcnow()
        due_at = deadlines.due_from(definition, now)
        awaiting = workflow.awaits_decision(definition, initial)
        updated = (
            Application.update(
                status=initial,
                updated_at=now,
                revision=Application.revision + 1,
                due_at=due_at,
                awaiting_decision=awaiting,
            )
            .where((Application.id == application.id) & (Application.status == from_status))
            .execute()
        )
        if updated != 1:
            return
        application.status = initial
        application.due_at = due_at
        application.awaiting_decision = awaiting
        application.revision += 1
        event = record_event(application, "status", None, "system", from_status, initial)
        _notify(application, definition, initial, "")
        events.emit("application.status_changed", application=application, event=event)
    run_auto_decision(application)


def run_auto_decision(application: Application) -> None:
    """Let a rule-based decision act, where the definition allows one.

    Rules only approve or hand over to a clerk. The definition names a registered rule
    set (checked when it was loaded), so no case goes to a clerk for want of a rule.
    """
    definition = definitions.of_application(application)
    auto = definition.data.get("auto_decision") or {}
    if not auto.get("enabled") or application.status != workflow.initial_status(definition):
        return
    outcome = decision_rules.get(auto["rule_set"]).decide(application, definition)
    target = auto["status"] if outcome else workflow.handover_status(definition)
    row = workflow.transition(definition, application.status, target, "system")
    if row is not None:
        message = translate(
            "applications.auto.approved" if outcome else "applications.auto.to_clerk",
            application.user.locale,
        )
        with db.atomic():
            _move(
                application,
                definition,
                target,
                None,
                "system",
                message,
                workflow_messages.notifies(row),
            )
