"""HTML to PDF with WeasyPrint, keeping what does not change between pages.

Setting up fontconfig for a render and parsing the stylesheet cost about as much as
laying out the few lines of a print@home page, and both come out the same every time.
So the parsed stylesheet is kept until its file changes, and each thread keeps one
font configuration: Pango font maps must not be shared between threads, and a
gunicorn process has a fixed number of them, which bounds what is kept. Fonts come
from fontconfig: a stylesheet given here must not use ``@font-face``, since one parsed
stylesheet serves the font configurations of all threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from app import pdf

_lock = threading.Lock()
# path → ((mtime_ns, size), parsed stylesheet); one entry per stylesheet file.
_stylesheets: dict[Path, tuple[tuple[int, int], CSS]] = {}
_per_thread = threading.local()


def _file_stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def stylesheet(path: Path) -> CSS:
    """The parsed stylesheet at ``path``, parsed again only when the file has changed."""
    stamp = _file_stamp(path)
    with _lock:
        cached = _stylesheets.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    # Parsed outside the lock: two threads may both parse a changed file once; the
    # result is the same and the later one is kept.
    parsed = CSS(string=path.read_text(encoding="utf-8"), base_url=str(path.parent))
    with _lock:
        _stylesheets[path] = (stamp, parsed)
    return parsed


def font_configuration() -> FontConfiguration:
    """This thread's font configuration (created on its first page)."""
    config = getattr(_per_thread, "fonts", None)
    if config is None:
        config = _per_thread.fonts = FontConfiguration()
    return config


def write_pdf(html: str, stylesheet_path: Path) -> bytes:
    """The tagged PDF/UA of ``html`` styled by the stylesheet file at ``stylesheet_path``."""
    return pdf.write_pdf(
        html, stylesheets=[stylesheet(stylesheet_path)], font_config=font_configuration()
    )
