"""What a document is called, in the reader's language (its file name stays as stored).

A document of an application is named by its service definition (``documents[].title``);
others (payment receipts, parking permits) by their kind from the message catalogue.
"""

from __future__ import annotations

from app.applications import definitions
from app.i18n import catalogue, translate
from app.models import Document


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
