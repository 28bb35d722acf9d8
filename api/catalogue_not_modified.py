"""``GET /api/services`` answered before Flask runs while the catalogue is unchanged.

Every PWA start asks whether its copy of the catalogue is current, and nearly always
it is. Answering that through Flask (request context, session, CSRF, input guard, rate
limiter, view, response hooks) costs many times the one query the answer depends on.
This WSGI middleware asks only that query (``definitions.catalogue_stamp``, which sees
publications of every process and node through the shared database): when the client
names the catalogue's current ETag it answers 304, otherwise the listing.

Both answers are the ones Flask itself sent for the same ETag and the same
``Accept-Encoding`` (body, compression, security headers, ``Cache-Control``, ``Vary``),
kept from the first such answer, so both ways answer alike; the catalogue is public,
so nothing in them depends on who asks. Anything else (another path or method, a query
string, an answer not yet kept) goes to Flask.

``CATALOGUE_RECHECK_MS`` (default 250; 0 in tests) lets a process answer from the stamp
it read that long ago: on PostgreSQL the stamp's round trip is most of the answer. A
change published by another process or node is then seen within that time, never later;
one made by this process is seen at once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import parse_etags

from api.compression import etag_variants, strip_coding
from app.applications import definitions
from app.db import db

PATH = "/api/services"
# The Flask endpoint of the listing: answers given here count under it too (metrics).
ENDPOINT = "services.list_services"
# Learnt header sets are few (one per Accept-Encoding a client sends); the bound only
# keeps odd clients from growing the table.
_MAX_LEARNT = 64

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def catalogue_etag(stamp: str) -> str:
    """The catalogue's ETag (without quotes) for a catalogue stamp."""
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


class CatalogueNotModified:
    """WSGI middleware answering the catalogue from its stamp alone once Flask has."""

    def __init__(self, app: WsgiApp, recheck_seconds: float = 0.0) -> None:
        self.app = app
        self.recheck_seconds = recheck_seconds
        # (read at, this process's changes then, ETag) of the stamp last read.
        self._stamp: tuple[float, int, str] | None = None
        # (etag, Accept-Encoding) -> Flask's 304 headers; and its 200 status line,
        # headers and body.
        self._not_modified: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._listing: dict[tuple[str, str], tuple[str, list[tuple[str, str]], bytes]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
        ):
            return self.app(environ, start_response)
        environ["portal.endpoint"] = ENDPOINT
        etag = self._current_etag()
        key = (etag, environ.get("HTTP_ACCEPT_ENCODING", ""))
        if environ.get("HTTP_IF_NONE_MATCH"):
            headers = self._not_modified.get(key)
            wanted = parse_etags(environ["HTTP_IF_NONE_MATCH"])
            if any(wanted.contains(tag) for tag in etag_variants(etag)):
                if headers is not None:
                    start_response("304 NOT MODIFIED", list(headers))
                    return []
                return self._learn(key, environ, start_response)
            # A stale copy: the current listing, as for a request without the header.
        listing = self._listing.get(key)
        if listing is not None:
            status, headers, body = listing
            start_response(status, list(headers))
            return [body]
        return self._learn(key, environ, start_response)

    def _current_etag(self) -> str:
        """The catalogue's ETag, from a stamp at most ``recheck_seconds`` old (read at
        once after a change this process committed)."""
        now, changes = time.monotonic(), definitions.changes_here()
        known = self._stamp
        if known is not None and known[1] == changes and now - known[0] < self.recheck_seconds:
            return known[2]
        with db.connection_context():
            etag = catalogue_etag(definitions.catalogue_stamp())
        self._stamp = (now, changes, etag)
        return etag

    def _learn(
        self, key: tuple[str, str], environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Let Flask answer, and keep its answer when it is for the ETag read above (the
        catalogue may have changed in between)."""
        sent: list[Any] = []

        def remember(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            sent[:] = [status, list(headers)]
            return start_response(status, headers, *args)

        result = self.app(environ, remember)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = sent
        # Compression may have tagged the ETag with its coding ("x:gzip").
        if strip_coding(dict(headers).get("ETag", "").strip('"')) == key[0]:
            if len(self._not_modified) + len(self._listing) >= _MAX_LEARNT:
                self._not_modified.clear()
                self._listing.clear()
            if status.startswith("304"):
                self._not_modified[key] = headers
            elif status.startswith("200"):
                self._listing[key] = (status, headers, body)
        return [body]


def install(app: Any) -> None:
    """Put the middleware in front of ``app``'s WSGI callable (``CATALOGUE_RECHECK_MS``)."""
    recheck_seconds = app.config["CATALOGUE_RECHECK_MS"] / 1000
    app.wsgi_app = CatalogueNotModified(app.wsgi_app, recheck_seconds)
