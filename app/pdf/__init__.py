"""Accessible PDFs: every document the portal issues is tagged PDF/UA-1 (WeasyPrint).

The variant makes WeasyPrint write the structure tree from the HTML (headings,
paragraphs, tables, lists, figures), mark the document as tagged, take ``<html lang>``
as the document language and ``<title>`` as the title a PDF reader shows in its window,
and identify the file as PDF/UA in its XMP metadata. Backgrounds and borders become
artifacts, so a screen reader skips the decorative frames. What WeasyPrint cannot know
the templates give: every ``<img>`` carries an ``alt`` text (the QR code, the city's
emblem), and decoration is drawn by CSS, not by images.

The city's emblem (coat of arms or logo) heads the documents: the image file the setting
``CITY_EMBLEM`` names, else the neutral emblem beside this module. A named file that is
missing or of an unknown type stops the rendering with its path, rather than printing
documents without the city's emblem.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.i18n import translate
from app.tasks import config

PDF_VARIANT = "pdf/ua-1"
DEFAULT_EMBLEM = Path(__file__).with_name("emblem.svg")
_MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}

_lock = threading.Lock()
# path → ((mtime_ns, size), data URI): the emblem is read once, not with every document.
_emblems: dict[Path, tuple[tuple[int, int], str]] = {}


class EmblemMissing(RuntimeError):
    """The emblem file the settings name is not there or not an image the PDFs can show."""


def emblem_path(monochrome: bool = False) -> Path:
    """The city's emblem file: ``CITY_EMBLEM`` (``CITY_EMBLEM_MONOCHROME``: in black
    and white) if set, else the neutral default, which is black and white."""
    setting = "CITY_EMBLEM_MONOCHROME" if monochrome else "CITY_EMBLEM"
    configured = config().get(setting)
    path = Path(configured) if configured else DEFAULT_EMBLEM
    if path.suffix.lower() not in _MEDIA_TYPES:
        raise EmblemMissing(f"{setting} {path}: use an .svg, .png or .jpg file")
    if not path.is_file():
        raise EmblemMissing(f"{setting} {path}: no such file")
    return path


def emblem_src(monochrome: bool = False) -> str:
    """The emblem as a ``data:`` URI for an ``<img>`` (nothing is fetched while printing)."""
    path = emblem_path(monochrome)
    info = path.stat()
    stamp = (info.st_mtime_ns, info.st_size)
    with _lock:
        cached = _emblems.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    uri = f"data:{_MEDIA_TYPES[path.suffix.lower()]};base64,{encoded}"
    with _lock:
        _emblems[path] = (stamp, uri)
    return uri


def emblem(locale: str, monochrome: bool = False) -> dict[str, str]:
    """What a template needs to show the emblem: ``src`` and its ``alt`` text
    (``monochrome``: the black-and-white version)."""
    city = config().get("CITY_NAME", "")
    return {
        "src": emblem_src(monochrome),
        "alt": translate("documents.emblem_alt", locale, city=city),
    }


def write_pdf(
    html: str, *, stylesheets: Sequence[Any] = (), font_config: Any | None = None
) -> bytes:
    """The tagged PDF/UA-1 of ``html`` (which names its language and title)."""
    # Imported here: WeasyPrint (Pango, fontconfig) loads only in processes that print.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(
        pdf_variant=PDF_VARIANT, stylesheets=list(stylesheets) or None, font_config=font_config
    )
