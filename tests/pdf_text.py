"""Reading generated PDFs in tests: their text, as a reader sees it."""

from __future__ import annotations

import pypdfium2 as pdfium


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF (pypdfium2), whitespace collapsed to single spaces."""
    document = pdfium.PdfDocument(data)
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    return " ".join(" ".join(pages).split())
