"""How a download names its file: ``Content-Disposition`` per RFC 6266, with the name
in UTF-8 per RFC 5987 (``filename*``) and a plain ASCII ``filename`` for old clients; private
files sent as attachments that no cache keeps."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file

_SPELLED = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
_QUOTED_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f]')


def ascii_fallback(name: str) -> str:
    """``name`` for clients that read only ``filename``: umlauts spelled out, the rest
    of what ASCII lacks dropped."""
    plain = unicodedata.normalize("NFKD", name.translate(_SPELLED))
    return _QUOTED_UNSAFE.sub("", plain.encode("ascii", "ignore").decode("ascii")) or "document"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """The header value that offers the file as ``name`` (``attachment`` or ``inline``)."""
    return (
        f'{disposition}; filename="{ascii_fallback(name)}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )


def private_download(path: Path, mimetype: str, download_name: str) -> Response:
    """A file only its entitled reader may fetch: sent as an attachment, never cached."""
    response = send_file(
        path, mimetype=mimetype, as_attachment=True, download_name=download_name, max_age=0
    )
    response.headers["Cache-Control"] = "no-store"
    return response
