"""``GET /api/services`` with a current ``If-None-Match``: 304 before Flask runs.

Every PWA start asks whether its copy of the catalogue is current, and nearly always
it is. Answering that through Flask (request context, session, CSRF, input guard, rate
limiter, view, response hooks) costs many times the one query the answer depends on.
This WSGI middleware asks only that query (``definitions.catalogue_stamp``, which sees
publications of every process and node through the shared database) and answers 304
itself when the client names the catalogue's current ETag.

The 304's headers are the ones Flask itself sent for the same ETag and the same
``Accept-Encoding`` (security headers, ``Cache-Control``, ``Vary``), learnt from the
first such answer, so both ways answer alike. Anything else (another path, a query
string, no ``If-None-Match``, a stale ETag, a headers set not yet learnt) goes to Flask.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import parse_etags

from api.compression import etag_variants
from app.applications import definitions
from app.db import db

PATH = "/api/services"
# Learnt header sets are few (one per Accept-Encoding a client sends); the bound only
# keeps odd clients from growing the table.
_MAX_LEARNT = 64

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def catalogue_etag(stamp: str) -> str:
    """The catalogue's ETag (without quotes) for a catalogue stamp."""
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


class CatalogueNotModified:
    """WSGI middleware answering the catalogue's conditional GET from its stamp alone."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        # (etag, Accept-Encoding) -> the headers Flask sent with its 304.
        self._learnt: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or not environ.get("HTTP_IF_NONE_MATCH")
        ):
            return self.app(environ, start_response)
        with db.connection_context():
            etag = catalogue_etag(definitions.catalogue_stamp())
        key = (etag, environ.get("HTTP_ACCEPT_ENCODING", ""))
        headers = self._learnt.get(key)
        if headers is not None:
            wanted = parse_etags(environ["HTTP_IF_NONE_MATCH"])
            if any(wanted.contains(tag) for tag in etag_variants(etag)):
                start_response("304 NOT MODIFIED", list(headers))
                return []
        return self.app(environ, self._learning(key, start_response))

    def _learning(self, key: tuple[str, str], start_response: Callable[..., Any]):
        def learn(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            sent_etag = dict(headers).get("ETag", "")
            # Only a 304 for the ETag read above: the catalogue may have changed between.
            if status.startswith("304") and sent_etag == f'"{key[0]}"':
                if len(self._learnt) >= _MAX_LEARNT:
                    self._learnt.clear()
                self._learnt[key] = list(headers)
            return start_response(status, headers, *args)

        return learn


def install(app: Any) -> None:
    """Put the middleware in front of ``app``'s WSGI callable."""
    app.wsgi_app = CatalogueNotModified(app.wsgi_app)
