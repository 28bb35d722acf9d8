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

from flask import Flask

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Sent on every answer, in place of any the application set.
_ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), geolocation=(), microphone=(), payment=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
# Sent unless the application set its own.
_CSP_HEADER = ("Content-Security-Policy", CSP)
_NO_STORE = ("Cache-Control", "no-store")


class SecurityHeaders:
    """WSGI middleware adding the portal's security headers to every answer."""

    def __init__(self, app: WsgiApp, production: bool) -> None:
        self.app = app
        self.always = (*_ALWAYS, _HSTS) if production else _ALWAYS
        self.replaced = frozenset(name.lower() for name, _value in self.always)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        api = environ.get("PATH_INFO", "").startswith("/api/")

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            if not self.replaced.isdisjoint(present):
                headers[:] = [h for h in headers if h[0].lower() not in self.replaced]
            headers.extend(self.always)
            if "content-security-policy" not in present:
                headers.append(_CSP_HEADER)
            if api and "cache-control" not in present:
                headers.append(_NO_STORE)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def install(app: Flask) -> None:
    """Put the middleware around ``app``'s WSGI stack as it is now."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.config["PORTAL_ENV"] == "production")
