"""Where the citizen returns to: checked portal paths, never another site."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from app.errors import DomainError, FieldError
from app.payments import settings, states

_RETURN_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9\-._~/%?=&+:@]{0,299}$")


def check_return_path(path: str) -> str:
    """A path inside the portal (never another site: no open redirect)."""
    if not isinstance(path, str) or not _RETURN_PATH.match(path):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("return_path", "payment_return_path")]
        )
    return path


def portal_path(url: str) -> str | None:
    """The path of ``url`` if it is a page of the portal itself (same origin, a path
    :func:`check_return_path` accepts), else None: redirect targets never leave the portal."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    own = urlsplit(settings.base_url())
    if (parts.scheme.lower(), parts.netloc.lower()) != (own.scheme.lower(), own.netloc.lower()):
        return None
    if parts.fragment or "#" in url:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if _RETURN_PATH.match(path) else None


def pwa_return_target(payment: Any) -> str:
    """The PWA address the return handler redirects to, with id and public state."""
    separator = "&" if "?" in payment.return_path else "?"
    return (
        f"{payment.return_path}{separator}payment={payment.public_id}"
        f"&status={states.public_state(payment.state)}"
    )
