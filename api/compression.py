"""Compressed responses (zstd, brotli or gzip, whichever the client takes) from the app
itself, for set-ups without a proxy that compresses.

Built PWA assets are precompressed at build time (see ``api.web``); this covers JSON and
HTML. Responses that carry a secret (the CSRF token) stay uncompressed: a secret
compressed next to text an attacker can influence leaks through the response length
(BREACH).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask_compress import Compress

ALGORITHMS = ("zstd", "br", "gzip")
MIMETYPES = ("application/json", "application/problem+json", "text/html")
_EXEMPT = "_portal_uncompressed"

_compress = Compress()
View = TypeVar("View", bound=Callable[..., Any])


def uncompressed(view: View) -> View:
    """Mark a view whose responses carry a secret: they are never compressed."""
    setattr(view, _EXEMPT, True)
    return view


def keep_uncompressed(response: Response) -> Response:
    """Mark one response that carries a secret: it is sent uncompressed."""
    setattr(response, _EXEMPT, True)
    return response


def etag_variants(etag: str) -> list[str]:
    """``etag`` and the forms it takes once compressed (``"x"`` becomes ``"x:br"``), so a
    client's ``If-None-Match`` with any of them still matches."""
    return [etag, *(f"{etag}:{algorithm}" for algorithm in ALGORITHMS)]


def strip_coding(tag: str) -> str:
    """An entity tag without the content coding the compression appended."""
    head, _, coding = tag.rpartition(":")
    return head if head and coding in ALGORITHMS else tag


def _compress_unless_exempt(response: Response) -> Response:
    if "HTTP_ACCEPT_ENCODING" not in request.environ:
        # Nothing to choose from (API clients, probes, load generators): only say that
        # the answer would differ for a client that takes a coding.
        _vary_on_accept_encoding(response)
        return response
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(response, _EXEMPT, False) or getattr(view, _EXEMPT, False):
        return response
    return _compress.after_request(response)


def _vary_on_accept_encoding(response: Response) -> None:
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding"


def register(app: Flask) -> None:
    """Compress responses of ``app``. Register before other response hooks: Flask runs
    them in reverse order, so compression then sees each response last."""
    app.config.setdefault("COMPRESS_ALGORITHM", list(ALGORITHMS))
    app.config.setdefault("COMPRESS_MIMETYPES", list(MIMETYPES))
    app.config["COMPRESS_REGISTER"] = False
    # Files are sent as they are (built assets come precompressed, see api.web):
    # compressing a file response on the fly would change its ETag after Werkzeug
    # answered If-None-Match, so the app shell would never get its 304 again.
    app.config["COMPRESS_STREAMS"] = False
    # Views answer If-None-Match themselves (knowing which ETags name what); an
    # If-Match revision tag must never turn into a 304 here.
    app.config["COMPRESS_EVALUATE_CONDITIONAL_REQUEST"] = False
    _compress.init_app(app)
    app.after_request(_compress_unless_exempt)
