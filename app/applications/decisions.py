"""Documents a definition issues on a status (``documents: [{kind, issued_on}]``).

Receipts come with submission (receipts.py). Decisions, confirmations, certificates
and tax notices get a generic notice (Bescheid) here; a service with a document of its
own (the parking permit) registers a generator for its kind and this module leaves
that kind alone.
"""

from __future__ import annotations

from collections.abc import Callable

from app import events
from app.applications import definitions, inbox
from app.applications.documents import store_document
from app.applications.receipts import local_time, render_template
from app.applications.references import display
from app.applications.summary import euro, summarise
from app.db import utcnow
from app.i18n import Text
from app.models import Application, ApplicationEvent, Document
from app.service_definitions import workflow
from app.tasks import huey

GENERIC_KINDS = ("decision", "confirmation", "certificate", "tax_notice")
Generator = Callable[[Application, dict], Document | None]
_generators: dict[str, Generator] = {}


def generator(kind: str) -> Callable[[Generator], Generator]:
    """Decorator: produce documents of ``kind`` (or with this document id) with ``func``."""

    def register(func: Generator) -> Generator:
        _generators[kind] = func
        return func

    return register


def _text(value: dict | str, locale: str) -> str:
    return value.get(locale) or value.get("de", "") if isinstance(value, dict) else value


def render_notice_pdf(application: Application, document: dict, status: str, message: str) -> bytes:
    """A notice for ``application`` in the citizen's language, as PDF bytes."""
    from weasyprint import HTML

    definition = definitions.definition_of(application.definition)
    locale = application.user.locale
    fees = application.fees or {}
    instalments = definition.data["payment"].get("instalments") or []
    html = render_template(
        "decision.html",
        locale,
        title=_text(document["title"], locale),
        reference=display(application.reference),
        applicant=application.applicant_name or application.user.email,
        date=local_time(utcnow()).strftime("%d.%m.%Y"),
        service=_text(definition.data["title"], locale),
        status=workflow.status_label(definition, status, locale),
        message=message,
        fee_lines=[
            {"label": _text(line["label"], locale), "amount": euro(line["amount_cents"], locale)}
            for line in fees.get("lines", [])
        ],
        total=euro(application.fee_cents, locale),
        instalments=", ".join(f"{d[3:5]}.{d[0:2]}." for d in instalments),
        steps=summarise(definition, application.answers, locale),
    )
    return HTML(string=html).write_pdf()


def _announce_post(application: Application, document: dict) -> None:
    """Documents that go by post (certified originals): tell the citizen in the inbox."""
    title = dict(document["title"]) if isinstance(document["title"], dict) else document["title"]
    inbox.post(
        application.user,
        "status",
        Text(
            "applications.inbox.post_subject",
            title=title,
            reference=display(application.reference),
        ),
        Text("applications.inbox.post_body", title=title),
        application=application,
    )


@huey.task(retries=3, retry_delay=30)
def issue_documents(application_id: str, status: str, message: str) -> None:
    """Issue every document the definition ties to ``status`` (once per kind)."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        return
    definition = definitions.definition_of(application.definition)
    for document in definition.data.get("documents", []):
        if document.get("issued_on") != status or document["kind"] == "receipt":
            continue
        kind = document["kind"]
        done = (
            Document.select()
            .where((Document.application == application) & (Document.kind == kind))
            .exists()
        )
        if done:
            continue
        special = _generators.get(document.get("id", "")) or _generators.get(kind)
        if special is not None:
            special(application, document)
        elif document.get("channel") == "post":
            _announce_post(application, document)
        elif kind in GENERIC_KINDS:
            pdf = render_notice_pdf(application, document, status, message)
            title = (
                dict(document["title"])
                if isinstance(document["title"], dict)
                else document["title"]
            )
            stored = store_document(
                application.user,
                kind,
                f"{kind}-{application.reference}.pdf",
                pdf,
                application=application,
            )
            inbox.post(
                application.user,
                "decision",
                Text(
                    "applications.inbox.document_subject",
                    title=title,
                    reference=display(application.reference),
                ),
                Text("applications.inbox.document_body", title=title),
                application=application,
                document=stored,
            )


@events.subscribe("application.status_changed")
def _documents_on_status(application: Application, event: ApplicationEvent) -> None:
    issue_documents(application.id, event.to_status, event.message)
