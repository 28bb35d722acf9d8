"""What a document is called, in the reader's language: its title and the file name a
person reads when downloading it (the stored file name stays as stored).

A document of an application is named by its service definition (``documents[].title``);
others (payment receipts, parking permits) by their kind from the message catalogue.
"""

from __future__ import annotations

import re

from peewee import JOIN

from app.applications import definitions
from app.applications.receipts import local_time
from app.db import utcnow
from app.i18n import catalogue, translate
from app.models import Application, Document, Payment, ServiceDefinitionRecord


def _from_definition(document: Document, locale: str) -> str | None:
    if not document.application_id:
        return None
    definition = definitions.of_application(document.application)
    for entry in definition.data.get("documents", []):
        title = entry.get("title")
        if entry.get("kind") == document.kind and isinstance(title, dict):
            return title.get(locale) or title.get("de")
    return None


def title_in(document: Document, locale: str) -> str:
    """The document's title in ``locale``; its file name when nothing better is known."""
    found = _from_definition(document, locale)
    if found:
        return found
    key = f"documents.kind.{document.kind}"
    return translate(key, locale) if key in catalogue("de") else document.filename


# Characters no file system or browser keeps in a file name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
# English days in the order the portal writes them (05/12/2026), with a file name's dashes.
_DATE_FORMATS = {"de": "%d.%m.%Y", "en": "%d-%m-%Y"}
NAME_LIMIT = 120


def _named(key: str, locale: str) -> str | None:
    return translate(key, locale) if key in catalogue("de") else None


def _service_name(document: Document, locale: str) -> str:
    if not document.application_id:
        return ""
    definition = definitions.of_application(document.application)
    short = _named(f"document_names.service.{definition.id}", locale)
    title = definition.data["title"]
    return short or title.get(locale) or title.get("de") or ""


def download_name(document: Document, locale: str) -> str:
    """The file name a person reads, e.g. ``Zahlungsbeleg Bewohnerparkausweis 05.12.2026.pdf``.

    What the document is (its kind's name from the message catalogue, else its title in
    the definition), the service it belongs to (its short name from the catalogue, else
    the definition's title) and the day it was made on the town hall's clock, in
    ``locale``; never an id. Free of characters a file name may not hold.
    """
    kind = _named(f"document_names.kind.{document.kind}", locale)
    kind = kind or _from_definition(document, locale) or translate("document_names.other", locale)
    service = _service_name(document, locale)
    stamp = local_time(document.created_at or utcnow())
    day = stamp.strftime(_DATE_FORMATS.get(locale, _DATE_FORMATS["de"]))
    parts = [kind] if not service or service.casefold() in kind.casefold() else [kind, service]
    stem = " ".join(_UNSAFE.sub(" ", " ".join([*parts, day])).split())[:NAME_LIMIT].strip()
    extension = _EXTENSIONS.get(document.content_type, "")
    return stem + extension


_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/svg+xml": ".svg"}


def payment_receipt_name(payment: Payment, locale: str) -> str:
    """The file name of a payment's receipt: the filed document's (which names the
    service, e.g. ``Zahlungsbeleg Bewohnerparkausweis 05.12.2026.pdf``), else the kind
    and the day of the payment."""
    filed = (
        Document.select(Document, Application, *definitions.KEY_COLUMNS)
        .join(Application, JOIN.LEFT_OUTER)
        .join(ServiceDefinitionRecord, JOIN.LEFT_OUTER)
        .where((Document.payment == payment.id) & (Document.kind == "payment_receipt"))
        .first()
    )
    if filed is not None:
        return download_name(filed, locale)
    kind = translate("document_names.kind.payment_receipt", locale)
    stamp = local_time(payment.succeeded_at or payment.updated_at or utcnow())
    return f"{kind} {stamp.strftime(_DATE_FORMATS.get(locale, _DATE_FORMATS['de']))}.pdf"
