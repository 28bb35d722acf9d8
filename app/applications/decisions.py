"""Documents a definition issues on a status (``documents: [{kind, issued_on, generator}]``).

Each document is produced by the document generator it names (``generator``), or by
the engine's generator for its kind: ``notice`` renders a generic notice (Bescheid) for
decisions, confirmations, certificates and tax notices, ``post`` tells the citizen an
original comes by post, ``receipt`` is issued with the submission. A service with a
document of its own (the parking permit, the registration certificate) registers a
generator under a name of its own::

    @register("permit")
    class PermitGenerator(DocumentGenerator):
        def generate(self, application, document, status, message): ...  # -> Document | None
"""

from __future__ import annotations

from typing import Any, ClassVar

from app import events
from app.applications import decision_values, definitions, inbox
from app.applications.documents import store_document
from app.applications.receipts import local_time, render_template
from app.applications.references import display
from app.applications.result_links import ResultLink
from app.applications.summary import euro, summarise
from app.db import utcnow
from app.i18n import Text
from app.models import Application, ApplicationEvent, Document
from app.pdf import write_pdf
from app.service_definitions import plugins, workflow
from app.tasks import huey

registry = plugins.generators
register = registry.register


class DocumentGenerator:
    """Base class of a document generator."""

    name: ClassVar[str] = ""
    # What the console's pickers show: ``{de, en}`` each (the name when missing).
    label: ClassVar[dict[str, str] | None] = None
    description: ClassVar[dict[str, str] | None] = None

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document | None:
        """Issue ``document`` (an entry of the definition) for ``application``, which
        has just reached ``status`` (``message``: what came with the change)."""
        raise NotImplementedError

    def result_link(self, application: Application) -> ResultLink | None:
        """Where the citizen finds what this generator produces for ``application``, if
        not on the application's own page (see ``app.applications.result_links``)."""
        return None


def _text(value: dict | str, locale: str) -> str:
    return value.get(locale) or value.get("de", "") if isinstance(value, dict) else value


def render_notice_pdf(
    application: Application,
    document: dict,
    status: str,
    message: str,
    with_values: bool = True,
) -> bytes:
    """A notice for ``application`` in the citizen's language, as PDF bytes.

    It lists the values the clerk set at the decision to ``status`` with their labels
    (``decision_fields``), unless ``with_values`` is false: a generator that words them
    in its own text.
    """
    definition = definitions.of_application(application)
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
        decided=decision_values.labelled(application, locale, status) if with_values else [],
        fee_lines=[
            {"label": _text(line["label"], locale), "amount": euro(line["amount_cents"], locale)}
            for line in fees.get("lines", [])
        ],
        total=euro(application.fee_cents, locale),
        instalments=", ".join(f"{d[3:5]}.{d[0:2]}." for d in instalments),
        steps=summarise(definition, application.answers, locale),
    )
    return write_pdf(html)


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


def post_document(
    application: Application,
    document: dict[str, Any],
    pdf: bytes,
    *,
    filename: str | None = None,
    title: Text | dict[str, str] | str | None = None,
) -> Document:
    """Store a generated PDF and tell the citizen it is in the inbox.

    ``filename`` and ``title`` default to the document's kind and its title in the
    definition; a generator with a name of its own for the document passes them.
    """
    if title is None:
        given = document["title"]
        title = dict(given) if isinstance(given, dict) else given
    kind = document["kind"]
    stored = store_document(
        application.user,
        kind,
        filename or f"{kind}-{application.reference}.pdf",
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
    return stored


class NoticeGenerator(DocumentGenerator):
    """A generic notice (Bescheid): service, status, the clerk's message, the values the
    clerk set at the decision, fees, answers."""

    label: ClassVar[dict[str, str]] = {"de": "Bescheid", "en": "Notice"}
    description: ClassVar[dict[str, str]] = {
        "de": (
            "Ein allgemeiner Bescheid: Dienst, Status, die Nachricht der "
            "Sachbearbeitung, Gebühren und Angaben."
        ),
        "en": "A general notice: service, status, the clerk's message, fees and answers.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document:
        return post_document(
            application, document, render_notice_pdf(application, document, status, message)
        )


class PostGenerator(DocumentGenerator):
    """An original sent by post (certified copies): the inbox says it is on its way."""

    label: ClassVar[dict[str, str]] = {"de": "Original per Post", "en": "Original by post"}
    description: ClassVar[dict[str, str]] = {
        "de": (
            "Für Dokumente, die per Post kommen: Das Postfach sagt, dass das "
            "Original unterwegs ist."
        ),
        "en": "For documents sent by post: the inbox says the original is on its way.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> None:
        _announce_post(application, document)


class ReceiptGenerator(DocumentGenerator):
    """The receipt is issued with the submission, before any payment (``jobs``), so a
    status change that names it finds nothing left to do."""

    label: ClassVar[dict[str, str]] = {"de": "Eingangsbestätigung", "en": "Receipt"}
    description: ClassVar[dict[str, str]] = {
        "de": "Die Eingangsbestätigung, ausgestellt mit dem Absenden.",
        "en": "The receipt, issued with the submission.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> None:
        return None


@huey.task(retries=3, retry_delay=30)
def issue_documents(application_id: str, status: str, message: str) -> None:
    """Issue every document the definition ties to ``status`` (once per kind), each
    by its generator."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        return
    definition = definitions.of_application(application)
    for document in definition.data.get("documents", []):
        if document.get("issued_on") != status:
            continue
        done = (
            Document.select()
            .where((Document.application == application) & (Document.kind == document["kind"]))
            .exists()
        )
        if not done:
            generator = registry.get(plugins.generator_name(document))
            generator.generate(application, document, status, message)


def _documents_on_status(application: Application, event: ApplicationEvent) -> None:
    issue_documents(application.id, event.to_status, event.message)


def register_builtin() -> None:
    """Register the engine's document generators: notice, post and receipt.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    register("notice")(NoticeGenerator)
    register("post")(PostGenerator)
    register("receipt")(ReceiptGenerator)


def subscribe_handlers() -> None:
    """Issue a status's documents when an application reaches it (a job).

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    events.subscribe("application.status_changed")(_documents_on_status)
