"""Request security: who is signed in, CSRF protection, security headers.

CSRF: every state-changing request must come from our own origin when the browser
says where it comes from (Origin/Referer), and a request authenticated by the session
cookie must also carry the session's token in ``X-CSRF-Token``.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

from app.accounts import sessions
from app.errors import DomainError
from app.models import AuthSession, User

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CSRF_HEADER = "X-CSRF-Token"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def client_ip() -> str:
    """The client's address (behind a configured number of proxies, see ProxyFix)."""
    return request.remote_addr or ""


def remote_is_loopback() -> bool:
    """Whether ``request.remote_addr`` is a loopback address (IPv4-mapped IPv6 too): the
    socket's peer, or behind the configured proxies the address ProxyFix took from
    them. Whether that makes the client local is the caller's to judge: a proxy on this
    machine that is not configured makes every visitor look local."""
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def current_session() -> AuthSession | None:
    """The session of the signed-in browser, if any."""
    return g.get("auth_session")


def current_user() -> User | None:
    """The signed-in user, if any."""
    session = current_session()
    return session.user if session else None


def require_user() -> User:
    """The signed-in user, or a 401."""
    user = current_user()
    if user is None:
        raise DomainError("unauthorized", kind="unauthorized")
    return user


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse anonymous requests with 401."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_user()
        return view(*args, **kwargs)

    return wrapper


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse users whose role is not one of ``roles`` with 403 (anonymous: 401)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if require_user().role not in roles:
                raise DomainError("forbidden", kind="forbidden")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _load_session() -> None:
    token = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    g.auth_session = sessions.resolve(token) if token else None


# BundID posts its SAML answer from its own site, without the portal's cookies; the
# answer's signatures and its InResponseTo (a request this browser started) protect it.
CSRF_EXEMPT_PATHS = frozenset({"/api/bundid/acs"})


def _check_csrf() -> None:
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return
    if request.path in CSRF_EXEMPT_PATHS:
        return
    allowed = _origin(current_app.config["BASE_URL"])
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if claimed and claimed != "null" and _origin(claimed) != allowed:
        raise DomainError("csrf_failed", kind="forbidden")
    if claimed == "null":
        raise DomainError("csrf_failed", kind="forbidden")
    session = current_session()
    if session is not None:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise DomainError("csrf_failed", kind="forbidden")


def set_session_cookie(response: Response, token: str, lifetime_hours: float) -> None:
    """Attach the session cookie: HttpOnly, SameSite=Lax, Secure outside plain-HTTP dev."""
    config = current_app.config
    response.set_cookie(
        config["SESSION_COOKIE_NAME"],
        token,
        max_age=int(lifetime_hours * 3600),
        httponly=True,
        secure=config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Remove the session cookie from the browser."""
    config = current_app.config
    response.delete_cookie(
        config["SESSION_COOKIE_NAME"],
        path="/",
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def register(app: Flask) -> None:
    """Install session loading and CSRF checks on ``app`` (its security headers:
    ``api.security_headers``)."""
    app.before_request(_load_session)
    app.before_request(_check_csrf)
