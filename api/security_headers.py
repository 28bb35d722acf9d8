"""The security headers every answer carries, added where the answer starts.

A WSGI middleware around the application (and around answers given before Flask, such
as the catalogue's 304): the content security policy unless the answer brings its own
(the API docs page does), nosniff, no framing, the referrer and opener policies, the
permissions policy, HSTS in production, and ``Cache-Control: no-store`` for API
answers that say nothing about caching. Done on the WSGI header list (plain tuples)
instead of in a response hook, where each header set through werkzeug's ``Headers`` is
checked and the list searched again: a tenth of a small list's time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

IMG_SRC = "img-src 'self' data: blob:"
FORM_ACTION = "form-action 'self'"
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        IMG_SRC,
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        # The Bürgerbüro terminal prints a document from a hidden frame holding the PDF
        # the page fetched (a blob: address of this origin; pwa/src/lib/print.js).
        "frame-src 'self' blob:",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        FORM_ACTION,
        "frame-ancestors 'none'",
    ]
)
# Sent on every answer, in place of any the application set.
_ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    # Geolocation for "use my location" in the defect report form, on our own pages only.
    ("Permissions-Policy", "camera=(self), geolocation=(self), microphone=(), payment=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
_NO_STORE = ("Cache-Control", "no-store")


def csp_for(image_origins: tuple[str, ...], form_origins: tuple[str, ...] = ()) -> str:
    """The policy with images also allowed from ``image_origins`` (the map's tile
    server, and nothing else) and forms also posted to ``form_origins`` (BundID's
    sign-in, which the SAML HTTP-POST binding reaches by a form)."""
    policy = CSP
    if image_origins:
        policy = policy.replace(IMG_SRC, " ".join((IMG_SRC, *image_origins)), 1)
    if form_origins:
        policy = policy.replace(FORM_ACTION, " ".join((FORM_ACTION, *form_origins)), 1)
    return policy


def origin_of(url: str | None) -> tuple[str, ...]:
    """The https origin of ``url`` as a one-item tuple (none for anything else)."""
    parts = urlsplit(url or "")
    if parts.scheme != "https" or not parts.netloc:
        return ()
    return (f"https://{parts.netloc}",)


def tile_origin(tile_url: str | None) -> tuple[str, ...]:
    """The origin of the map's tile URL template (none when there is no map)."""
    if not tile_url:
        return ()
    parts = urlsplit(tile_url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ()
    return (f"{parts.scheme}://{parts.netloc}",)


class SecurityHeaders:
    """WSGI middleware adding the portal's security headers to every answer.

    ``tile_url`` returns the map's current tile URL template: its origin joins the
    images the policy allows (read per answer, so a changed setting applies at once).
    """

    def __init__(
        self,
        app: WsgiApp,
        production: bool,
        tile_url: Callable[[], str | None] = lambda: None,
        form_origins: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.form_origins = form_origins
        self.always = (*_ALWAYS, _HSTS) if production else _ALWAYS
        self.replaced = frozenset(name.lower() for name, _value in self.always)
        self.tile_url = tile_url
        self._policies: dict[str | None, tuple[str, str]] = {}

    def _csp_header(self) -> tuple[str, str]:
        url = self.tile_url()
        header = self._policies.get(url)
        if header is None:
            header = ("Content-Security-Policy", csp_for(tile_origin(url), self.form_origins))
            self._policies = {url: header}
        return header

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        api = environ.get("PATH_INFO", "").startswith("/api/")

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            if not self.replaced.isdisjoint(present):
                headers[:] = [h for h in headers if h[0].lower() not in self.replaced]
            headers.extend(self.always)
            if "content-security-policy" not in present:
                headers.append(self._csp_header())
            if api and "cache-control" not in present:
                headers.append(_NO_STORE)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def install(app: Flask) -> None:
    """Put the middleware around ``app``'s WSGI stack as it is now."""
    from app.reports.settings import map_settings

    bundid = app.extensions.get("bundid")
    app.wsgi_app = SecurityHeaders(
        app.wsgi_app,
        app.config["PORTAL_ENV"] == "production",
        lambda: map_settings(app.config).tile_url,
        origin_of(bundid.form_origin()) if bundid is not None else (),
    )
