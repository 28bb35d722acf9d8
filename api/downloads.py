"""How a download names its file: ``Content-Disposition`` per RFC 6266, with the name
in UTF-8 per RFC 5987 (``filename*``) and a plain ASCII ``filename`` for old clients; private
files sent as attachments that no cache keeps, streamed from the storage piece by piece."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from urllib.parse import quote

from flask import Response, current_app, request

from app import storage
from app.errors import DomainError

# What one piece of a streamed download holds.
STREAM_PIECE = 256 * 1024

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


def stream_stored(
    key: str,
    mimetype: str,
    headers: Mapping[str, str],
    conditional: bool = False,
) -> Response:
    """The stored file ``key`` as a response read from the storage while it is sent.

    Only call it once the reader's entitlement is checked. ``Content-Length`` is the
    stored size; ``conditional`` adds ``ETag`` and ``Last-Modified`` (of the stored file)
    and answers a matching ``If-None-Match`` with 304. A file the storage lacks is a 404.
    """
    store = storage.current()
    stack = ExitStack()
    try:
        entry = store.stat(key)
        handle = stack.enter_context(store.open(key))
    except storage.FileMissing as exc:
        stack.close()
        raise DomainError("not_found", kind="not_found") from exc

    def pieces() -> Iterator[bytes]:
        try:
            while piece := handle.read(STREAM_PIECE):
                yield piece
        finally:
            stack.close()

    response = current_app.response_class(pieces(), mimetype=mimetype, direct_passthrough=True)
    # Closed also when the body is never read (a 304, a client gone).
    response.call_on_close(stack.close)
    response.headers["Content-Length"] = str(entry.size)
    response.headers.update(headers)
    if conditional:
        tag = f"{entry.key}:{entry.size}:{entry.modified.isoformat()}".encode()
        response.set_etag(hashlib.sha256(tag).hexdigest()[:32])
        response.last_modified = entry.modified
        response.make_conditional(request)
    return response


def private_download(key: str, mimetype: str, download_name: str) -> Response:
    """A stored file only its entitled reader may fetch: an attachment, never cached."""
    return stream_stored(
        key,
        mimetype,
        {"Content-Disposition": content_disposition(download_name), "Cache-Control": "no-store"},
        conditional=True,
    )
