"""An application's history as sentences, for the clerk or for the citizen.

Each entry says what happened in plain words ("Status geändert: Eingereicht →
Genehmigt", "Zugewiesen an …", "Zahlung eingegangen (Testmodus)", "Dokument erstellt:
Steuerbescheid"), never a raw kind or a provider's id. Clerks read their own status
labels ("Rückfrage gestellt"), citizens theirs ("Rückfrage an Sie"); citizens never see
internal entries. Documents issued for the application appear beside the events; a
citizen's reply to a question carries the files sent with it, a clerk's decision the
values the clerk set with it (the granted amount, the period).
"""

from __future__ import annotations

from typing import Any

from app.applications import decision_values, definitions, document_titles, lifecycle, replies
from app.i18n import catalogue, translate
from app.models import Application, ApplicationEvent, Document
from app.service_definitions import ServiceDefinition

AUDIENCES = ("staff", "citizen")
# Every kind of entry; each has a label and a sentence per audience in the catalogue
# (``history.kind.<kind>.<audience>``, ``history.<audience>.<kind>``).
KINDS = ("submitted", "status", "reply", "note", "assigned", "payment", "document")
ENGINE_ENTRY = ("", "draft", "awaiting_payment")


def kind_label(kind: str, audience: str, locale: str) -> str:
    """What kind of entry this is, in words (``Zahlung``, ``Interne Notiz``)."""
    if kind not in KINDS:
        return translate(f"history.kind.other.{audience}", locale)
    return translate(f"history.kind.{kind}.{audience}", locale)


def _label(definition: ServiceDefinition, status: str, audience: str, locale: str) -> str:
    if not status:
        return ""
    if audience == "staff":
        return lifecycle.staff_status_text(definition, status, locale)
    try:
        return lifecycle.status_text(definition, status, locale)
    except KeyError:
        return status


def _provider(name: str, locale: str) -> str:
    key = f"history.provider.{name}"
    if key in catalogue("de"):
        return translate(key, locale)
    key = f"payments.provider.{name}"
    return translate(key, locale) if key in catalogue("de") else ""


def sentence(
    event: ApplicationEvent, definition: ServiceDefinition, audience: str, locale: str
) -> str:
    """What ``event`` means, as one sentence for ``audience`` in ``locale``."""
    base = f"history.{audience}"
    frm = _label(definition, event.from_status, audience, locale)
    to = _label(definition, event.to_status, audience, locale)
    if event.kind == "status":
        if event.from_status in ENGINE_ENTRY:
            return translate(f"{base}.status_entered", locale, to=to)
        return translate(f"{base}.status", locale, **{"from": frm, "to": to})
    if event.kind == "assigned":
        if event.message:
            return translate(f"{base}.assigned", locale, assignee=event.message)
        return translate(f"{base}.unassigned", locale)
    if event.kind == "payment":
        provider = _provider(event.message, locale) if audience == "staff" else ""
        if provider:
            return translate(f"{base}.payment_by", locale, provider=provider)
        return translate(f"{base}.payment", locale)
    if event.kind in KINDS:
        return translate(f"{base}.{event.kind}", locale)
    return translate(f"{base}.other", locale, kind=kind_label(event.kind, audience, locale))


def _event_message(event: ApplicationEvent, locale: str) -> str:
    # A payment's message is the provider's name, already said in the sentence; an
    # assignment's is the assignee, likewise.
    if event.kind in ("payment", "assigned"):
        return ""
    return lifecycle.event_message(event, locale)


def _by(event: ApplicationEvent, audience: str) -> str:
    if audience == "staff" and event.actor_id is not None:
        return event.actor.email
    return event.actor_role


def entries(application: Application, audience: str, locale: str) -> list[dict[str, Any]]:
    """The history of ``application`` for ``audience``, oldest first, in ``locale``."""
    definition = definitions.of_application(application)
    query = ApplicationEvent.select().where(ApplicationEvent.application == application)
    if audience != "staff":
        query = query.where(~ApplicationEvent.internal)
    rows = list(query.order_by(ApplicationEvent.at, ApplicationEvent.id))
    sent = replies.reply_files([e.id for e in rows if e.kind == replies.KIND])
    found = [
        (
            event.at,
            0,
            event.id,
            {
                "at": event.at,
                "kind": event.kind,
                "kind_label": kind_label(event.kind, audience, locale),
                "what": sentence(event, definition, audience, locale),
                "from_status": event.from_status,
                "to_status": event.to_status,
                "status_label": _label(definition, event.to_status, audience, locale),
                "message": _event_message(event, locale),
                "internal": event.internal,
                "by": _by(event, audience),
                # Files the citizen sent with a reply (``Attachment`` rows).
                "files": sent.get(event.id, []),
                # What a clerk set at a decision, labelled: ``{id, label, value}``.
                "values": decision_values.rows(
                    definition, event.to_status, event.decision_values, locale
                ),
            },
        )
        for event in rows
    ]
    documents = Document.select().where(Document.application == application)
    for document in documents.order_by(Document.created_at):
        title = document_titles.title_in(document, locale)
        found.append(
            (
                document.created_at,
                1,
                0,
                {
                    "at": document.created_at,
                    "kind": "document",
                    "kind_label": kind_label("document", audience, locale),
                    "what": translate(f"history.{audience}.document", locale, title=title),
                    "from_status": "",
                    "to_status": "",
                    "status_label": "",
                    "message": "",
                    "internal": False,
                    "by": "system",
                    "files": [],
                    "values": [],
                },
            )
        )
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]
