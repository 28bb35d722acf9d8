"""Which push services the server agrees to POST to.

A browser reports its push endpoint and the server later sends an HTTP request
there. Without a policy, anyone with an account could register
``https://10.0.0.5/admin/reboot`` and make the server call it. So an endpoint is
accepted only on a known push service (``PUSH_ALLOWED_HOSTS``):

* ``fcm.googleapis.com``: exactly this host, over https on port 443;
* ``*.push.apple.com``: any host below ``push.apple.com`` (not the bare domain);
* ``http://127.0.0.1:8089``: exactly this origin, scheme and port included. Only
  for a local push service in tests; production refuses such entries.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from app.push.subscription import InvalidSubscription, origin


class EndpointNotAllowed(ValueError):
    """The endpoint is a valid URL, but not on an allowed push service."""


def _host_matches(host: str, pattern: str) -> bool:
    pattern = pattern.strip().rstrip(".").lower()
    if pattern.startswith("*."):
        suffix = pattern[1:]  # ".push.apple.com"
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == pattern


def check_endpoint(endpoint: str, allowed: Iterable[str]) -> str:
    """Return the endpoint's origin, or raise why the server will not send there.

    Raises :class:`~app.push.subscription.InvalidSubscription` for a malformed URL
    and :class:`EndpointNotAllowed` for a host outside ``allowed``.
    """
    endpoint_origin = origin(endpoint, allow_insecure=True)
    entries = [entry.strip() for entry in allowed if entry and entry.strip()]
    exact = {entry.rstrip("/").lower() for entry in entries if "://" in entry}
    if endpoint_origin.lower() in exact:
        return endpoint_origin
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https":
        raise EndpointNotAllowed("push endpoints must use https")
    if parts.port not in (None, 443):
        raise EndpointNotAllowed("push endpoints must use the standard https port")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise EndpointNotAllowed("push endpoints must name a push service, not an IP address")
    patterns = [entry for entry in entries if "://" not in entry]
    if not any(_host_matches(host, pattern) for pattern in patterns):
        raise EndpointNotAllowed(f"{host} is not a known push service")
    return endpoint_origin


def is_allowed(endpoint: str, allowed: Iterable[str]) -> bool:
    """True when :func:`check_endpoint` accepts ``endpoint``."""
    try:
        check_endpoint(endpoint, allowed)
    except (InvalidSubscription, EndpointNotAllowed):
        return False
    return True


def allows_plain_http(allowed: Iterable[str]) -> bool:
    """True when an entry names an ``http://`` origin (a local push service)."""
    return any(entry.strip().lower().startswith("http://") for entry in allowed)
