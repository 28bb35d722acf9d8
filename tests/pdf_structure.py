"""Reading generated PDFs in tests: are they tagged, accessible PDF/UA documents?

:func:`accessibility_defects` lists, in words, everything that makes a PDF fail the
portal's bar (``app.pdf``): a structure tree, the marked flag, the document language,
a title shown as the window title, alternative text on every figure and the PDF/UA
identification in the XMP metadata. :func:`assert_accessible` fails with that list.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf

_PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"


def _elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element below ``node`` (marked-content ids and references skipped)."""
    kids = node.get("/K")
    if kids is None:
        return
    if not isinstance(kids, pikepdf.Array):
        kids = [kids]
    for kid in kids:
        is_element = isinstance(kid, pikepdf.Dictionary) and "/S" in kid
        if is_element and kid.get("/Type") in (None, "/StructElem"):
            yield kid
            yield from _elements(kid)


def structure_types(data: bytes) -> list[str]:
    """The structure types of a PDF's tags in reading order (``H1``, ``P``, ``Figure``…)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        return [] if root is None else [str(e.S)[1:] for e in _elements(root)]


def accessibility_defects(data: bytes) -> list[str]:
    """What keeps the PDF ``data`` from being a tagged, accessible PDF/UA document."""
    defects: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        catalog = pdf.Root
        root = catalog.get("/StructTreeRoot")
        if root is None:
            defects.append("no StructTreeRoot: the PDF is not tagged")
        mark_info = catalog.get("/MarkInfo")
        if mark_info is None or not bool(mark_info.get("/Marked", False)):
            defects.append("MarkInfo/Marked is not true")
        if not str(catalog.get("/Lang", "")).strip():
            defects.append("no document language (/Lang)")
        preferences = catalog.get("/ViewerPreferences")
        if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
            defects.append("ViewerPreferences/DisplayDocTitle is not true")
        info_title = str(pdf.docinfo.get("/Title", "")).strip()
        if not info_title:
            defects.append("no /Title in the document information")
        with pdf.open_metadata() as xmp:
            if not str(xmp.get("dc:title", "")).strip():
                defects.append("no dc:title in the XMP metadata")
            if str(xmp.get(f"{{{_PDFUA_NS}}}part", "")) != "1":
                defects.append("no PDF/UA-1 identification (pdfuaid:part) in the XMP metadata")
        if root is not None:
            elements = list(_elements(root))
            if not elements:
                defects.append("the structure tree is empty")
            for element in elements:
                if element.S == "/Figure" and not str(element.get("/Alt", "")).strip():
                    defects.append("a Figure without alternative text (/Alt)")
    return defects


def assert_accessible(data: bytes, name: str = "PDF") -> None:
    """Fail, naming every defect, unless ``data`` is a tagged, accessible PDF/UA document."""
    defects = accessibility_defects(data)
    assert not defects, f"{name}: " + "; ".join(defects)
